import type { ResourceLimits } from 'node:worker_threads';
import { AppError } from '@shared/contract/errors';
import type { CanonicalField, CellValue } from '@shared/pallets/fields';
import { detectHeaderRow, headersAt, type HeaderDetection } from '@shared/pallets/header-detect';
import { applyMappingOverride, autoMapColumns, type ColumnMapping, type MappingOverride } from '@shared/pallets/mapper';
import { createLineNormaliser, type LineNormaliser, type NormaliseOptions } from '@shared/pallets/normalise';
import { RULE_TEMPLATES } from '@shared/pallets/rule-templates';
import type { Rule } from '@shared/pallets/rules';
import type { FileInfo, ImportLimits, ImportPreview, ImportProgress, ImportStats, ImportSummary } from '@shared/pallets/schemas';
import { compileRules, type ScoredLine } from '@shared/pallets/scoring';
import { createValuation, type ValuationOptions } from '@shared/pallets/valuation';
import { CANCELLED_MESSAGE, openSpreadsheet, type SheetHead, type SpreadsheetReader, type WorkerEntry } from '../reading/spreadsheet';
import type { PalletStore } from '../store/pallet-store';

/** Rows fetched for header detection (first 40) plus the mapper's value sample. */
const HEAD_ROWS = 250;

export interface AnalyseOptions {
  /** Sheet name; default: the first visible sheet with data. */
  sheet?: string | null;
  /** 0-based header row chosen by the user; default: detected. */
  headerRow?: number | null;
  /** The mapping the user confirmed in the preview (must have one entry per column). */
  mapping?: ColumnMapping | null;
  /**
   * A remembered override applied to the automatic mapping: given, or looked up by the header signature
   * once it is known (so a caller never needs a first pass just to learn the signature).
   */
  override?: MappingOverride | null | ((signature: string) => MappingOverride | null);
  rules?: readonly Rule[];
  normalise?: Partial<NormaliseOptions>;
}

export interface PreviewOptions extends AnalyseOptions {
  sampleSize?: number;
}

export interface ImportOptions extends AnalyseOptions {
  /** File to read; or pass an open `reader` (from the preview step) to avoid parsing twice. */
  path?: string;
  reader?: SpreadsheetReader;
  valuation?: Partial<ValuationOptions>;
  limits?: Partial<ImportLimits>;
  store?: PalletStore;
  /** Keep every scored line in the result (default: only when there is no store). */
  collectLines?: boolean;
  /**
   * Let the worker free the sheet while it streams and end as soon as the rows are out (lower peak
   * memory; the reader cannot read that sheet again). Default: true when the pipeline opened the file.
   */
  releaseSheet?: boolean;
  /** Lines per store.insertLines call. */
  batchSize?: number;
  chunkRows?: number;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  worker?: WorkerEntry;
  resourceLimits?: ResourceLimits;
  onWorkerExit?: (exitCode: number) => void;
}

export interface ImportResult extends ImportSummary {
  lines: ScoredLine[] | null;
}

export function chooseSheet(file: FileInfo, wanted: string | null | undefined): string {
  if (wanted !== null && wanted !== undefined) {
    if (!file.sheets.some((s) => s.name === wanted)) throw new AppError('NOT_FOUND', `There is no sheet named "${wanted}"; the sheets are: ${file.sheets.map((s) => s.name).join(', ')}.`);
    return wanted;
  }
  // A cover sheet ("Info", a logo and one line) has one column; the manifest has several. A lot summary
  // ("Units | 240") has two columns and a few rows: the manifest is the sheet with most of the rows.
  const tables = file.sheets.filter((s) => !s.hidden && s.rows > 0 && s.columns >= 2);
  const most = Math.max(0, ...tables.map((s) => s.rows));
  const sheet = tables.find((s) => s.rows >= most * 0.2) ?? file.sheets.find((s) => s.rows > 0);
  if (!sheet) throw new AppError('IMPORT_ERROR', 'The spreadsheet contains no data.');
  return sheet.name;
}

interface Analysis {
  header: HeaderDetection;
  mapping: ColumnMapping;
  sampleRows: CellValue[][];
}

function analyseHead(head: SheetHead, sheet: string, opts: AnalyseOptions): Analysis {
  let header: HeaderDetection | null;
  if (opts.headerRow !== null && opts.headerRow !== undefined) {
    if (opts.headerRow < 0 || opts.headerRow >= Math.min(head.rows.length, head.totalRows)) throw new AppError('VALIDATION', `Row ${opts.headerRow + 1} is not within the first rows of the sheet.`);
    header = headersAt(head.rows, opts.headerRow, head.merges, head.width);
  } else header = detectHeaderRow(head.rows, head.merges, head.width);
  if (!header) throw new AppError('IMPORT_ERROR', `No header row was found in sheet "${sheet}": no row in the first 40 has two or more filled cells.`);
  const sampleRows = head.rows.slice(header.headerRow + 1);
  let mapping: ColumnMapping;
  if (opts.mapping) {
    if (opts.mapping.columns.length !== header.headers.length) throw new AppError('VALIDATION', `The mapping has ${opts.mapping.columns.length} columns but the sheet has ${header.headers.length}.`);
    mapping = opts.mapping;
  } else {
    mapping = autoMapColumns(header.headers, sampleRows);
    const override = typeof opts.override === 'function' ? opts.override(mapping.signature) : opts.override;
    if (override && override.signature === mapping.signature) mapping = applyMappingOverride(mapping, override);
  }
  return { header, mapping, sampleRows };
}

const IDENTITY_FIELDS: readonly CanonicalField[] = ['name', 'description', 'sku', 'ean', 'asin', 'fc_sku'];
const PRICE_FIELDS: readonly CanonicalField[] = ['price_net', 'price_gross', 'retail_price'];

function mappingWarnings(header: HeaderDetection, mapping: ColumnMapping, normaliser: LineNormaliser): string[] {
  const fields = new Set(mapping.columns.map((c) => c.field));
  const out: string[] = [];
  if (header.confidence < 0.5) out.push(`The header row (row ${header.headerRow + 1}) was guessed with low confidence; check it.`);
  if (!IDENTITY_FIELDS.some((f) => fields.has(f))) out.push('No column was recognised as a product name or code; check the mapping.');
  if (!PRICE_FIELDS.some((f) => fields.has(f))) out.push('No price column was recognised; the valuation will be empty.');
  else if (normaliser.assumedCurrency !== null) out.push(`No currency is named in the first rows; prices are taken as ${normaliser.assumedCurrency}.`);
  return out;
}

/** Read enough of a sheet to show the import wizard: detected header, mapping with confidence, scored sample. */
export async function previewImport(reader: SpreadsheetReader, opts: PreviewOptions = {}): Promise<ImportPreview> {
  const sheet = chooseSheet(reader.file, opts.sheet);
  const head = await reader.head(sheet, HEAD_ROWS);
  const { header, mapping, sampleRows } = analyseHead(head, sheet, opts);
  const normaliser = createLineNormaliser({ mapping, sampleRows, titleRows: head.rows.slice(0, header.headerRow + 1), options: opts.normalise });
  const compiled = compileRules(opts.rules ?? RULE_TEMPLATES);
  const sample: ScoredLine[] = [];
  const size = opts.sampleSize ?? 50;
  for (let i = 0; i < sampleRows.length && sample.length < size; i++) {
    const line = normaliser.normalise(sampleRows[i] ?? [], header.headerRow + 2 + i);
    if (typeof line === 'string') continue;
    sample.push({ ...line, ...compiled.score(line) });
  }
  return {
    file: reader.file,
    sheet,
    headerRowNumber: header.headerRow + 1,
    header,
    mapping,
    dataRows: Math.max(0, head.totalRows - header.headerRow - 1),
    sample,
    detectedCurrency: normaliser.detectedCurrency,
    warnings: mappingWarnings(header, mapping, normaliser),
  };
}

function cancelled(): AppError {
  return new AppError('CANCELLED', CANCELLED_MESSAGE);
}

/**
 * The whole import: read (worker) → detect header → map → normalise → score → store, streaming
 * chunk by chunk so memory stays flat, with progress and cancellation. Storing is the caller's
 * PalletStore; without one the lines are returned.
 */
export async function runImport(opts: ImportOptions): Promise<ImportResult> {
  const t0 = performance.now();
  const { signal, onProgress, store } = opts;
  if (signal?.aborted) throw cancelled();
  let reader = opts.reader;
  const ownReader = reader === undefined;
  if (!reader) {
    if (!opts.path) throw new AppError('VALIDATION', 'No file was given to import.');
    reader = await openSpreadsheet(opts.path, {
      limits: opts.limits,
      signal,
      onProgress,
      worker: opts.worker,
      resourceLimits: opts.resourceLimits,
      onWorkerExit: opts.onWorkerExit,
      onlySheet: opts.sheet ?? null,
    });
  }
  const tOpen = performance.now();
  let began = false;
  try {
    const sheet = chooseSheet(reader.file, opts.sheet);
    const head = await reader.head(sheet, HEAD_ROWS);
    const rules = opts.rules ?? RULE_TEMPLATES;
    const { header, mapping, sampleRows } = analyseHead(head, sheet, opts);
    onProgress?.({ phase: 'mapping', done: 1, total: 1 });
    const normaliser = createLineNormaliser({ mapping, sampleRows, titleRows: head.rows.slice(0, header.headerRow + 1), options: opts.normalise });
    const compiled = compileRules(rules);
    const valuation = createValuation(opts.valuation);
    const collect = opts.collectLines ?? !store;
    const lines: ScoredLine[] | null = collect ? [] : null;
    const batchSize = opts.batchSize ?? 1000;
    const stats: ImportStats = {
      rows: 0,
      lines: 0,
      skipped: { blank: 0, summary: 0, repeated_header: 0 },
      issues: { rejected: 0, guessed: 0 },
      issuesByField: [],
      statuses: { ok: 0, warning: 0, blocked: 0 },
      averageScore: 0,
      issueSamples: [],
    };
    const byField = new Map<CanonicalField, { rejected: number; guessed: number }>();
    let scoreSum = 0;

    if (store) {
      await store.begin({ file: reader.file, sheet, headerRowNumber: header.headerRow + 1, header, mapping, rules });
      began = true;
    }
    const dataStart = header.headerRow + 1;
    const total = Math.max(0, head.totalRows - dataStart);
    let batch: ScoredLine[] = [];
    onProgress?.({ phase: 'processing', done: 0, total });
    // A reader opened here is used once: let the worker free the sheet as it streams.
    for await (const chunk of reader.rows(sheet, dataStart, { chunkRows: opts.chunkRows, release: opts.releaseSheet ?? ownReader })) {
      if (signal?.aborted) throw cancelled();
      const rows = chunk.rows;
      for (let i = 0; i < rows.length; i++) {
        stats.rows++;
        const n = normaliser.normalise(rows[i] as CellValue[], chunk.start + i + 1);
        if (typeof n === 'string') {
          stats.skipped[n]++;
          continue;
        }
        const s = compiled.score(n);
        const line: ScoredLine = { row: n.row, values: n.values, issues: n.issues, source: n.source, score: s.score, status: s.status, fired: s.fired };
        stats.lines++;
        stats.statuses[s.status]++;
        scoreSum += s.score;
        for (const issue of n.issues) {
          let f = byField.get(issue.field);
          if (!f) byField.set(issue.field, (f = { rejected: 0, guessed: 0 }));
          f[issue.kind]++;
          stats.issues[issue.kind]++;
          if (stats.issueSamples.length < 100) stats.issueSamples.push({ row: n.row, ...issue });
        }
        valuation.add(line);
        lines?.push(line);
        if (store) {
          batch.push(line);
          if (batch.length >= batchSize) {
            await store.insertLines(batch);
            batch = [];
          }
        }
      }
      onProgress?.({ phase: 'processing', done: Math.min(total, chunk.start + rows.length - dataStart), total });
    }
    if (signal?.aborted) throw cancelled();
    if (store && batch.length > 0) await store.insertLines(batch);
    stats.issuesByField = [...byField].map(([field, c]) => ({ field, ...c }));
    stats.averageScore = stats.lines === 0 ? 0 : Math.round((scoreSum / stats.lines) * 100) / 100;
    const value = valuation.result();
    const warnings = mappingWarnings(header, mapping, normaliser);
    if (value.mixedCurrencies.length > 0) warnings.push(`Prices are in more than one currency (${value.mixedCurrencies.join(', ')}); totals mix them.`);
    if (stats.lines === 0) warnings.push('No data lines were found below the header.');
    const tEnd = performance.now();
    const summary: ImportSummary = {
      file: reader.file,
      sheet,
      headerRowNumber: header.headerRow + 1,
      header,
      mapping,
      stats,
      valuation: value,
      detectedCurrency: normaliser.detectedCurrency,
      timings: { openMs: Math.round(tOpen - t0), processMs: Math.round(tEnd - tOpen), totalMs: Math.round(tEnd - t0), reader: reader.reader },
      warnings,
    };
    if (store) await store.commit(summary);
    onProgress?.({ phase: 'done', done: stats.lines, total: stats.lines });
    return { ...summary, lines };
  } catch (err) {
    if (began && store) {
      try {
        await store.rollback(err);
      } catch {
        // The original failure is what the user needs to read; a failed rollback must not mask it.
      }
    }
    if (signal?.aborted && !(err instanceof AppError && err.code === 'CANCELLED')) throw cancelled();
    throw err;
  } finally {
    if (ownReader) await reader.close();
  }
}
