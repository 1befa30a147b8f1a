import { ApiError } from '../../api/client';

/** An error as the coaching screens show it: the contract's code (translated heading) and one sentence. */
export interface UiError {
  code: string;
  message: string;
}

export function toUiError(error: unknown): UiError {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** What a person may paste into one message (the contract's bound); longer text is cut in the UI first. */
export const MAX_PASTE_CHARS = 200_000;
