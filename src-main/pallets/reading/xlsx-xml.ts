/*
 * Small, exact helpers for the SpreadsheetML the fast .xlsx reader accepts. Not a general XML parser:
 * anything outside the shapes handled here makes the reader decline (`Unsupported`), and the file is
 * read by SheetJS instead. The text rules follow SheetJS so both readers give the same values.
 */

import { XLSX_CAPS, XmlGuard } from './xlsx-limits';

/** The fast reader declines this file; SheetJS reads it instead. Never shown to the user. */
export class Unsupported extends Error {}

const ENTITY = /&(?:quot|apos|gt|lt|amp|#x?([\da-fA-F]+));/g;
const NAMED: Record<string, string> = { '&quot;': '"', '&apos;': "'", '&gt;': '>', '&lt;': '<', '&amp;': '&' };
/** OOXML escapes characters XML cannot carry as _xHHHH_ (ECMA-376 22.4.2.4). */
const CODE = /_x([\da-fA-F]{4})_/g;

function entity(match: string, code: string | undefined): string {
  const named = NAMED[match];
  if (named !== undefined) return named;
  const n = parseInt(code ?? '', match.startsWith('&#x') ? 16 : 10);
  return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : match;
}

/** XML text content to a string: entities, _xHHHH_ codes; `lines` turns CRLF into LF (cell text). */
export function unescapeXml(text: string, lines = false): string {
  if (text.includes('<![CDATA[')) throw new Unsupported('CDATA');
  let out = text;
  if (out.includes('&')) out = out.replace(ENTITY, entity);
  if (out.includes('_x')) out = out.replace(CODE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return lines && out.includes('\r\n') ? out.replace(/\r\n/g, '\n') : out;
}

/**
 * The value of attribute `name` in a start tag's text (`<c r="A1" t="s">`), or null. The name must
 * follow whitespace, so `r` never matches inside `xr:uid`.
 */
export function attr(tag: string, name: string): string | null {
  let from = 0;
  for (;;) {
    const i = tag.indexOf(`${name}=`, from);
    if (i < 0) return null;
    const before = tag.charCodeAt(i - 1);
    const quote = tag[i + name.length + 1];
    if ((before === 32 || before === 9 || before === 10 || before === 13) && (quote === '"' || quote === "'")) {
      const start = i + name.length + 2;
      const end = tag.indexOf(quote, start);
      if (end < 0) throw new Unsupported('unterminated attribute');
      return tag.slice(start, end);
    }
    from = i + 1;
  }
}

/** Every start (or empty) tag named `local` (any namespace prefix) in `xml`, as its text. */
export function* tags(xml: string, local: string): Generator<string> {
  const re = new RegExp(`<(?:[\\w.-]+:)?${local}(?=[\\s/>])[^>]*>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) yield m[0];
}

/** The namespace prefix (with its colon, or '') of the first element named `local`, or null. */
export function prefixOf(xml: string, local: string): string | null {
  const m = new RegExp(`<([\\w.-]+:)?${local}(?=[\\s/>])`).exec(xml);
  return m ? (m[1] ?? '') : null;
}

/** 0-based column and row of an A1 reference, or null when it is not one. */
export function decodeCell(ref: string): { r: number; c: number } | null {
  let c = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) c = c * 26 + code - 64;
    else if (code >= 97 && code <= 122) c = c * 26 + code - 96;
    else break;
  }
  if (i === 0 || i > 3 || i === ref.length) return null;
  const r = Number(ref.slice(i));
  if (!Number.isInteger(r) || r < 1) return null;
  return { r: r - 1, c: c - 1 };
}

/** A1:B2 (or a single cell) to a 0-based range, or null. */
export function decodeRange(ref: string): { s: { r: number; c: number }; e: { r: number; c: number } } | null {
  const [a, b] = ref.split(':');
  const s = decodeCell(a ?? '');
  const e = b === undefined ? s : decodeCell(b);
  return s && e ? { s, e } : null;
}

/**
 * `x` without its <rPh>…</rPh> elements. The same as replacing /<rPh[\s>][\s\S]*?<\/rPh>/g, but
 * linear: once an opening tag has no closing one after it, no later one has either, so the scan stops
 * (the lazy pattern would rescan the rest of the text from every opening tag).
 */
function withoutPhonetic(x: string): string {
  const open = /<(?:[\w.-]+:)?rPh(?=[\s>])/g;
  const close = /<\/(?:[\w.-]+:)?rPh>/g;
  let out = '';
  let from = 0;
  for (let m = open.exec(x); m; m = open.exec(x)) {
    close.lastIndex = m.index + m[0].length;
    const c = close.exec(x);
    if (!c) break;
    out += x.slice(from, m.index);
    from = c.index + c[0].length;
    open.lastIndex = from;
  }
  return from === 0 ? x : out + x.slice(from);
}

/**
 * The text a shared or inline string shows (SheetJS's parse_si): a plain `<t>` string, or the runs'
 * `<t>` texts joined, without phonetic guides (`<rPh>`).
 */
export function stringItemText(inner: string): string {
  const x = inner.trim();
  if (x === '') return '';
  const plain = /^<(?:[\w.-]+:)?t(?=[\s/>])[^>]*>/.exec(x);
  if (plain) {
    if (plain[0].endsWith('/>')) return '';
    const rest = x.slice(plain[0].length);
    const end = rest.search(/<\/(?:[\w.-]+:)?t>/);
    return unescapeXml(end < 0 ? rest : rest.slice(0, end), true);
  }
  if (!/<(?:[\w.-]+:)?r(?=[\s>])/.test(x)) return '';
  // Rich text is read with patterns over the item's XML: refuse deep nesting and broken tags first,
  // which also keeps those patterns linear (no "<" inside a tag, so no tag is scanned from two starts).
  new XmlGuard(XLSX_CAPS).push(x);
  const noPhonetic = withoutPhonetic(x);
  let text = '';
  const re = /<(?:[\w.-]+:)?t(?=[\s>])[^>]*>([^<]*)<\/(?:[\w.-]+:)?t>/g;
  for (let m = re.exec(noPhonetic); m; m = re.exec(noPhonetic)) text += m[1] ?? '';
  return unescapeXml(text, true);
}
