/*
 * Bounds for reading .xlsx packages, so a hostile file ends in seconds with a clear refusal instead of
 * running for minutes or taking gigabytes: caps on what the parts inflate to, on the shared string
 * table, on text not yet consumed, on element nesting and tag length. Real workbooks stay far below
 * them (a 100,000-line manifest inflates to ~75 MB; its XML nests 7 deep).
 */

export interface XlsxCaps {
  /** Inflated bytes of all parts read, for the streaming reader. */
  maxInflatedBytes: number;
  /** Inflated bytes of all parts, for files handed to SheetJS (it holds each part, then its cells, whole). */
  maxSheetJsInflatedBytes: number;
  maxEntries: number;
  /** The shared string table's XML, all items together (characters). */
  maxSharedStringChars: number;
  /** One shared string item's XML (characters); Excel's own cells stop at 32,767 characters. */
  maxStringItemChars: number;
  /** Text the reader holds before it can consume it: one row, the part before <sheetData>, the tail. */
  maxPendingChars: number;
  maxDepth: number;
  /** One tag, from < to > (the longest real ones are root tags with namespaces, a few kB). */
  maxTagChars: number;
  /** Cells covered by hyperlinks (SheetJS makes a cell for each). */
  maxHyperlinkCells: number;
}

export const XLSX_CAPS: XlsxCaps = {
  maxInflatedBytes: 512 * 1024 * 1024,
  maxSheetJsInflatedBytes: 192 * 1024 * 1024,
  maxEntries: 10_000,
  maxSharedStringChars: 128 * 1024 * 1024,
  maxStringItemChars: 2 * 1024 * 1024,
  maxPendingChars: 16 * 1024 * 1024,
  maxDepth: 64,
  maxTagChars: 64 * 1024,
  maxHyperlinkCells: 2_000_000,
};

/** The file is refused: the message is the one sentence the user reads. Never falls back to SheetJS. */
export class Refused extends Error {}

export const mbText = (n: number): string => `${Math.round(n / 1024 / 1024).toLocaleString('en')} MB`;

export const TOO_DEEP = (max: number) => new Refused(`The spreadsheet is malformed: its XML nests elements more than ${max} deep.`);
export const NOT_WELL_FORMED = () => new Refused('The spreadsheet is malformed: its XML has a "<" inside a tag.');

/**
 * Watches a part's XML as it inflates, in one pass (each character is looked at by one indexOf):
 * element depth, tag length, and a "<" inside a tag (never in well-formed XML; with it, the
 * readers' tag patterns could rescan the same text again and again). `onTag` sees every start tag.
 */
export class XmlGuard {
  private depth = 0;
  /** Text from an unfinished tag at the end of the last chunk. */
  private carry = '';

  constructor(
    private readonly caps: Pick<XlsxCaps, 'maxDepth' | 'maxTagChars'>,
    private readonly onTag?: (tag: string) => void,
  ) {}

  push(chunk: string): void {
    const text = this.carry === '' ? chunk : this.carry + chunk;
    this.carry = '';
    let lt = text.indexOf('<');
    while (lt >= 0) {
      const kind = text.charCodeAt(lt + 1);
      if (Number.isNaN(kind)) return this.keep(text, lt);
      if (kind === 33) {
        // <!-- comment -->, <![CDATA[ ]]> or <!DOCTYPE>: skip to its end; "<" may occur inside.
        const close = text.startsWith('<!--', lt) ? '-->' : text.startsWith('<![CDATA[', lt) ? ']]>' : '>';
        if (text.length - lt < 9 && close === '>') return this.keep(text, lt);
        const end = text.indexOf(close, lt + 2);
        if (end < 0) return this.keep(text, lt);
        lt = text.indexOf('<', end + close.length);
        continue;
      }
      const gt = text.indexOf('>', lt + 1);
      const next = text.indexOf('<', lt + 1);
      if (next >= 0 && (gt < 0 || next < gt)) throw NOT_WELL_FORMED();
      if (gt < 0) return this.keep(text, lt);
      if (gt - lt > this.caps.maxTagChars) throw this.tooLong();
      if (kind === 47) this.depth--;
      else if (kind !== 63 && text.charCodeAt(gt - 1) !== 47) {
        if (++this.depth > this.caps.maxDepth) throw TOO_DEEP(this.caps.maxDepth);
      }
      if (this.onTag && kind !== 47 && kind !== 63) this.onTag(text.slice(lt, gt + 1));
      lt = next;
    }
  }

  private keep(text: string, from: number): void {
    if (text.length - from > this.caps.maxTagChars + 16) throw this.tooLong();
    this.carry = text.slice(from);
  }

  private tooLong(): Refused {
    return new Refused(`The spreadsheet is malformed: its XML has a tag longer than ${Math.round(this.caps.maxTagChars / 1024)} kB.`);
  }
}

/** Markers are short closing tags; this many trailing characters always hold a split one. */
const EDGE = 64;
const edgeOf = (text: string): string => (text.length > EDGE ? text.slice(text.length - EDGE) : text);

/**
 * Text held until a marker arrives, kept as pieces: a long element costs one join when its end comes,
 * not a copy of everything so far for every chunk (which made the reader quadratic).
 */
export class Pending {
  private pieces: string[] = [];
  private size = 0;
  /** The last characters of the text so far, so a marker split between two chunks is still seen. */
  private edge = '';

  constructor(
    private readonly max: number,
    private readonly refusal: () => Refused,
  ) {}

  get length(): number {
    return this.size;
  }

  /** Add text; true when any of `markers` occurs in what was added (or across its start). */
  add(text: string, markers: readonly string[]): boolean {
    this.pieces.push(text);
    this.size += text.length;
    // The new text alone, then only its first characters after the old edge: no copy of the whole chunk.
    const seam = this.edge + text.slice(0, EDGE);
    this.edge = text.length >= EDGE ? text.slice(text.length - EDGE) : edgeOf(this.edge + text);
    if (markers.some((m) => text.includes(m) || seam.includes(m))) return true;
    if (this.size > this.max) throw this.refusal();
    return false;
  }

  /** Everything held, as one string; the holder is empty after. */
  take(): string {
    const all = this.pieces.length === 1 ? (this.pieces[0] ?? '') : this.pieces.join('');
    this.pieces = [];
    this.size = 0;
    this.edge = '';
    return all;
  }

  /** Put back what could not be consumed yet. */
  putBack(text: string): void {
    if (text === '') return;
    this.pieces = [text];
    this.size = text.length;
    this.edge = edgeOf(text);
    if (this.size > this.max) throw this.refusal();
  }
}
