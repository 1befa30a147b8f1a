import { Refused, XLSX_CAPS, XmlGuard, type XlsxCaps } from './xlsx-limits';
import { attr, decodeRange } from './xlsx-xml';
import { openZipParts } from './xlsx-zip';

/*
 * Checks before SheetJS reads a file (every format but the .xlsx the streaming reader accepts).
 * SheetJS has no bounds of its own: it inflates every part whole, makes a cell for each address a
 * hyperlink covers, copies a repeated ODS cell once per repetition, and compares every HTML cell with
 * every merged range. Each check reads the file once, linearly, and refuses in one sentence.
 */

/** Cells SheetJS would make from repetitions and hyperlinks (a 300,000 × 15 manifest is 4.5 M). */
const MAX_MADE_CELLS = 10_000_000;
/** HTML cells × merged ranges (SheetJS compares each cell with every merge). */
const MAX_HTML_MERGE_WORK = 100_000_000;

const tooManyCells = () => new Refused(`The spreadsheet declares more than ${MAX_MADE_CELLS.toLocaleString('en')} cells.`);

/** Counts the cells SheetJS would make from the start tags it is shown, and refuses past the cap. */
function cellBudget(caps: XlsxCaps): (tag: string) => void {
  let linkCells = 0;
  let made = 0;
  let rowRepeat = 1;
  const local = (tag: string) => /^<(?:[\w.-]+:)?([\w.-]+)/.exec(tag)?.[1] ?? '';
  const repeat = (tag: string, name: string) => Math.max(1, Number.parseInt(attr(tag, `table:${name}`) ?? attr(tag, name) ?? '1', 10) || 1);
  return (tag) => {
    const name = local(tag);
    if (name === 'hyperlink') {
      const range = decodeRange(attr(tag, 'ref') ?? '');
      if (range) linkCells += (range.e.r - range.s.r + 1) * (range.e.c - range.s.c + 1);
      if (linkCells > caps.maxHyperlinkCells) throw new Refused(`The spreadsheet's hyperlinks cover more than ${caps.maxHyperlinkCells.toLocaleString('en')} cells.`);
    } else if (name === 'table-row') rowRepeat = repeat(tag, 'number-rows-repeated');
    else if (name === 'table-cell' || name === 'covered-table-cell') {
      // An empty, self-closed cell repeated to the sheet's edge (LibreOffice writes these) makes no cells.
      const empty = tag.endsWith('/>') && attr(tag, 'office:value-type') === null && attr(tag, 'value-type') === null;
      if (!empty) made += rowRepeat * repeat(tag, 'number-columns-repeated');
      if (made > MAX_MADE_CELLS) throw tooManyCells();
    }
  };
}

/** A zip package (.xlsx declined by the streaming reader, .xlsb, .ods): bounded inflation, guarded XML, counted cells. */
export async function checkZipForSheetJs(buf: Buffer, caps: XlsxCaps = XLSX_CAPS): Promise<void> {
  const budget = cellBudget(caps);
  const zip = await openZipParts(buf, caps, caps.maxSheetJsInflatedBytes, (_part, tag) => budget(tag));
  for (const name of zip.names()) await zip.stream(name, () => undefined);
}

/** A flat XML spreadsheet (SpreadsheetML 2003, flat ODS): guarded XML, counted cells. */
export function checkXmlForSheetJs(text: string, caps: XlsxCaps = XLSX_CAPS): void {
  new XmlGuard(caps, cellBudget(caps)).push(text);
}

/** An HTML table: SheetJS compares every cell with every merged range, so their product is capped. */
export function checkHtmlForSheetJs(text: string): void {
  let cells = 0;
  let merges = 0;
  const lower = text.toLowerCase();
  // indexOf from tag to tag, each tag's end found once: linear however the tags are broken.
  for (let lt = lower.indexOf('<t'); lt >= 0; ) {
    const kind = lower.charCodeAt(lt + 2);
    const after = lower.charCodeAt(lt + 3);
    const gt = lower.indexOf('>', lt);
    if (gt < 0) break;
    if ((kind === 100 || kind === 104) && (after === 62 || after === 32 || after === 9 || after === 10 || after === 13)) {
      cells++;
      if (/\s(?:col|row)span\s*=\s*["']?\s*0*(?:[2-9]|[1-9]\d)/.test(lower.slice(lt, gt))) merges++;
    }
    lt = lower.indexOf('<t', gt);
  }
  if (cells * merges > MAX_HTML_MERGE_WORK) throw new Refused('The spreadsheet has too many merged cells for its size.');
}
