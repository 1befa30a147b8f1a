import { ApiError } from '../../api/client';

/** An error as the pallet screens show it: the contract's code (translated heading) and one sentence. */
export interface UiError {
  code: string;
  message: string;
}

export function toUiError(error: unknown): UiError {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export const isCancelled = (error: UiError | null): boolean => error?.code === 'CANCELLED';
