import { ErrorCode } from '@shared/contract/errors';

/**
 * An error that crossed the boundary: one of the contract's codes and one sentence for the user. A code
 * this build does not know (a newer host) becomes INTERNAL, so every code on screen has a translation.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = knownCode(code);
  }
}

/** An error as every screen shows it: the contract's code (translated title and hint) and one sentence. */
export interface UiError {
  code: ErrorCode;
  message: string;
}

export function knownCode(code: string): ErrorCode {
  const parsed = ErrorCode.safeParse(code);
  return parsed.success ? parsed.data : 'INTERNAL';
}

export function toUiError(error: unknown): UiError {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
