import { foldText } from '../text/fold';
import type { CellValue } from './fields';

/** Header / keyword form: folded, punctuation turned into single spaces ("Ext. Retail" → "ext retail"). */
export function foldWords(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9%]+/g, ' ')
    .trim();
}

const WS_RUN_RE = /[\s\u00a0\u2007\u202f\u2009\u200b\ufeff]+/g;
const NEEDS_CLEAN_RE = /[\t\n\r\f\v\u00a0\u2007\u202f\u2009\u200b\ufeff]| {2}/;

/** Collapse whitespace (including non-breaking and thin spaces) and trim. Most cells need nothing. */
export function cleanText(text: string): string {
  const t = text.trim();
  return NEEDS_CLEAN_RE.test(t) ? t.replace(WS_RUN_RE, ' ').trim() : t;
}

/** A cell as display text: integers without exponent, booleans as words, null as ''. */
export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
    return String(value);
  }
  return value ? 'true' : 'false';
}

// Placeholders suppliers write for "no value": read as an empty cell, never as a rejected value.
const EMPTY_WORDS = new Set(['n/a', 'n.a.', 'n.a', '#n/a', 'na', '-', '--', '—', '–', 'brak', 'none', 'null', 'nan', 'nil', 'keine', 'k.a.', '?']);

export function isBlankCell(value: CellValue): boolean {
  if (value === null) return true;
  if (typeof value !== 'string') return false;
  const t = value.trim();
  return t === '' || (t.length <= 5 && EMPTY_WORDS.has(t.toLowerCase()));
}

/** Bounded copy of a raw cell for issue messages, so one 30 kB cell does not repeat in every issue. */
export function clip(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** 53-bit string hash (cyrb53): stable across runs and platforms, pure JS, good enough for signatures. */
export function hash53(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** Excel-style column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A small bounded memo: manifests repeat the same few condition / category / currency strings. */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max = 5000) {}
  get(key: string, compute: (key: string) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined || this.map.has(key)) return hit as V;
    const value = compute(key);
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}

/** Percent-encode spaces and non-ASCII letters of a web address (null: not encodable, e.g. a lone surrogate). */
export function encodeUrl(s: string): string | null {
  if (!/[^\x21-\x7e]/.test(s)) return s;
  try {
    return s.replace(/[^\x21-\x7e]/gu, (ch) => encodeURIComponent(ch));
  } catch {
    return null;
  }
}
