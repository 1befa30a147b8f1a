import { posix } from 'node:path';
import * as XLSX from 'xlsx';
import { SheetScanner, type NumberStyle, type ScannedSheet } from './xlsx-sheet';
import { attr, prefixOf, stringItemText, tags, Unsupported, unescapeXml } from './xlsx-xml';
import { mbText, Pending, Refused, XLSX_CAPS, type XlsxCaps } from './xlsx-limits';
import { openZipParts, type ZipParts } from './xlsx-zip';

/*
 * The fast path for .xlsx / .xlsm: worksheet XML is scanned as it inflates and cells become primitives
 * at once, instead of SheetJS building the whole workbook as cell objects first (for a 100,000-line
 * manifest about 3× less memory and time). It reads the common shape of the format and declines
 * (`null`) anything else (strict OOXML, CDATA, unknown cell types, broken parts); SheetJS then reads
 * the file, so errors and rare features keep SheetJS's behaviour.
 */

export interface FastSheet {
  name: string;
  hidden: boolean;
  /** null when the sheet was not read (another sheet was asked for, or it is a chart sheet). */
  scanned: ScannedSheet | null;
}

export interface FastBook {
  sheets: FastSheet[];
}

export interface FastReadOptions {
  /** Read only this sheet's cells (the others are listed, empty). */
  onlySheet: string | null;
  maxStoredRows: number;
  maxColumns: number;
  maxCellLength: number;
  onProgress?: (done: number, total: number) => void;
  /** XLSX_CAPS unless a test narrows them. */
  caps?: XlsxCaps;
}

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;

/** Format codes Excel does not store in styles.xml (SheetJS's built-in table, taken before any read). */
const BUILTIN_FORMATS: Readonly<Record<number, string>> = { ...(XLSX.SSF as { get_table(): Record<number, string> }).get_table() };
const isDateFormat = (fmt: string): boolean => (XLSX.SSF as { is_date(f: string): boolean }).is_date(fmt);

interface Relationship {
  target: string;
  type: string;
  external: boolean;
}

function resolvePart(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return posix.normalize(posix.join(posix.dirname(base), target));
}

async function relationships(zip: ZipParts, part: string): Promise<Map<string, Relationship>> {
  const relsPart = posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
  const out = new Map<string, Relationship>();
  if (!zip.has(relsPart)) return out;
  for (const tag of tags(await zip.text(relsPart), 'Relationship')) {
    const id = attr(tag, 'Id');
    const target = attr(tag, 'Target');
    if (id === null || target === null) continue;
    out.set(id, { target: unescapeXml(target), type: attr(tag, 'Type') ?? '', external: attr(tag, 'TargetMode') === 'External' });
  }
  return out;
}

/** The first <cellXfs>…</cellXfs> (found with two searches, not a lazy pattern that rescans from every start). */
function cellXfs(xml: string): string {
  const open = /<(?:[\w.-]+:)?cellXfs(?=[\s>])/g.exec(xml);
  if (!open) return '';
  const close = /<\/(?:[\w.-]+:)?cellXfs>/g;
  close.lastIndex = open.index;
  const end = close.exec(xml);
  return end ? xml.slice(open.index, end.index + end[0].length) : '';
}

async function numberStyles(zip: ZipParts, part: string | null): Promise<NumberStyle[]> {
  if (part === null || !zip.has(part)) return [];
  const xml = await zip.text(part);
  const custom = new Map<number, string>();
  for (const tag of tags(xml, 'numFmt')) {
    const id = Number(attr(tag, 'numFmtId'));
    const code = attr(tag, 'formatCode');
    if (Number.isInteger(id) && code !== null) custom.set(id, unescapeXml(code));
  }
  const section = cellXfs(xml);
  const styles: NumberStyle[] = [];
  for (const tag of tags(section, 'xf')) {
    const id = Number(attr(tag, 'numFmtId') ?? 0);
    const fmt = custom.get(id) ?? BUILTIN_FORMATS[id] ?? 'General';
    styles.push({ date: isDateFormat(fmt), zeroPad: /^0+$/.test(fmt) ? fmt.length : 0 });
  }
  return styles;
}

/**
 * The shared string table, streamed: one string per <si>, as SheetJS reads them. Bounded: one item's
 * XML and the whole table's are capped (an 8 MB string or a table of 1.2 G characters is refused).
 */
async function sharedStrings(zip: ZipParts, part: string | null, caps: XlsxCaps): Promise<string[]> {
  const out: string[] = [];
  if (part === null || !zip.has(part)) return out;
  const held = new Pending(caps.maxStringItemChars, () => new Refused(`The spreadsheet holds a text longer than ${mbText(caps.maxStringItemChars)}.`));
  let total = 0;
  let p: string | null = null;
  const take = (text: string) => {
    const open = `<${p ?? ''}si`;
    const close = `</${p ?? ''}si>`;
    let i = 0;
    for (;;) {
      const s = text.indexOf(open, i);
      if (s < 0) break;
      const next = text[s + open.length];
      if (next !== '>') {
        // Every index must line up with its <si>: an item this loop cannot read ends the fast path.
        if (next === undefined || /[\s/]/.test(next)) throw new Unsupported('unusual shared string item');
        i = s + 1;
        continue;
      }
      const e = text.indexOf(close, s);
      if (e < 0) throw new Unsupported('broken shared string');
      if (e - s > caps.maxStringItemChars) throw new Refused(`The spreadsheet holds a text longer than ${mbText(caps.maxStringItemChars)}.`);
      out.push(stringItemText(text.slice(s + open.length + 1, e)));
      i = e + close.length;
    }
  };
  const onChunk = (chunk: string): void => {
    total += chunk.length;
    if (total > caps.maxSharedStringChars) throw new Refused(`The spreadsheet's shared text is larger than ${mbText(caps.maxSharedStringChars)}.`);
    if (!held.add(chunk, p === null ? ['sst'] : [`</${p}si>`])) return;
    let buf = held.take();
    if (p === null) {
      p = prefixOf(buf, 'sst');
      if (p === null) return held.putBack(buf);
      if (buf.includes('sstItem')) throw new Unsupported('unusual shared strings');
    }
    const close = `</${p}si>`;
    const last = buf.lastIndexOf(close);
    if (last < 0) return held.putBack(buf);
    take(buf.slice(0, last + close.length));
    buf = buf.slice(last + close.length);
    held.putBack(buf);
  };
  await zip.stream(part, onChunk, undefined, { guard: false });
  if (p === null) throw new Unsupported('no shared string table');
  if (/<(?:[\w.-]+:)?si[\s/>]/.test(held.take())) throw new Unsupported('shared strings end early');
  return out;
}

async function readBook(buf: Buffer, options: FastReadOptions): Promise<FastBook> {
  const caps = options.caps ?? XLSX_CAPS;
  const zip = await openZipParts(buf, caps);
  const rootRels = await relationships(zip, '');
  const main = [...rootRels.values()].find((r) => REL_OFFICE_DOCUMENT.test(r.type));
  if (!main || main.type.includes('purl.oclc.org')) throw new Unsupported('no transitional workbook part');
  const workbookPart = resolvePart('', main.target);
  const workbookXml = await zip.text(workbookPart);
  const rels = await relationships(zip, workbookPart);
  const relOfType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix));
  const sstRel = relOfType('/sharedStrings');
  const stylesRel = relOfType('/styles');

  const pr = tags(workbookXml, 'workbookPr').next();
  const d1904 = pr.done ? null : attr(pr.value, 'date1904');
  const date1904 = d1904 === '1' || d1904 === 'true';
  const styles = await numberStyles(zip, stylesRel ? resolvePart(workbookPart, stylesRel.target) : null);
  let strings: string[] | null = null;

  const sheets: FastSheet[] = [];
  const toRead: { sheet: FastSheet; part: string }[] = [];
  for (const tag of tags(workbookXml, 'sheet')) {
    const name = unescapeXml(attr(tag, 'name') ?? '');
    const rid = /\s[\w.-]+:id=["']([^"']*)["']/.exec(tag)?.[1];
    const rel = rid !== undefined ? rels.get(rid) : undefined;
    if (!name || !rel) throw new Unsupported('sheet without a name or part');
    const state = attr(tag, 'state');
    const sheet: FastSheet = { name, hidden: state !== null && state !== 'visible', scanned: null };
    sheets.push(sheet);
    if (!rel.type.endsWith('/worksheet')) continue;
    if (options.onlySheet === null || options.onlySheet === name) toRead.push({ sheet, part: resolvePart(workbookPart, rel.target) });
  }
  if (sheets.length === 0) throw new Unsupported('no sheets');

  const total = toRead.reduce((n, s) => n + zip.compressedSize(s.part), 0);
  let before = 0;
  for (const { sheet, part } of toRead) {
    strings ??= await sharedStrings(zip, sstRel ? resolvePart(workbookPart, sstRel.target) : null, caps);
    const scanner = new SheetScanner({ name: sheet.name, sharedStrings: strings, styles, date1904, maxStoredRows: options.maxStoredRows, maxColumns: options.maxColumns, maxCellLength: options.maxCellLength, caps });
    await zip.stream(part, (t) => scanner.push(t), (done) => options.onProgress?.(before + done, total), { guard: false });
    before += zip.compressedSize(part);
    const targets = new Map<string, string>();
    for (const [id, r] of await relationships(zip, part)) if (r.external) targets.set(id, r.target);
    sheet.scanned = scanner.finish(targets);
  }
  return { sheets };
}

/**
 * Read an .xlsx/.xlsm buffer; `book` is null when this reader declines the file (then SheetJS reads
 * it), with the reason for the log. A file over a bound is not declined but refused: `Refused` is
 * thrown, with the sentence for the user.
 */
export async function readXlsxFast(buf: Buffer, options: FastReadOptions): Promise<{ book: FastBook | null; declined: string | null }> {
  try {
    return { book: await readBook(buf, options), declined: null };
  } catch (err) {
    if (err instanceof Refused) throw err;
    // Unsupported shapes, broken zips and odd XML alike: SheetJS reads the file and reports problems.
    return { book: null, declined: err instanceof Error ? `${err instanceof Unsupported ? '' : `${err.name}: `}${err.message}` : String(err) };
  }
}
