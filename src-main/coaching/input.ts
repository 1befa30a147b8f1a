import { AppError } from '@shared/contract/errors';
import type { CoachLanguage } from '@shared/coaching/keys';
import { detectLanguage, sanitizeText, type DetectedLanguage } from '@shared/coaching/normalize';
import type { Notice } from '@shared/coaching/types';

/** What the coach analyses and stores of one message; a longer paste is cut (with a notice). */
export const MAX_MESSAGE_CHARS = 8000;

export interface PreparedInput {
  text: string;
  language: CoachLanguage;
  detectedLanguage: DetectedLanguage;
  notices: Notice[];
}

/**
 * Turns whatever was typed or pasted into text the coach can work with, or a clear refusal: empty →
 * VALIDATION; control characters removed; a huge paste cut; another language flagged (the coach still
 * answers from the chosen language's knowledge, and says so).
 */
export function prepareInput(raw: string, language: CoachLanguage | undefined, fallbackLanguage: CoachLanguage): PreparedInput {
  const clean = sanitizeText(raw, MAX_MESSAGE_CHARS);
  if (!/[\p{L}\p{N}]/u.test(clean.text)) {
    throw new AppError('VALIDATION', clean.text.length === 0 ? 'Type what the client said first: the message is empty.' : 'The message has no words to analyse.');
  }
  const notices: Notice[] = [];
  if (clean.truncated) {
    notices.push({ code: 'truncated', message: `The text was ${clean.originalLength.toLocaleString('en')} characters long; the coach used the first ${MAX_MESSAGE_CHARS.toLocaleString('en')}.` });
  }
  if (clean.removedControl > 0) notices.push({ code: 'control_removed', message: `${clean.removedControl} invisible control character(s) were removed.` });
  const detected = detectLanguage(clean.text);
  const chosen = language ?? (detected === 'pl' || detected === 'en' ? detected : fallbackLanguage);
  if (detected === 'other') {
    notices.push({ code: 'other_language', message: `This does not look like Polish or English; the suggestions come from the ${chosen === 'pl' ? 'Polish' : 'English'} knowledge base and may not fit.` });
  } else if (language && (detected === 'pl' || detected === 'en') && detected !== language) {
    notices.push({ code: 'language_mismatch', message: `The text looks ${detected === 'pl' ? 'Polish' : 'English'} but the ${language === 'pl' ? 'Polish' : 'English'} knowledge base was used.` });
  }
  return { text: clean.text, language: chosen, detectedLanguage: detected, notices };
}
