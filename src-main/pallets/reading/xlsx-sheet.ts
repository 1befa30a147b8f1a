import type { CellValue } from '@shared/pallets/fields';
import type { MergeRange } from '@shared/pallets/header-detect';
import { columnLetter } from '@shared/pallets/text';
import { mbText, Pending, Refused, XLSX_CAPS, XmlGuard, type XlsxCaps } from './xlsx-limits';
import { attr, decodeCell, decodeRange, stringItemText, tags, Unsupported, unescapeXml } from './xlsx-xml';

/** What a cell style means for a number: shown as a date, or zero-padded to a fixed width ("0000000"). */
export interface NumberStyle {
  date: boolean;
  /** Digits of a format made of zeros only (codes such as EANs keep their leading zeros), else 0. */
  zeroPad: number;
}

export interface SheetContext {
  name: string;
  sharedStrings: readonly string[];
  styles: readonly NumberStyle[];
  date1904: boolean;
  /** Rows kept (0-based index below this); rows past it are only counted. */
  maxStoredRows: number;
  maxColumns: number;
  maxCellLength: number;
  /** Bounds on held text and hyperlinks (XLSX_CAPS unless a test narrows them). */
  caps?: XlsxCaps;
}

export interface ScannedSheet {
  /** Row r's values by column; '' is an empty string cell (a hyperlink may still give it a value). */
  rows: (CellValue[] | undefined)[];
  /** Rows counted from row 1 up to the last one with a cell. */
  rowCount: number;
  /** Like rowCount, including rows past the row limit (only counted, not kept). */
  fullRows: number;
  /** Columns up to the last non-empty value. */
  width: number;
  merges: MergeRange[];
  /** The first limit broken (a cell too long), reported when the sheet is used. */
  problem: string | null;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** Serial date to text as the SheetJS path gives it (its numdate, then ISO; 1900's phantom 29 Feb stays a number). */
function serialToValue(serial: number, date1904: boolean): CellValue {
  const v = serial + (date1904 ? 1462 : 0);
  if (v >= 60 && v < 61) return v;
  // Multiplied step by step as SheetJS does: the float rounding decides the last millisecond.
  const d = new Date((v > 60 ? v : v + 1) * 24 * 60 * 60 * 1000 + EXCEL_EPOCH);
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

const isTagBoundary = (code: number) => code === 32 || code === 62 || code === 47 || code === 9 || code === 10 || code === 13;

/**
 * A worksheet part read as it inflates: the text before <sheetData>, then whole rows as soon as their
 * closing tag has arrived, then the tail (merged cells, hyperlinks). Values are converted on the spot
 * (shared strings, dates, zero-padded codes), so memory holds primitives, never cell objects.
 */
export class SheetScanner {
  private readonly pending: Pending;
  private state: 'prologue' | 'data' | 'tail' = 'prologue';
  private p = '';
  private readonly tail: Pending;
  private row = -1;
  /** Prologue: where <sheetData starts once seen; how far the prologue was searched before. */
  private sheetDataAt = -1;
  private searched = 0;
  private readonly out: ScannedSheet = { rows: [], rowCount: 0, fullRows: 0, width: 0, merges: [], problem: null };
  private readonly caps: XlsxCaps;

  constructor(private readonly ctx: SheetContext) {
    this.caps = ctx.caps ?? XLSX_CAPS;
    const max = this.caps.maxPendingChars;
    this.pending = new Pending(max, () => new Refused(`A row of the sheet "${ctx.name}" is larger than ${mbText(max)}.`));
    this.tail = new Pending(max, () => new Refused(`The sheet "${ctx.name}" holds more than ${mbText(max)} after its rows.`));
  }

  /** Markers that make it worth looking at the held text again. */
  private markers(): string[] {
    if (this.state === 'prologue') return this.sheetDataAt < 0 ? ['sheetData'] : ['>'];
    return [`</${this.p}row>`, `</${this.p}sheetData>`];
  }

  push(text: string): void {
    if (this.state === 'tail') {
      this.tail.add(text, ['>']);
      return;
    }
    if (!this.pending.add(text, this.markers())) return;
    let buf = this.pending.take();
    if (this.state === 'prologue') {
      if (this.sheetDataAt < 0) {
        // Search only what arrived since the last look (and a tag's worth before it).
        const re = /<([\w.-]+:)?sheetData(?=[\s/>])/g;
        re.lastIndex = Math.max(0, this.searched - 256);
        const m = re.exec(buf);
        this.searched = buf.length;
        if (!m) return this.pending.putBack(buf);
        this.p = m[1] ?? '';
        this.sheetDataAt = m.index;
      }
      const end = buf.indexOf('>', this.sheetDataAt);
      if (end < 0) return this.pending.putBack(buf);
      if (buf.charCodeAt(end - 1) === 47) {
        this.state = 'tail';
        this.tail.putBack(buf.slice(end + 1));
        return;
      }
      this.state = 'data';
      buf = buf.slice(end + 1);
    }
    const close = buf.indexOf(`</${this.p}sheetData>`);
    if (close >= 0) {
      this.rowsIn(buf.slice(0, close));
      this.tail.putBack(buf.slice(close));
      this.state = 'tail';
      return;
    }
    const rowClose = `</${this.p}row>`;
    const last = buf.lastIndexOf(rowClose);
    if (last < 0) return this.pending.putBack(buf);
    const cut = last + rowClose.length;
    this.rowsIn(buf.slice(0, cut));
    this.pending.putBack(buf.slice(cut));
  }

  /** After the last push: the tail's merges and hyperlinks (`targets` maps relationship id → URL). */
  finish(targets: ReadonlyMap<string, string>): ScannedSheet {
    if (this.state === 'prologue') {
      // A worksheet part without <sheetData> is not one this reader understands.
      if (!/<(?:[\w.-]+:)?worksheet[\s>]/.test(this.pending.take())) throw new Unsupported('not a worksheet');
      return this.out;
    }
    if (this.state === 'data') throw new Unsupported('worksheet ends inside sheetData');
    const tail = this.tail.take();
    // The tail is read with tag patterns: guard it first (the rows before it were scanned without).
    new XmlGuard(this.caps).push(tail);
    for (const tag of tags(tail, 'mergeCell')) {
      const range = decodeRange(attr(tag, 'ref') ?? '');
      if (range) this.out.merges.push(range);
    }
    let visits = 0;
    for (const tag of tags(tail, 'hyperlink')) {
      visits += this.hyperlink(tag, targets);
      if (visits > this.caps.maxHyperlinkCells) throw new Refused(`The sheet "${this.ctx.name}" has hyperlinks over more than ${this.caps.maxHyperlinkCells.toLocaleString('en')} cells.`);
    }
    return this.out;
  }

  /** Apply one hyperlink; returns the cells it visited (rows kept × columns in use). */
  private hyperlink(tag: string, targets: ReadonlyMap<string, string>): number {
    const id = /\s[\w.-]+:id=["']([^"']*)["']/.exec(tag)?.[1];
    const target = id !== undefined ? targets.get(id) : undefined;
    const range = decodeRange(attr(tag, 'ref') ?? '');
    if (!target || !range || !/^https?:\/\//i.test(target)) return 1;
    const location = attr(tag, 'location');
    const url = location ? `${target}#${unescapeXml(location)}` : target;
    let visits = 1;
    // Only rows that were kept can hold a value; a range over the whole sheet costs what the sheet has.
    const lastRow = Math.min(range.e.r, range.s.r + 100_000, this.out.rows.length - 1);
    for (let r = range.s.r; r <= lastRow; r++) {
      const row = this.out.rows[r];
      visits++;
      if (!row) continue;
      for (let c = range.s.c; c <= Math.min(range.e.c, row.length - 1); c++) {
        visits++;
        const v = row[c];
        // A cell showing "Link" / "Zdjęcie" whose hyperlink holds the address: the address is the value.
        if (typeof v === 'string' && !/^https?:\/\//i.test(v)) {
          row[c] = url;
          this.used(r, c);
        }
      }
    }
    return visits;
  }

  private used(r: number, c: number): void {
    if (c + 1 > this.out.width) this.out.width = c + 1;
    if (r + 1 > this.out.rowCount) this.out.rowCount = r + 1;
    if (r + 1 > this.out.fullRows) this.out.fullRows = r + 1;
  }

  private rowsIn(text: string): void {
    const rowOpen = `<${this.p}row`;
    const rowClose = `</${this.p}row>`;
    let i = 0;
    for (;;) {
      const start = text.indexOf(rowOpen, i);
      if (start < 0) return;
      if (!isTagBoundary(text.charCodeAt(start + rowOpen.length))) {
        i = start + 1;
        continue;
      }
      const tagEnd = text.indexOf('>', start);
      if (tagEnd < 0) throw new Unsupported('broken row tag');
      const r = attr(text.slice(start, tagEnd), 'r');
      if (r !== null) {
        const n = Number(r);
        if (!Number.isInteger(n) || n < 1) throw new Unsupported('bad row number');
        this.row = n - 1;
      } else this.row++;
      if (text.charCodeAt(tagEnd - 1) === 47) {
        i = tagEnd + 1;
        continue;
      }
      const end = text.indexOf(rowClose, tagEnd);
      if (end < 0) throw new Unsupported('row without end');
      if (this.row < this.ctx.maxStoredRows) this.cellsIn(text.slice(tagEnd + 1, end), this.row);
      else if (this.row + 1 > this.out.fullRows) this.out.fullRows = this.row + 1;
      i = end + rowClose.length;
    }
  }

  /** The cells of one row's body. Every search stays inside the row, and value searches inside the cell, so no text is scanned twice. */
  private cellsIn(text: string, r: number): void {
    const { p, ctx } = this;
    const cOpen = `<${p}c`;
    const cClose = `</${p}c>`;
    const vOpen = `<${p}v`;
    const vClose = `</${p}v>`;
    let col = -1;
    let j = 0;
    for (;;) {
      const start = text.indexOf(cOpen, j);
      if (start < 0) return;
      if (!isTagBoundary(text.charCodeAt(start + cOpen.length))) {
        j = start + 1;
        continue;
      }
      const tagEnd = text.indexOf('>', start);
      if (tagEnd < 0) throw new Unsupported('broken cell tag');
      const empty = text.charCodeAt(tagEnd - 1) === 47;
      const tag = text.slice(start + cOpen.length, empty ? tagEnd - 1 : tagEnd);
      const ref = attr(tag, 'r');
      if (ref !== null) {
        const cell = decodeCell(ref);
        if (!cell) throw new Unsupported('bad cell reference');
        col = cell.c;
      } else col++;
      if (empty) {
        j = tagEnd + 1;
        continue;
      }
      const end = text.indexOf(cClose, tagEnd);
      if (end < 0) throw new Unsupported('cell without end');
      j = end + cClose.length;
      const inner = text.slice(tagEnd + 1, end);

      let raw: string | undefined;
      const vs = inner.indexOf(vOpen);
      if (vs >= 0 && isTagBoundary(inner.charCodeAt(vs + vOpen.length))) {
        // <v>, or <v xml:space="preserve"> (SheetJS writes that for text with line breaks).
        const open = inner.indexOf('>', vs);
        if (open < 0) throw new Unsupported('broken value tag');
        if (inner.charCodeAt(open - 1) === 47) raw = '';
        else {
          const vEnd = inner.indexOf(vClose, open);
          if (vEnd < 0) throw new Unsupported('value without end');
          raw = inner.slice(open + 1, vEnd);
        }
      }

      const t = attr(tag, 't');
      let value: CellValue;
      let counts = true;
      switch (t) {
        case null:
        case 'n': {
          if (raw === undefined || raw === '') continue;
          const num = parseFloat(raw);
          if (Number.isNaN(num)) {
            value = null;
            break;
          }
          const s = attr(tag, 's');
          const style = s !== null ? ctx.styles[Number(s)] : undefined;
          if (style?.date) value = serialToValue(num, ctx.date1904);
          else if (style && style.zeroPad > 0 && Number.isInteger(num) && num >= 0) value = num.toFixed(0).padStart(style.zeroPad, '0');
          else value = num;
          break;
        }
        case 's': {
          if (raw === undefined) continue;
          const str = ctx.sharedStrings[parseInt(raw, 10)];
          if (str === undefined) throw new Unsupported('shared string out of range');
          value = str;
          break;
        }
        case 'str':
          value = raw === undefined ? '' : unescapeXml(raw, true);
          break;
        case 'inlineStr': {
          const open = `<${p}is>`;
          const s = inner.indexOf(open);
          const e = s < 0 ? -1 : inner.indexOf(`</${p}is>`, s + open.length);
          value = e < 0 ? '' : stringItemText(inner.slice(s + open.length, e));
          break;
        }
        case 'b':
          value = raw === '1' || raw === 'true';
          break;
        case 'e':
          // An error (#N/A, #DIV/0!) has no value but the column is in use.
          value = null;
          break;
        default:
          throw new Unsupported(`cell type ${t}`);
      }
      if (typeof value === 'string') {
        if (value.length > ctx.maxCellLength) {
          this.out.problem ??= `Cell ${columnLetter(col)}${r + 1} on sheet "${ctx.name}" is longer than ${ctx.maxCellLength.toLocaleString('en')} characters.`;
        }
        if (value === '') counts = false;
      }
      if (col >= ctx.maxColumns) {
        // Too wide to import: measured (the sheet then reports its width), never stored.
        if (counts && col + 1 > this.out.width) this.out.width = col + 1;
        continue;
      }
      let row = this.out.rows[r];
      if (!row) {
        row = [];
        this.out.rows[r] = row;
      }
      row[col] = value;
      if (r + 1 > this.out.rowCount) this.out.rowCount = r + 1;
      if (r + 1 > this.out.fullRows) this.out.fullRows = r + 1;
      if (counts && col + 1 > this.out.width) this.out.width = col + 1;
    }
  }
}
