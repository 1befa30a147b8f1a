import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import * as XLSX from 'xlsx';
import type { CellValue } from '@shared/pallets/fields';
import type { ImportLimits, SpreadsheetFormat } from '@shared/pallets/schemas';
import { corrupt, ENCRYPTED_MESSAGE, sniff, sniffDelimiter } from './sniff';
import { fastBook, Fail, sheetInfos, sheetJsBook, sheetJsReadOptions, type Book, type BookSheet } from './spreadsheet-book';
import { DEFAULT_LIMITS, type FromWorker, type ToWorker } from './worker-protocol';
import { readXlsxFast } from './xlsx-fast';
import { Refused } from './xlsx-limits';
import { checkHtmlForSheetJs, checkXmlForSheetJs, checkZipForSheetJs } from './sheetjs-bounds';

/*
 * Spreadsheet worker: parses off the main thread (.xlsx/.xlsm with the fast reader when it accepts the
 * file, everything else and the rest with SheetJS) and streams rows back in chunks of primitives (no
 * cell objects cross the boundary), with credit-based flow control so at most a few chunks are in
 * flight. Also writes exports, so a 100k-line XLSX write never blocks the main thread.
 */

if (!parentPort) throw new Error('spreadsheet-worker must be started as a worker thread.');
const port = parentPort;

interface CfbEntry {
  name: string;
}
interface CfbContainer {
  FileIndex: CfbEntry[];
}

/** Extra rows allowed above the data for titles and the header, on top of the row limit. */
const HEADER_ALLOWANCE = 100;

let book: Book | null = null;
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
      return open(msg.path, msg.limits, msg.sheet, msg.bytes);
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

function fileSize(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Fail('IMPORT_ERROR', 'The path is not a file.');
    return st.size;
  } catch (err) {
    if (err instanceof Fail) throw err;
    throw new Fail('IMPORT_ERROR', 'The file does not exist or cannot be opened.');
  }
}

/** Read the file at `path`, or `bytes` when given (then `path` only names the file). */
async function open(path: string, lim: ImportLimits, only: string | null, bytes: Uint8Array | undefined): Promise<void> {
  limits = lim;
  book = null;
  const size = bytes ? bytes.byteLength : fileSize(path);
  if (size === 0) throw new Fail('IMPORT_ERROR', 'The file is empty.');
  if (size > limits.maxFileBytes) throw new Fail('IMPORT_ERROR', `The file is ${mb(size)}; the limit is ${mb(limits.maxFileBytes)}.`);
  send({ type: 'progress', phase: 'reading', done: 0, total: size });
  const buf = bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : readFileSync(path);
  const hash = createHash('sha256').update(buf).digest('hex');
  send({ type: 'progress', phase: 'reading', done: size, total: size });

  const kind = sniff(buf);
  if (kind.kind === 'reject') throw new Fail('IMPORT_ERROR', kind.message);
  send({ type: 'progress', phase: 'parsing', done: 0, total: null });
  const format: SpreadsheetFormat = kind.kind === 'zip' ? kind.format : kind.kind === 'cfb' ? 'xls' : kind.markup ? (/^\s*<\?xml/.test(kind.text) ? 'xml' : 'html') : 'csv';
  if (kind.kind === 'zip' && (kind.format === 'xlsx' || kind.format === 'xlsm')) {
    const fast = await refusals(() =>
      readXlsxFast(buf, {
        onlySheet: only,
        maxStoredRows: limits.maxRows + HEADER_ALLOWANCE + 1,
        maxColumns: limits.maxColumns,
        maxCellLength: limits.maxCellLength,
        onProgress: (done, total) => send({ type: 'progress', phase: 'parsing', done, total }),
      }),
    );
    if (fast.book) book = fastBook(fast.book);
    else send({ type: 'log', message: `fast .xlsx reader declined the file (${fast.declined ?? 'unknown'}); reading it with SheetJS` });
  }
  // SheetJS inflates and builds everything at once, without bounds of its own: check the package first.
  if (!book && kind.kind === 'zip') await refusals(() => checkZipForSheetJs(buf), ' (the ZIP container is broken)');
  if (!book && kind.kind === 'text' && kind.markup) {
    const text = kind.text;
    await refusals(async () => (format === 'xml' ? checkXmlForSheetJs(text) : checkHtmlForSheetJs(text)));
  }
  book ??= readWithSheetJs(buf, kind, only);
  const names = book.sheets().map((s) => s.name);
  if (only !== null && !names.includes(only)) {
    throw new Fail('NOT_FOUND', `There is no sheet named "${only}"; the sheets are: ${names.join(', ')}.`);
  }
  const sheets = sheetInfos(book);
  if (sheets.every((s) => s.rows === 0)) throw new Fail('IMPORT_ERROR', 'The spreadsheet contains no data.');
  send({ type: 'progress', phase: 'parsing', done: 1, total: 1 });
  send({ type: 'opened', size, hash, format, sheets, reader: book.reader });
}

/** A bound the file breaks becomes the user's sentence; with `brokenDetail`, any other failure means a damaged file. */
async function refusals<T>(read: () => Promise<T>, brokenDetail?: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof Refused) throw new Fail('IMPORT_ERROR', err.message);
    if (brokenDetail !== undefined) throw new Fail('IMPORT_ERROR', corrupt(brokenDetail).message);
    throw err;
  }
}

function readWithSheetJs(buf: Buffer, kind: Exclude<ReturnType<typeof sniff>, { kind: 'reject' }>, only: string | null): Book {
  const opts = sheetJsReadOptions(limits.maxRows + HEADER_ALLOWANCE + 1, only);
  try {
    if (kind.kind === 'zip') return sheetJsBook(XLSX.read(buf, { ...opts, type: 'buffer' }), limits);
    if (kind.kind === 'cfb') {
      checkCfb(buf);
      return sheetJsBook(XLSX.read(buf, { ...opts, type: 'buffer' }), limits);
    }
    if (kind.markup) return sheetJsBook(XLSX.read(kind.text, { ...opts, type: 'string' }), limits);
    // raw: keep every CSV cell as text; SheetJS would otherwise read "12,50" as 1250.
    return sheetJsBook(XLSX.read(kind.text, { ...opts, type: 'string', raw: true, FS: sniffDelimiter(kind.text) }), limits);
  } catch (err) {
    if (err instanceof Fail) throw err;
    const text = err instanceof Error ? err.message : String(err);
    if (/password|encrypt/i.test(text)) throw new Fail('IMPORT_ERROR', ENCRYPTED_MESSAGE);
    throw new Fail('IMPORT_ERROR', corrupt().message);
  }
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

function sheetOf(name: string): { sheet: BookSheet; rows: number; width: number } {
  if (!book) throw new Fail('INTERNAL', 'No spreadsheet is open.');
  const sheets = book.sheets();
  const sheet = sheets.find((s) => s.name === name);
  if (!sheet) throw new Fail('NOT_FOUND', `There is no sheet named "${name}"; the sheets are: ${sheets.map((s) => s.name).join(', ')}.`);
  const e = sheet.extent();
  if (e.rows === 0) throw new Fail('IMPORT_ERROR', `The sheet "${name}" is empty.`);
  // Readers stop storing rows one past the cap. A workbook says how far the sheet really goes (fullRows);
  // a CSV does not, so reaching the cap is itself the sign that rows were left unread.
  if (e.fullRows > e.rows || e.rows > limits.maxRows + HEADER_ALLOWANCE) {
    const count = e.fullRows > e.rows ? e.fullRows.toLocaleString('en') : `more than ${(limits.maxRows + HEADER_ALLOWANCE).toLocaleString('en')}`;
    throw new Fail('IMPORT_ERROR', `The sheet "${name}" has ${count} rows; the limit is ${limits.maxRows.toLocaleString('en')}.`);
  }
  if (e.width > limits.maxColumns) throw new Fail('IMPORT_ERROR', `The sheet "${name}" has ${e.width} columns; the limit is ${limits.maxColumns}.`);
  const problem = sheet.problem();
  if (problem) throw new Fail('IMPORT_ERROR', problem);
  return { sheet, rows: e.rows, width: e.width };
}

function head(name: string, count: number): void {
  const { sheet, rows, width } = sheetOf(name);
  const n = Math.min(count, rows);
  const out: CellValue[][] = [];
  for (let r = 0; r < n; r++) out.push(sheet.row(r, width));
  const merges = sheet.merges().filter((m) => m.s.r < n);
  send({ type: 'head', rows: out, merges, totalRows: rows, width });
}

const encoder = new TextEncoder();

/**
 * Stream rows from `from` to the end as JSON buffers (transferred, so the main thread holds compact
 * bytes, not 15 objects per row, until it decodes a chunk). Normally a credit is spent per chunk so at
 * most a few wait in memory. With `release` (a one-shot import) the worker drains the sheet without
 * waiting and drops each row as it goes: the main thread then ends the worker as soon as the last
 * chunk is out, which frees the parsed workbook long before the import has been processed.
 */
async function stream(name: string, from: number, chunkRows: number, initialCredit: number, release: boolean): Promise<void> {
  const { sheet, rows, width } = sheetOf(name);
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
      chunk[r - start] = sheet.row(r, width);
      if (release) sheet.release(r);
    }
    sent += end - start;
    const json = encoder.encode(JSON.stringify(chunk));
    port.postMessage({ type: 'chunk', start, count: end - start, json } satisfies FromWorker, [json.buffer]);
  }
  if (release) book?.remove(name);
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
  // Shared strings: every text is a typed string cell (t="s"), which no spreadsheet evaluates as a formula.
  const out = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true, bookSST: true }) as Buffer;
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
