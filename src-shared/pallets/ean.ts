import type { IssueCode } from './fields';

/** GS1 mod-10 check digit over all digits but the last (EAN-8, UPC-A, EAN-13, GTIN-14 alike). */
export function gtinCheckDigitValid(digits: string): boolean {
  const n = digits.length;
  if (n < 8) return false;
  let sum = 0;
  for (let i = n - 2, weight = 3; i >= 0; i--, weight = weight === 3 ? 1 : 3) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * weight;
  }
  const check = (10 - (sum % 10)) % 10;
  return check === digits.charCodeAt(n - 1) - 48;
}

export const GTIN_LENGTHS = [8, 12, 13, 14] as const;

export type EanResult =
  | { ok: true; value: string; guessed?: { code: IssueCode; message: string } }
  | { ok: false; code: IssueCode; message: string };

/**
 * Validate an EAN-8 / UPC-A / EAN-13 (and GTIN-14) cell. Numbers from xlsx lose leading zeros, so an
 * 11- or 12-digit value that becomes valid with one leading zero is accepted as a guess.
 */
export function normaliseEan(input: string | number): EanResult | null {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) return { ok: false, code: 'ean_length', message: 'EAN is not a positive whole number.' };
    if (!Number.isInteger(input)) return { ok: false, code: 'ean_length', message: 'EAN has a decimal part.' };
    text = input.toFixed(0);
  } else {
    text = input.trim();
    if (text === '') return null;
    if (/^\d+(?:[.,]\d+)?e\+?\d+$/i.test(text)) {
      return { ok: false, code: 'ean_scientific', message: 'EAN was saved in scientific notation and its digits are lost.' };
    }
    text = text.replace(/[\s\-\u00a0]/g, '');
    // Some exports keep an apostrophe or a trailing ".0" from a numeric cell.
    text = text.replace(/^'/, '').replace(/\.0+$/, '');
  }
  if (!/^\d+$/.test(text)) return { ok: false, code: 'ean_length', message: 'EAN must contain digits only.' };
  const len = text.length;
  if (len === 8 || len === 12 || len === 13 || len === 14) {
    if (gtinCheckDigitValid(text)) return { ok: true, value: text };
    return { ok: false, code: 'ean_checksum', message: 'EAN check digit is wrong.' };
  }
  // The check digit is right-aligned, so a lost leading zero never changes validity: pad and check.
  if (len === 11 || len === 7) {
    const padded = `0${text}`;
    if (gtinCheckDigitValid(padded)) {
      return { ok: true, value: padded, guessed: { code: 'ean_leading_zero', message: 'A leading zero lost by the spreadsheet was restored.' } };
    }
  }
  return { ok: false, code: 'ean_length', message: `EAN has ${len} digits; expected 8, 12, 13 or 14.` };
}

/** Amazon ASIN: "B0" + 8 alphanumerics, or an ISBN-10 for books. */
export function isAsin(text: string): boolean {
  return /^(?:B0[0-9A-Z]{8}|\d{9}[\dX])$/.test(text);
}

/** Amazon fulfilment-centre SKU (FNSKU): "X0" + 8 alphanumerics. */
export function isFnsku(text: string): boolean {
  return /^X0[0-9A-Z]{8}$/.test(text);
}
