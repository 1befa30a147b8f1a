import { foldText } from '../text/fold';

/** ISO codes the normaliser recognises by symbol or local word; other three-letter codes pass through. */
export const KNOWN_CURRENCIES = ['PLN', 'EUR', 'USD', 'GBP', 'CHF', 'CZK', 'SEK', 'NOK', 'DKK', 'HUF', 'RON'] as const;

// Order matters: multi-character tokens before their prefixes ("us$" before "$").
const CURRENCY_TOKENS: ReadonlyArray<readonly [string, string]> = [
  ['zlotych', 'PLN'],
  ['zloty', 'PLN'],
  ['zł', 'PLN'],
  ['zl', 'PLN'],
  ['pln', 'PLN'],
  ['euro', 'EUR'],
  ['eur', 'EUR'],
  ['€', 'EUR'],
  ['us$', 'USD'],
  ['usd', 'USD'],
  ['$', 'USD'],
  ['gbp', 'GBP'],
  ['£', 'GBP'],
  ['chf', 'CHF'],
  ['czk', 'CZK'],
  ['kč', 'CZK'],
  ['kc', 'CZK'],
  ['sek', 'SEK'],
  ['nok', 'NOK'],
  ['dkk', 'DKK'],
  ['huf', 'HUF'],
  ['ft', 'HUF'],
  ['ron', 'RON'],
  ['lei', 'RON'],
];

const CURRENCY_RE = /(zlotych|zloty|zł|zl|pln|euro|eur|€|us\$|usd|\$|gbp|£|chf|czk|kč|kc|sek|nok|dkk|huf|ft|ron|lei)/i;
const CURRENCY_WORD = new Map(CURRENCY_TOKENS);

/** The currency a price cell or a header names ("1 234,56 zł" → PLN, "Preis (EUR)" → EUR), or null. */
export function detectCurrency(text: string): string | null {
  const m = CURRENCY_RE.exec(text);
  if (!m || m[1] === undefined) return null;
  const token = m[1].toLowerCase();
  // Letter tokens must stand alone: "ft" inside "Soft", "zl" inside "Zlecenie" are not currencies.
  if (/^[a-z]/.test(token)) {
    const before = text[m.index - 1];
    const after = text[m.index + m[1].length];
    if ((before !== undefined && /[\p{L}]/u.test(before)) || (after !== undefined && /[\p{L}]/u.test(after))) return null;
  }
  return CURRENCY_WORD.get(token) ?? null;
}

/** A currency cell ("zł", "Euro", "usd", "PLN") as an ISO code; unknown three-letter codes pass through. */
export function normaliseCurrency(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const word = CURRENCY_WORD.get(foldText(trimmed).replace(/\.$/, ''));
  if (word) return word;
  if (/^[A-Za-z]{3}$/.test(trimmed)) return trimmed.toUpperCase();
  return detectCurrency(trimmed);
}

export type DecimalSeparator = ',' | '.';

export interface ParsedNumber {
  value: number;
  currency: string | null;
  /** True when one separator could be either decimal or thousands ("1,234") and a guess was made. */
  ambiguous: boolean;
}

const PLAIN_INT_RE = /^-?\d{1,15}$/;
const STRIP_RE = /[\s\u00a0\u2007\u202f\u2009'’`]/g;
// Letters allowed to remain once a currency token is removed: none. Units of a price cell ("/szt")
// are rare enough that rejecting them is safer than silently reading "12 x 3" as 123.
const NUMBER_BODY_RE = /^[+\-−]?\(?[+\-−]?[\d.,]+\)?[+\-−]?$/;
const EXP_RE = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;

/**
 * Parse a number written in Polish / European / English style: "1 234,56 zł", "12,50", "1,234.56",
 * "€ 12", "1.234,56 EUR", "(12.00)", "12,-". `hint` is the decimal separator the column is known to
 * use (see inferDecimalSeparator); without it a lone separator followed by exactly three digits is
 * read as a decimal point and flagged ambiguous.
 */
export function parseNumber(input: string | number, hint: DecimalSeparator | null = null): ParsedNumber | null {
  if (typeof input === 'number') return Number.isFinite(input) ? { value: input, currency: null, ambiguous: false } : null;
  let s = input.trim();
  if (s === '') return null;
  if (PLAIN_INT_RE.test(s)) return { value: Number(s), currency: null, ambiguous: false };

  let currency: string | null = null;
  const cm = CURRENCY_RE.exec(s);
  if (cm && cm[1] !== undefined) {
    currency = detectCurrency(s);
    if (currency) s = s.slice(0, cm.index) + ' ' + s.slice(cm.index + cm[1].length);
  }
  s = s.replace(STRIP_RE, '');
  // "12,-" / "12.–" is the German way of writing a whole amount.
  s = s.replace(/[.,][-–]$/, '');
  if (s === '') return null;
  if (EXP_RE.test(s)) {
    const v = Number(s.replace(',', '.'));
    return Number.isFinite(v) ? { value: v, currency, ambiguous: false } : null;
  }
  if (!NUMBER_BODY_RE.test(s)) return null;

  let negative = false;
  if (s.includes('(') || s.includes(')')) {
    if (!(s.startsWith('(') && s.endsWith(')'))) return null;
    negative = true;
    s = s.slice(1, -1);
  }
  const first = s[0];
  if (first === '-' || first === '−' || first === '+') {
    negative = negative || first !== '+';
    s = s.slice(1);
  } else {
    const last = s[s.length - 1];
    if (last === '-' || last === '−') {
      negative = true;
      s = s.slice(0, -1);
    }
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return null;

  const result = resolveSeparators(s, hint);
  if (result === null || !Number.isFinite(result.value)) return null;
  return { value: negative ? -result.value : result.value, currency, ambiguous: result.ambiguous };
}

function resolveSeparators(s: string, hint: DecimalSeparator | null): { value: number; ambiguous: boolean } | null {
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma < 0 && lastDot < 0) return { value: Number(s), ambiguous: false };
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal: DecimalSeparator = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    const [intPart, fracPart, extra] = s.split(decimal);
    if (extra !== undefined || intPart === undefined || fracPart === undefined || !validGrouping(intPart, group)) return null;
    return { value: Number(`${intPart.split(group).join('')}.${fracPart}`), ambiguous: false };
  }
  const sep: DecimalSeparator = lastComma >= 0 ? ',' : '.';
  const parts = s.split(sep);
  if (parts.length > 2) {
    // "1.234.567" / "1,234,567": repeated separators can only be grouping.
    if (!validGrouping(s, sep)) return null;
    return { value: Number(parts.join('')), ambiguous: false };
  }
  const [intPart = '', fracPart = ''] = parts;
  if (fracPart === '') return intPart === '' ? null : { value: Number(intPart), ambiguous: false };
  const decimalValue = Number(`${intPart === '' ? '0' : intPart}.${fracPart}`);
  if (fracPart.length !== 3 || intPart === '' || intPart === '0' || intPart.length > 3) return { value: decimalValue, ambiguous: false };
  // Exactly three digits after a single separator: "1,234" is 1.234 in Poland and 1234 in the US.
  if (hint === null) return { value: decimalValue, ambiguous: true };
  if (hint === sep) return { value: decimalValue, ambiguous: false };
  return { value: Number(intPart + fracPart), ambiguous: false };
}

function validGrouping(intPart: string, group: string): boolean {
  if (!intPart.includes(group)) return /^\d+$/.test(intPart);
  const groups = intPart.split(group);
  const [head, ...rest] = groups;
  if (head === undefined || !/^\d{1,3}$/.test(head)) return false;
  return rest.every((g) => /^\d{3}$/.test(g));
}

/**
 * The decimal separator a column uses, from unambiguous samples ("12,50", "1.234,56", "3.5"), or
 * null when the samples never say. Used as the hint for the column's ambiguous cells.
 */
export function inferDecimalSeparator(samples: Iterable<string>): DecimalSeparator | null {
  let comma = 0;
  let dot = 0;
  for (const raw of samples) {
    const s = raw.replace(STRIP_RE, '').replace(/[^\d.,]/g, '');
    const lc = s.lastIndexOf(',');
    const ld = s.lastIndexOf('.');
    if (lc >= 0 && ld >= 0) {
      if (lc > ld) comma++;
      else dot++;
      continue;
    }
    const sep = lc >= 0 ? ',' : ld >= 0 ? '.' : null;
    if (sep === null) continue;
    const parts = s.split(sep);
    if (parts.length > 2) {
      if (sep === ',') dot++;
      else comma++;
    } else if ((parts[1] ?? '').length !== 3 && (parts[1] ?? '').length > 0) {
      if (sep === ',') comma++;
      else dot++;
    }
  }
  if (comma === 0 && dot === 0) return null;
  return comma >= dot ? ',' : '.';
}

const QTY_UNIT_RE = /\s*(?:szt|sztuk|sztuki|pcs|pc|stk|st|stuck|units?|ea|each|x|kpl|op|opak)\.?\s*$/i;

/** A quantity cell without its unit or multiplication sign ("2 szt." → "2", "x3" → "3"). */
export function quantityText(s: string): string {
  return s.replace(/^x\s*/i, '').replace(QTY_UNIT_RE, '');
}

/** Money rounding for derived values: 4 decimals, so unit prices like 0.035 survive. */
export function roundMoney(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

export const DEFAULT_VAT_RATE = 23;

/** Round a derived price to cents when its source was in cents, else keep 4 decimals (0.035 per unit). */
function roundLike(value: number, source: number): number {
  const cents = Math.abs(source * 100 - Math.round(source * 100)) < 1e-9;
  return cents ? Math.round(value * 100) / 100 : roundMoney(value);
}

export function grossFromNet(net: number, vatPercent: number): number {
  return roundLike(net * (1 + vatPercent / 100), net);
}

export function netFromGross(gross: number, vatPercent: number): number {
  return roundLike(gross / (1 + vatPercent / 100), gross);
}

/**
 * A VAT cell as a percentage: 23, "23%", "23 %", 0.23, "0,23", "zw" (Polish: exempt), "np", "oo".
 * Null when it is not a rate; a value above 100 % is not a VAT rate either.
 */
export function parseVatRate(input: string | number): number | null {
  if (typeof input === 'string') {
    const f = foldText(input.trim()).replace(/\.$/, '');
    if (f === '') return null;
    if (f === 'zw' || f === 'np' || f === 'oo' || f === 'exempt' || f === 'frei' || f === 'steuerfrei') return 0;
    const parsed = parseNumber(f.replace(/%|vat|mwst|ust/g, ''), ',');
    if (parsed === null) return null;
    return vatFromNumber(parsed.value, f.includes('%'));
  }
  return vatFromNumber(input, false);
}

function vatFromNumber(value: number, percentSign: boolean): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  const percent = !percentSign && value > 0 && value < 1 ? value * 100 : value;
  if (percent > 100) return null;
  return Math.round(percent * 100) / 100;
}
