import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import * as XLSX from 'xlsx';
import type { ErrorCode } from '../../src-shared/contract/errors';
import type { CellValue } from '../../src-shared/pallets/fields';
import type { MergeRange } from '../../src-shared/pallets/header-detect';
import type { ImportLimits, SheetInfo, SpreadsheetFormat } from '../../src-shared/pallets/schemas';
import { columnLetter } from '../../src-shared/pallets/text';
import { corrupt, ENCRYPTED_MESSAGE, sniff, sniffDelimiter } from './sniff';
import { DEFAULT_LIMITS, type FromWorker, type ToWorker } from './worker-protocol';

/*
 * Spreadsheet worker: parses with SheetJS off the main thread and streams rows back in chunks of
 * primitives (no cell objects cross the boundary), with credit-based flow control so at most a few
 * chunks are in flight. Also writes exports, so a 100k-line XLSX write never blocks the main thread.
 */

if (!parentPort) throw new Error('spreadsheet-worker must be started as a worker thread.');
const port = parentPort;

class Fail extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface CfbEntry {
  name: string;
}
interface CfbContainer {
  FileIndex: CfbEntry[];
}

/** Extra rows allowed above the data for titles and the header, on top of the row limit. */
const HEADER_ALLOWANCE = 100;

let workbook: XLSX.WorkBook | null = null;
let limits: ImportLimits = DEFAULT_LIMITS;
let credit = 0;
let wakeUp: (() => void) | null = null;
let exportRows: CellValue[][] | null = null;
let exportSheetName = 'Lines';

const send = (msg: FromWorker) => port.postMessage(msg);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'credit') {
    credit += msg.n;
    wakeUp?.();
    wakeUp = null;
    return;
  }
  handle(msg).catch((err: unknown) => {
    if (err instanceof Fail) send({ type: 'error', code: err.code, message: err.message });
    else send({ type: 'error', code: 'IMPORT_ERROR', message: 'The spreadsheet could not be read.' });
  });
});

async function handle(msg: Exclude<ToWorker, { type: 'credit' }>): Promise<void> {
  switch (msg.type) {
    case 'open':
      return open(msg.path, msg.limits, msg.sheet);
    case 'head':
      return head(msg.sheet, msg.rows);
    case 'stream':
      return stream(msg.sheet, msg.from, msg.chunkRows, msg.credit, msg.release);
    case 'export-begin':
      exportSheetName = msg.sheetName;
      exportRows = [msg.header];
      return send({ type: 'ack' });
    case 'export-rows':
      if (!exportRows) throw new Fail('INTERNAL', 'Export rows arrived before the export began.');
      for (const r of msg.rows) exportRows.push(r);
      return send({ type: 'ack' });
    case 'export-finish':
      return finishExport(msg.path, msg.summary);
  }
}

const mb = (n: number) => (n < 1024 * 1024 ? `${Math.ceil(n / 1024)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

function open(path: string, lim: ImportLimits, only: string | null): void {
  limits = lim;
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Fail('IMPORT_ERROR', 'The path is not a file.');
    size = st.size;
  } catch (err) {
    if (err instanceof Fail) throw err;
    throw new Fail('IMPORT_ERROR', 'The file does not exist or cannot be opened.');
  }
  if (size === 0) throw new Fail('IMPORT_ERROR', 'The file is empty.');
  if (size > limits.maxFileBytes) throw new Fail('IMPORT_ERROR', `The file is ${mb(size)}; the limit is ${mb(limits.maxFileBytes)}.`);
  send({ type: 'progress', phase: 'reading', done: 0, total: size });
  const buf = readFileSync(path);
  const hash = createHash('sha256').update(buf).digest('hex');
  send({ type: 'progress', phase: 'reading', done: size, total: size });

  const kind = sniff(buf);
  if (kind.kind === 'reject') throw new Fail('IMPORT_ERROR', kind.message);
  send({ type: 'progress', phase: 'parsing', done: 0, total: null });
  // Values only: no formatted text, HTML or formulas (the cached results are the values), dates as
  // Date; number formats kept so zero-padded codes ("000123") survive.
  const opts: XLSX.ParsingOptions = {
    dense: true,
    cellText: false,
    cellHTML: false,
    cellFormula: false,
    cellDates: true,
    cellNF: true,
    sheetRows: limits.maxRows + HEADER_ALLOWANCE + 1,
    ...(only !== null ? { sheets: only } : {}),
  };
  let format: SpreadsheetFormat;
  try {
    if (kind.kind === 'zip') {
      format = kind.format;
      workbook = XLSX.read(buf, { ...opts, type: 'buffer' });
    } else if (kind.kind === 'cfb') {
      checkCfb(buf);
      format = 'xls';
      workbook = XLSX.read(buf, { ...opts, type: 'buffer' });
    } else if (kind.markup) {
      format = /^\s*<\?xml/.test(kind.text) ? 'xml' : 'html';
      workbook = XLSX.read(kind.text, { ...opts, type: 'string' });
    } else {
      format = 'csv';
      // raw: keep every CSV cell as text; SheetJS would otherwise read "12,50" as 1250.
      workbook = XLSX.read(kind.text, { ...opts, type: 'string', raw: true, FS: sniffDelimiter(kind.text) });
    }
  } catch (err) {
    if (err instanceof Fail) throw err;
    const text = err instanceof Error ? err.message : String(err);
    if (/password|encrypt/i.test(text)) throw new Fail('IMPORT_ERROR', ENCRYPTED_MESSAGE);
    throw new Fail('IMPORT_ERROR', corrupt().message);
  }
  if (only !== null && !workbook.SheetNames.includes(only)) {
    throw new Fail('NOT_FOUND', `There is no sheet named "${only}"; the sheets are: ${workbook.SheetNames.join(', ')}.`);
  }
  const sheets = sheetInfos(workbook);
  if (sheets.every((s) => s.rows === 0)) throw new Fail('IMPORT_ERROR', 'The spreadsheet contains no data.');
  send({ type: 'progress', phase: 'parsing', done: 1, total: 1 });
  send({ type: 'opened', size, hash, format, sheets });
}

function checkCfb(buf: Buffer): void {
  let cfb: CfbContainer;
  try {
    cfb = XLSX.CFB.read(buf, { type: 'buffer' }) as CfbContainer;
  } catch {
    throw new Fail('IMPORT_ERROR', corrupt(' (the OLE container is broken)').message);
  }
  const names = new Set(cfb.FileIndex.map((e) => e.name));
  if (names.has('EncryptionInfo') || names.has('EncryptedPackage')) throw new Fail('IMPORT_ERROR', ENCRYPTED_MESSAGE);
  if (names.has('Workbook') || names.has('Book')) return;
  if (names.has('WordDocument')) throw new Fail('IMPORT_ERROR', 'The file is a Word document, not a spreadsheet.');
  if (names.has('PowerPoint Document')) throw new Fail('IMPORT_ERROR', 'The file is a PowerPoint presentation, not a spreadsheet.');
  throw new Fail('IMPORT_ERROR', 'The file is an Office file of another kind, not a spreadsheet.');
}

function dataOf(ws: XLSX.WorkSheet): (XLSX.CellObject[] | undefined)[] {
  return (ws['!data'] as (XLSX.CellObject[] | undefined)[] | undefined) ?? [];
}

/** Rows counted from A1; the width is what the cells actually use (a formatted column XFD is not data). */
function extent(ws: XLSX.WorkSheet): { rows: number; fullRows: number; width: number } {
  const ref = ws['!ref'];
  if (!ref) return { rows: 0, fullRows: 0, width: 0 };
  const range = XLSX.utils.decode_range(ref);
  const full = ws['!fullref'] ? XLSX.utils.decode_range(ws['!fullref']) : range;
  let width = 0;
  for (const row of dataOf(ws)) {
    if (!row) continue;
    for (let c = row.length - 1; c >= width; c--) {
      const cell = row[c];
      if (cell && cell.t !== 'z' && cell.v !== undefined && cell.v !== '') {
        width = c + 1;
        break;
      }
    }
  }
  return { rows: width === 0 ? 0 : range.e.r + 1, fullRows: width === 0 ? 0 : full.e.r + 1, width };
}

function sheetInfos(wb: XLSX.WorkBook): SheetInfo[] {
  return wb.SheetNames.map((name, index) => {
    const ws = wb.Sheets[name];
    const e = ws ? extent(ws) : { fullRows: 0, width: 0 };
    const hidden = (wb.Workbook?.Sheets?.[index]?.Hidden ?? 0) !== 0;
    return { index, name, rows: e.fullRows, columns: e.width, hidden };
  });
}

function sheetOf(name: string): { ws: XLSX.WorkSheet; rows: number; width: number } {
  if (!workbook) throw new Fail('INTERNAL', 'No spreadsheet is open.');
  const ws = Object.prototype.hasOwnProperty.call(workbook.Sheets, name) ? workbook.Sheets[name] : undefined;
  if (!ws || !workbook.SheetNames.includes(name)) throw new Fail('NOT_FOUND', `There is no sheet named "${name}"; the sheets are: ${workbook.SheetNames.join(', ')}.`);
  const e = extent(ws);
  if (e.rows === 0) throw new Fail('IMPORT_ERROR', `The sheet "${name}" is empty.`);
  if (e.fullRows > e.rows) throw new Fail('IMPORT_ERROR', `The sheet "${name}" has ${e.fullRows.toLocaleString('en')} rows; the limit is ${limits.maxRows.toLocaleString('en')}.`);
  if (e.width > limits.maxColumns) throw new Fail('IMPORT_ERROR', `The sheet "${name}" has ${e.width} columns; the limit is ${limits.maxColumns}.`);
  return { ws, rows: e.rows, width: e.width };
}

function isoDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

function convertRow(row: XLSX.CellObject[] | undefined, width: number, r: number, sheet: string): CellValue[] {
  const out: CellValue[] = new Array<CellValue>(width).fill(null);
  if (!row) return out;
  const n = Math.min(row.length, width);
  for (let c = 0; c < n; c++) {
    const cell = row[c];
    if (!cell) continue;
    const v = cell.v;
    switch (cell.t) {
      case 's': {
        const s = v as string;
        if (s.length > limits.maxCellLength) throw new Fail('IMPORT_ERROR', `Cell ${columnLetter(c)}${r + 1} on sheet "${sheet}" is longer than ${limits.maxCellLength.toLocaleString('en')} characters.`);
        // A cell showing "Link" / "Zdjęcie" whose hyperlink holds the address: the address is the value.
        const target = cell.l?.Target;
        out[c] = target && /^https?:\/\//i.test(target) && !/^https?:\/\//i.test(s) ? target : s === '' ? null : s;
        break;
      }
      case 'n': {
        const num = v as number;
        const z = typeof cell.z === 'string' ? cell.z : '';
        // Codes formatted as "0000000000000" lose their leading zeros as numbers; the format restores them.
        out[c] = z !== '' && /^0+$/.test(z) && Number.isInteger(num) && num >= 0 ? num.toFixed(0).padStart(z.length, '0') : num;
        break;
      }
      case 'b':
        out[c] = v as boolean;
        break;
      case 'd':
        out[c] = v instanceof Date ? isoDate(v) : null;
        break;
      default:
        // 'e' (error such as #N/A) and 'z' (stub) carry no value.
        break;
    }
  }
  return out;
}

function head(sheet: string, count: number): void {
  const { ws, rows, width } = sheetOf(sheet);
  const data = dataOf(ws);
  const n = Math.min(count, rows);
  const out: CellValue[][] = [];
  for (let r = 0; r < n; r++) out.push(convertRow(data[r], width, r, sheet));
  const merges: MergeRange[] = (ws['!merges'] ?? []).filter((m) => m.s.r < n).map((m) => ({ s: { r: m.s.r, c: m.s.c }, e: { r: m.e.r, c: m.e.c } }));
  send({ type: 'head', rows: out, merges, totalRows: rows, width });
}

const encoder = new TextEncoder();

/**
 * Stream rows from `from` to the end as JSON buffers (transferred, so the main thread holds compact
 * bytes, not 15 objects per row, until it decodes a chunk). Normally a credit is spent per chunk so at
 * most a few wait in memory. With `release` (a one-shot import) the worker drains the sheet without
 * waiting and drops each row's cells as it goes: the main thread then ends the worker as soon as the
 * last chunk is out, which frees SheetJS's workbook long before the import has been processed.
 */
async function stream(sheet: string, from: number, chunkRows: number, initialCredit: number, release: boolean): Promise<void> {
  const { ws, rows, width } = sheetOf(sheet);
  const data = dataOf(ws);
  credit = initialCredit;
  let sent = 0;
  for (let start = from; start < rows; start += chunkRows) {
    if (!release) {
      while (credit <= 0) await new Promise<void>((resolve) => (wakeUp = resolve));
      credit--;
    }
    const end = Math.min(rows, start + chunkRows);
    const chunk: CellValue[][] = new Array<CellValue[]>(end - start);
    for (let r = start; r < end; r++) {
      chunk[r - start] = convertRow(data[r], width, r, sheet);
      if (release) data[r] = undefined;
    }
    sent += end - start;
    const json = encoder.encode(JSON.stringify(chunk));
    port.postMessage({ type: 'chunk', start, count: end - start, json } satisfies FromWorker, [json.buffer]);
  }
  if (release && workbook) {
    delete workbook.Sheets[sheet];
    workbook.SheetNames = workbook.SheetNames.filter((n) => n !== sheet);
  }
  send({ type: 'end', rows: sent });
}

function finishExport(path: string, summary: CellValue[][] | null): void {
  if (!exportRows) throw new Fail('INTERNAL', 'Nothing to export.');
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet(exportRows, { dense: true });
  ws['!autofilter'] = { ref: XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: 0, c: Math.max(0, (exportRows[0]?.length ?? 1) - 1) } }) };
  XLSX.utils.book_append_sheet(wb, ws, exportSheetName);
  if (summary) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(summary, { dense: true }), 'Summary');
  const rows = exportRows.length - 1;
  exportRows = null;
  const out = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
  // Write beside the target and rename, so a failed export never leaves half a file under the real name.
  const tmp = `${path}.${process.pid}.${Date.now()}.part`;
  try {
    writeFileSync(tmp, out);
    renameSync(tmp, path);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file may not exist; nothing to clean.
    }
    throw new Fail('IMPORT_ERROR', 'The export file could not be written; check the folder exists and is writable.');
  }
  send({ type: 'exported', rows, bytes: out.length });
}
