import { eq } from 'drizzle-orm';
import { AppError } from '@shared/contract/errors';
import type { AnalysisSummary } from '@shared/contract/pallets';
import type { HeaderDetection } from '@shared/pallets/header-detect';
import type { ColumnMapping } from '@shared/pallets/mapper';
import type { NormaliseOptions } from '@shared/pallets/normalise';
import type { ImportStats } from '@shared/pallets/schemas';
import type { StatusCounts } from '@shared/pallets/scoring';
import type { AnalysisValuation, ValuationOptions } from '@shared/pallets/valuation';
import { cachedStatement, recordBulkUpdate, recordChange } from '@main/db/changes';
import type { Db } from '@main/db/open';
import { analyses } from '@main/db/schema';
import { updateSynced } from '@main/db/synced-repo';
import type { RuleDictionary } from './line-codec';

/**
 * Everything about an analysis that is not a column, kept as JSON in `analyses.mapping_json` (the column
 * predates this shape; the mapping is its main part): the confirmed mapping with the source headers,
 * the options the lines were normalised and valued with, the stored valuation, the status counts and
 * the dictionary of rules the lines were last scored with.
 */
export interface AnalysisMeta {
  v: 1;
  fileName: string | null;
  fileSize: number | null;
  format: string | null;
  headerRowNumber: number | null;
  header: HeaderDetection | null;
  mapping: ColumnMapping | null;
  normalise: Partial<NormaliseOptions>;
  /** Valuation options except the analysis price (that is the `pallet_price` column). */
  valuationOptions: Partial<ValuationOptions>;
  valuation: AnalysisValuation | null;
  /** Pallets left out of the stored valuation (a manifest with a pallet per line would be megabytes). */
  palletsOmitted: number;
  statuses: StatusCounts;
  rules: RuleDictionary;
  stats: ImportStats | null;
  warnings: string[];
}

/** At most this many pallets are kept in the stored valuation (the largest by retail value). */
export const MAX_STORED_PALLETS = 1000;

export function emptyMeta(): AnalysisMeta {
  return {
    v: 1,
    fileName: null,
    fileSize: null,
    format: null,
    headerRowNumber: null,
    header: null,
    mapping: null,
    normalise: {},
    valuationOptions: {},
    valuation: null,
    palletsOmitted: 0,
    statuses: { ok: 0, warning: 0, blocked: 0 },
    rules: {},
    stats: null,
    warnings: [],
  };
}

export function parseMeta(json: string): AnalysisMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return emptyMeta();
  }
  if (!raw || typeof raw !== 'object' || (raw as { v?: unknown }).v !== 1) return emptyMeta();
  return { ...emptyMeta(), ...(raw as Partial<AnalysisMeta>) };
}

/** The valuation as stored: pallets capped at MAX_STORED_PALLETS (the largest by retail value). */
export function storedValuation(valuation: AnalysisValuation): { valuation: AnalysisValuation; palletsOmitted: number } {
  if (valuation.pallets.length <= MAX_STORED_PALLETS) return { valuation, palletsOmitted: 0 };
  const kept = new Set([...valuation.pallets].sort((a, b) => b.totalRetail - a.totalRetail).slice(0, MAX_STORED_PALLETS));
  return { valuation: { ...valuation, pallets: valuation.pallets.filter((p) => kept.has(p)) }, palletsOmitted: valuation.pallets.length - MAX_STORED_PALLETS };
}

type AnalysisRow = typeof analyses.$inferSelect;

export interface StoredAnalysis {
  row: AnalysisRow;
  meta: AnalysisMeta;
}

export function toSummary({ row, meta }: StoredAnalysis): AnalysisSummary {
  return {
    id: row.id,
    name: row.name,
    supplier: row.supplier,
    sourceFile: row.sourceFile,
    sheetName: row.sheetName,
    contentHash: row.contentHash,
    palletPrice: row.palletPrice,
    currency: row.currency,
    lineCount: row.lineCount,
    statuses: meta.statuses,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Ids of the analyses users can see, newest first. */
export function analysisIds(db: Db): string[] {
  return cachedStatement(db, "SELECT id FROM analyses WHERE deleted_at IS NULL AND status = 'ready' ORDER BY created_at DESC, id DESC").pluck().all() as string[];
}

/** Analyses users can see: not deleted and completely imported. */
export function listAnalyses(db: Db): StoredAnalysis[] {
  return analysisIds(db).map((id) => getAnalysis(db, id));
}

export function getAnalysis(db: Db, id: string): StoredAnalysis {
  const row = db.select().from(analyses).where(eq(analyses.id, id)).get();
  if (!row || row.deletedAt !== null || row.status !== 'ready') throw new AppError('NOT_FOUND', 'This analysis does not exist (it may have been deleted).');
  return { row, meta: parseMeta(row.mappingJson) };
}

/** Throws NOT_FOUND unless the analysis exists, is live and finished (cheap: no meta parsing). */
export function assertAnalysis(db: Db, id: string): void {
  if (!cachedStatement(db, "SELECT 1 FROM analyses WHERE id = ? AND deleted_at IS NULL AND status = 'ready'").get(id)) {
    throw new AppError('NOT_FOUND', 'This analysis does not exist (it may have been deleted).');
  }
}

/** Ready analyses made from a file with this content hash (re-import detection). */
export function analysesByHash(db: Db, hash: string): { id: string; name: string; createdAt: number }[] {
  return db.$client
    .prepare("SELECT id, name, created_at AS createdAt FROM analyses WHERE content_hash = ? AND deleted_at IS NULL AND status = 'ready' ORDER BY created_at DESC")
    .all(hash) as { id: string; name: string; createdAt: number }[];
}

export interface NewAnalysis {
  id: string;
  name: string;
  supplier: string | null;
  sourceFile: string | null;
  sheetName: string | null;
  contentHash: string | null;
  headerRow: number | null;
  palletPrice: number | null;
  meta: AnalysisMeta;
}

/**
 * The row of an import in progress (status `importing`): hidden from every list and query, and not yet
 * queued for sync — `finishImportedAnalysis` queues it with its lines in one transaction, and a cancelled
 * or crashed import is deleted without a trace (see `deleteUnfinishedImport`).
 */
export function insertImportingAnalysis(db: Db, a: NewAnalysis, now: number): void {
  db.insert(analyses)
    .values({
      id: a.id,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      name: a.name,
      supplier: a.supplier,
      sourceFile: a.sourceFile,
      sheetName: a.sheetName,
      contentHash: a.contentHash,
      headerRow: a.headerRow,
      mappingJson: JSON.stringify(a.meta),
      palletPrice: a.palletPrice,
      currency: null,
      lineCount: 0,
      status: 'importing',
    })
    .run();
}

/** Keeps an import's row fresh while it runs, so a concurrent start-up does not take it for a crashed one. */
export function touchImportingAnalysis(db: Db, id: string, now: number): void {
  cachedStatement(db, "UPDATE analyses SET updated_at = ? WHERE id = ? AND status = 'importing'").run(now, id);
}

/** Column values of a row by SQL name, as the outbox wants them. */
function rowColumns(row: AnalysisRow): Record<string, unknown> {
  return {
    id: row.id,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    deleted_at: row.deletedAt,
    name: row.name,
    supplier: row.supplier,
    source_file: row.sourceFile,
    sheet_name: row.sheetName,
    content_hash: row.contentHash,
    header_row: row.headerRow,
    mapping_json: row.mappingJson,
    pallet_price: row.palletPrice,
    currency: row.currency,
    line_count: row.lineCount,
    status: row.status,
  };
}

/**
 * Makes an imported analysis visible and queues it for sync: the row as one change, the lines as one
 * bulk insert entry, in one transaction (the caller's `queueLines` runs inside it).
 */
export function finishImportedAnalysis(
  db: Db,
  id: string,
  patch: { lineCount: number; currency: string | null; meta: AnalysisMeta; contentHash: string; sheetName: string; headerRow: number },
  queueLines: () => void,
  now: number,
): void {
  db.$client.transaction(() => {
    const row = db
      .update(analyses)
      .set({ status: 'ready', lineCount: patch.lineCount, currency: patch.currency, mappingJson: JSON.stringify(patch.meta), contentHash: patch.contentHash, sheetName: patch.sheetName, headerRow: patch.headerRow, updatedAt: now })
      .where(eq(analyses.id, id))
      .returning()
      .get();
    if (!row) throw new AppError('NOT_FOUND', 'The analysis being imported disappeared.');
    recordChange(db, 'analyses', id, rowColumns(row), now);
    queueLines();
  })();
}

/** Removes an import that did not finish: its lines and its row, never queued, leave nothing behind. */
export function deleteUnfinishedImport(db: Db, id: string, chunk = 5000): number {
  const removeLines = cachedStatement(db, 'DELETE FROM pallet_items WHERE rowid IN (SELECT rowid FROM pallet_items INDEXED BY pallet_items_analysis_idx WHERE analysis_id = ? AND deleted_at IS NULL LIMIT ?)');
  let removed = 0;
  for (;;) {
    const n = db.$client.transaction(() => removeLines.run(id, chunk).changes)();
    removed += n;
    if (n < chunk) break;
  }
  cachedStatement(db, "DELETE FROM analyses WHERE id = ? AND status = 'importing'").run(id);
  return removed;
}

/** Imports left behind by a crash (no sign of life for `staleMs`): ids to delete. */
export function staleImports(db: Db, now: number, staleMs: number): string[] {
  return (db.$client.prepare("SELECT id FROM analyses WHERE status = 'importing' AND updated_at < ?").all(now - staleMs) as { id: string }[]).map((r) => r.id);
}

export function updateAnalysis(db: Db, id: string, patch: { name?: string; supplier?: string | null; palletPrice?: number | null; meta?: AnalysisMeta; lineCount?: number; currency?: string | null }, now = Date.now()): StoredAnalysis {
  getAnalysis(db, id);
  const values: Partial<typeof analyses.$inferInsert> = {};
  if (patch.name !== undefined) values.name = patch.name;
  if (patch.supplier !== undefined) values.supplier = patch.supplier;
  if (patch.palletPrice !== undefined) values.palletPrice = patch.palletPrice;
  if (patch.meta !== undefined) values.mappingJson = JSON.stringify(patch.meta);
  if (patch.lineCount !== undefined) values.lineCount = patch.lineCount;
  if (patch.currency !== undefined) values.currency = patch.currency;
  const row = updateSynced(db, analyses, id, values, now);
  return { row, meta: parseMeta(row.mappingJson) };
}

/** Tombstones the analysis row (its lines follow with `tombstoneLines`, in chunks). */
export function tombstoneAnalysis(db: Db, id: string, now = Date.now()): void {
  updateSynced(db, analyses, id, { deletedAt: now }, now);
}

/**
 * Tombstones up to `limit` live lines of an analysis in one transaction with one bulk outbox entry.
 * Returns how many it tombstoned (0: none left). Callers loop, yielding between chunks.
 */
export function tombstoneLines(db: Db, analysisId: string, now: number, limit = 10_000): number {
  const select = cachedStatement(db, 'SELECT id FROM pallet_items INDEXED BY pallet_items_analysis_idx WHERE analysis_id = ? AND deleted_at IS NULL LIMIT ?').pluck();
  const update = cachedStatement(db, 'UPDATE pallet_items SET deleted_at = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))');
  return db.$client.transaction(() => {
    const ids = select.all(analysisId, limit) as string[];
    if (ids.length === 0) return 0;
    update.run(now, now, JSON.stringify(ids));
    recordBulkUpdate(db, 'pallet_items', ids, ['deleted_at', 'updated_at'], now);
    return ids.length;
  })();
}

/** Deleted analyses that still have live lines (a delete interrupted by a crash, or synced half-way). */
export function deletedWithLiveLines(db: Db): string[] {
  return (
    db.$client
      .prepare('SELECT a.id FROM analyses a WHERE a.deleted_at IS NOT NULL AND EXISTS (SELECT 1 FROM pallet_items p INDEXED BY pallet_items_analysis_idx WHERE p.analysis_id = a.id AND p.deleted_at IS NULL)')
      .all() as { id: string }[]
  ).map((r) => r.id);
}
