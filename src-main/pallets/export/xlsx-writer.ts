import { CANONICAL_FIELDS, type CanonicalField, type CellValue, type LineIssue, type LineStatus, type LineValues } from '@shared/pallets/fields';
import { explainScore, type FiredRule } from '@shared/pallets/scoring';
import { WorkerLink, type WorkerOptions } from '../reading/spreadsheet';

/**
 * What makes a spreadsheet read text as a formula (OWASP "CSV injection"): = + - @ (and their
 * full-width forms, which some spreadsheet apps also accept) as the first character after any leading
 * whitespace or invisible characters, or a tab, CR or LF at the very start.
 */
const FORMULA_STARTS = new Set(['=', '+', '-', '@', '＝', '＋', '－', '＠']);
const LEADING_FILLER = /^[\s\p{Cc}\p{Cf}\p{Zs}]+/u;

export function couldRunAsFormula(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0) return false;
  if (/^[\t\r\n]/.test(value)) return true;
  return FORMULA_STARTS.has(value.replace(LEADING_FILLER, '').charAt(0));
}

/**
 * For text outputs with no cell types (CSV, TSV, a clipboard copy): a leading apostrophe, which
 * spreadsheets read as "this is text". The .xlsx export does not need it: every text there is a typed
 * string cell (shared strings), never a formula, so the value is written exactly as it was.
 */
export function neutraliseForCsv(value: string): string {
  return couldRunAsFormula(value) ? `'${value}` : value;
}

export interface ExportLine {
  row: number;
  source: readonly CellValue[];
  values: LineValues;
  score: number;
  status: LineStatus;
  fired: readonly FiredRule[];
  issues: readonly LineIssue[];
}

export interface ExportLayout {
  /** Original header names, in column order. */
  headers: readonly string[];
  /** Canonical fields to add as columns (default: all). */
  fields?: readonly CanonicalField[];
}

/** Header row: source row, original columns, canonical fields, then the results. */
export function exportHeader(layout: ExportLayout): CellValue[] {
  const fields = layout.fields ?? CANONICAL_FIELDS;
  return ['Source row', ...layout.headers, ...fields.map((f) => `Fieldmate: ${f}`), 'Score', 'Status', 'Explanation', 'Issues'];
}

/** One exported row, values as they are (texts become typed string cells in the worker). */
export function exportRow(line: ExportLine, layout: ExportLayout): CellValue[] {
  const fields = layout.fields ?? CANONICAL_FIELDS;
  const out: CellValue[] = [line.row];
  for (let i = 0; i < layout.headers.length; i++) out.push(line.source[i] ?? null);
  for (const f of fields) out.push(line.values[f]);
  out.push(line.score, line.status, explainScore(line), line.issues.map((i) => `${i.field}: ${i.message} [${i.raw}]`).join('; '));
  return out;
}

export interface ExportOptions extends WorkerOptions, ExportLayout {
  path: string;
  lines: Iterable<ExportLine> | AsyncIterable<ExportLine>;
  /** Optional second sheet: label/value rows (valuation, rules used). */
  summary?: CellValue[][];
  sheetName?: string;
  batchRows?: number;
}

/**
 * Write an analysis to .xlsx in a worker thread (SheetJS writing 100k rows takes seconds). Lines are
 * streamed in batches so the caller can feed a DB cursor; the file appears atomically at the end.
 */
export async function exportToXlsx(opts: ExportOptions): Promise<{ rows: number; bytes: number }> {
  const link = new WorkerLink(opts);
  try {
    const ack = (r: { type: string }) => (r.type === 'ack' ? true : undefined);
    await link.request({ type: 'export-begin', sheetName: opts.sheetName ?? 'Lines', header: exportHeader(opts) }, ack);
    const size = opts.batchRows ?? 5000;
    let batch: CellValue[][] = [];
    let done = 0;
    for await (const line of opts.lines) {
      batch.push(exportRow(line, opts));
      if (batch.length >= size) {
        await link.request({ type: 'export-rows', rows: batch }, ack);
        done += batch.length;
        opts.onProgress?.({ phase: 'processing', done, total: null });
        batch = [];
      }
    }
    if (batch.length > 0) await link.request({ type: 'export-rows', rows: batch }, ack);
    const summary = opts.summary ?? null;
    const result = await link.request({ type: 'export-finish', path: opts.path, summary }, (r) => (r.type === 'exported' ? { rows: r.rows, bytes: r.bytes } : undefined));
    opts.onProgress?.({ phase: 'done', done: result.rows, total: result.rows });
    return result;
  } finally {
    await link.close();
  }
}
