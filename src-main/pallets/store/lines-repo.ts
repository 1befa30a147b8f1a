import { AppError } from '@shared/contract/errors';
import type { LineFilter, LineRow } from '@shared/contract/pallets';
import { emptyLineValues, type ConditionGrade, type LineIssue, type LineStatus, type LineValues } from '@shared/pallets/fields';
import { explainScore, type ScoredLine } from '@shared/pallets/scoring';
import { newId } from '@shared/ids';
import { cachedStatement, recordBulkInsert, recordBulkUpdate } from '@main/db/changes';
import type { Db } from '@main/db/open';
import { forgetDashboardGroups } from '../dashboard/dashboard';
import { parseMeta } from './analyses-repo';
import type { ExportLine } from '../export/xlsx-writer';
import { COLUMN_FIELDS, firedIds, firedNeedle, firedRules, isLineStatus, LINE_INSERT_COLUMNS, LINE_VALUE_SQL, lineRowValues, lineValues, parseLineData, readExtraValues, type ColumnField, type LineColumns, type LineData, type RuleDictionary } from './line-codec';

/*
 * Pallet lines. Every query names its index (INDEXED BY): without statistics SQLite prefers the narrowest
 * index and then reads 100k wide rows to sort or filter, which is what the covering indexes are for.
 * Every query says `deleted_at IS NULL`: the indexes are partial on live lines.
 */

const INSERT_SQL = `INSERT INTO pallet_items (${LINE_INSERT_COLUMNS.join(', ')}) VALUES (${LINE_INSERT_COLUMNS.map(() => '?').join(', ')})`;

/**
 * Inserts one batch of scored lines with a prepared statement in one transaction; returns their ids.
 * Import lines are queued for sync when the import commits (`queueInsertedLines`), so a cancelled import
 * never reaches the outbox (see SqlitePalletStore).
 */
export function insertLineBatch(db: Db, analysisId: string, lines: readonly ScoredLine[], now: number): string[] {
  const insert = cachedStatement(db, INSERT_SQL);
  const ids = lines.map(() => newId());
  db.$client.transaction(() => {
    for (let i = 0; i < lines.length; i++) insert.run(lineRowValues(ids[i] as string, now, analysisId, lines[i] as ScoredLine));
  })();
  return ids;
}

/** One bulk outbox entry for the lines of a finished import; call inside the commit transaction. */
export function queueInsertedLines(db: Db, ids: readonly string[], now: number): void {
  recordBulkInsert(db, 'pallet_items', ids, now);
}

// ---------------------------------------------------------------------------------------------
// Windows for the virtualised table

export type LineSortKey = 'row' | 'score' | 'status' | 'name' | 'category' | 'retailPrice' | 'priceNet' | 'quantity';
export interface LineSort {
  by: LineSortKey;
  dir: 'asc' | 'desc';
}

const SORT_SQL: Record<LineSortKey, string> = {
  row: 'source_row',
  score: 'score',
  // Severity order: ok < warning < blocked.
  status: "(CASE status WHEN 'ok' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)",
  name: 'name COLLATE NOCASE',
  category: 'category',
  retailPrice: 'retail_price',
  priceNet: 'price_net',
  quantity: 'quantity',
};

/** LIKE wildcards typed by a person are literal characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** '' stands for "no value" in category / pallet filters (the dashboard's "uncategorised" slice). */
function equalsOrNull(column: string, value: string, where: string[], params: unknown[]): void {
  if (value === '') where.push(`${column} IS NULL`);
  else {
    where.push(`${column} = ?`);
    params.push(value);
  }
}

function lineQuery(analysisId: string, filter: LineFilter, sort: LineSort): { from: string; where: string; params: unknown[] } {
  const where = ['analysis_id = ?', 'deleted_at IS NULL'];
  const params: unknown[] = [analysisId];
  if (filter.status && filter.status.length > 0) {
    where.push(`status IN (${filter.status.map(() => '?').join(', ')})`);
    params.push(...filter.status);
  }
  if (filter.category !== undefined) equalsOrNull('category', filter.category, where, params);
  if (filter.palletId !== undefined) equalsOrNull('pallet_id', filter.palletId, where, params);
  if (filter.ruleId !== undefined) {
    where.push('fired_rules IS NOT NULL', 'instr(fired_rules, ?) > 0');
    params.push(firedNeedle(filter.ruleId));
  }
  const search = filter.search?.trim();
  if (search) {
    const pattern = likePattern(search);
    where.push("(name LIKE ? ESCAPE '\\' OR brand LIKE ? ESCAPE '\\' OR ean LIKE ? ESCAPE '\\' OR sku LIKE ? ESCAPE '\\')");
    params.push(pattern, pattern, pattern, pattern);
  }
  const plain = !filter.status?.length && filter.category === undefined && filter.palletId === undefined;
  // The fired rules are in pallet_items_dash_idx: a rule filter reads that index alone.
  const index =
    filter.ruleId !== undefined
      ? 'pallet_items_dash_idx'
      : search || sort.by === 'name'
        ? 'pallet_items_search_idx'
        : plain && sort.by === 'row'
          ? 'pallet_items_analysis_idx'
          : 'pallet_items_dash_idx';
  return { from: `pallet_items INDEXED BY ${index}`, where: where.join(' AND '), params };
}

interface RowRecord {
  id: string;
  row: number;
  pallet_id: string | null;
  name: string | null;
  category: string | null;
  brand: string | null;
  ean: string | null;
  quantity: number | null;
  price_net: number | null;
  retail_price: number | null;
  condition: string | null;
  score: number;
  status: string;
  issue_count: number | null;
  f: string | null;
}

const ROW_COLUMNS = "p.id, p.source_row AS row, p.pallet_id, p.name, p.category, p.brand, p.ean, p.quantity, p.price_net, p.retail_price, p.condition, p.score, p.status, json_array_length(p.data_json, '$.i') AS issue_count, p.fired_rules AS f";

function toLineRow(r: RowRecord): LineRow {
  return {
    id: r.id,
    row: r.row,
    palletId: r.pallet_id,
    name: r.name,
    category: r.category,
    brand: r.brand,
    ean: r.ean,
    quantity: r.quantity,
    priceNet: r.price_net,
    retailPrice: r.retail_price,
    condition: r.condition,
    score: r.score,
    status: isLineStatus(r.status) ? r.status : 'ok',
    issueCount: r.issue_count ?? 0,
    firedCount: firedIds(r.f).length,
  };
}

/**
 * A window of lines: the ordered rowids come from a covering index (a sort of narrow entries), then only
 * the window's rows are read.
 */
/** The two statements of a window (count, then ordered rowids; the window's params end with LIMIT, OFFSET). */
export function windowSql(analysisId: string, filter: LineFilter, sort: LineSort): { count: string; window: string; params: unknown[] } {
  const q = lineQuery(analysisId, filter, sort);
  const dir = sort.dir === 'desc' ? 'DESC' : 'ASC';
  const order = sort.by === 'row' ? `source_row ${dir}` : `${SORT_SQL[sort.by]} ${dir}, source_row ${dir}`;
  return { count: `SELECT count(*) FROM ${q.from} WHERE ${q.where}`, window: `SELECT rowid FROM ${q.from} WHERE ${q.where} ORDER BY ${order} LIMIT ? OFFSET ?`, params: q.params };
}

export function listLines(db: Db, analysisId: string, window: { offset: number; limit: number; filter?: LineFilter; sort?: LineSort }): { lines: LineRow[]; total: number } {
  const sql = windowSql(analysisId, window.filter ?? {}, window.sort ?? { by: 'row', dir: 'asc' });
  const total = (cachedStatement(db, sql.count).pluck().get(...sql.params) as number) ?? 0;
  if (total === 0 || window.offset >= total) return { lines: [], total };
  const rowids = cachedStatement(db, sql.window)
    .pluck()
    .all(...sql.params, window.limit, window.offset) as number[];
  const rows = cachedStatement(db, `SELECT ${ROW_COLUMNS} FROM json_each(?) AS w JOIN pallet_items AS p ON p.rowid = w.value ORDER BY w.key`).all(JSON.stringify(rowids)) as RowRecord[];
  return { lines: rows.map(toLineRow), total };
}

// ---------------------------------------------------------------------------------------------
// One line

/** Values the normaliser fills in when no column holds them (net ↔ gross from VAT, one unit). */
const DERIVABLE = ['price_net', 'price_gross', 'quantity'] as const;

export function getLineDetail(db: Db, lineId: string) {
  const r = cachedStatement(
    db,
    `SELECT ${ROW_COLUMNS}, p.sku, p.price_gross, p.currency, p.data_json, a.mapping_json
     FROM pallet_items p JOIN analyses a ON a.id = p.analysis_id
     WHERE p.id = ? AND p.deleted_at IS NULL AND a.deleted_at IS NULL AND a.status = 'ready'`,
  ).get(lineId) as (RowRecord & { sku: string | null; price_gross: number | null; currency: string | null; data_json: string; mapping_json: string }) | undefined;
  if (!r) throw new AppError('NOT_FOUND', 'This line does not exist (its analysis may have been deleted).');
  const data = parseLineData(r.data_json);
  const meta = parseMeta(r.mapping_json);
  const values = lineValues(r, data.x);
  const fired = firedRules(r.f, meta.rules);
  const row = toLineRow(r);
  const headers = meta.mapping?.columns.map((c) => c.header) ?? meta.header?.headers ?? [];
  const width = Math.max(headers.length, data.s.length);
  const source = Array.from({ length: width }, (_, i) => ({ header: headers[i] ?? `Column ${i + 1}`, value: data.s[i] ?? null }));
  const read = new Set(meta.mapping?.columns.map((c) => c.field) ?? DERIVABLE);
  const derived = DERIVABLE.filter((f) => !read.has(f) && values[f] !== null);
  return { ...row, values, issues: data.i, fired, explanation: explainScore({ score: row.score, status: row.status, fired }), derived, source };
}

// ---------------------------------------------------------------------------------------------
// Streaming an analysis (re-score, preview, valuation), page by page in row order

/** What a pass over the lines reads besides the columns (only what its rules test). */
export interface ScanNeeds {
  /** The columns read, in COLUMN_FIELDS order (the others stay null). */
  columns: readonly ColumnField[];
  /** 'without-ean': only for lines without an EAN (all `ean_status` looks at); 'none': never. */
  issues: 'all' | 'without-ean' | 'none';
  /** The values that have no column (data_json's x). */
  extra: boolean;
}

/** A stored line as scoring sees it. */
export interface ScanLine {
  rid: number;
  id: string;
  row: number;
  values: LineValues;
  issues: readonly LineIssue[];
  fired: string | null;
  score: number;
  status: LineStatus;
}

/** rowid, id, source_row, the 12 COLUMN_FIELDS in order, score, status, fired_rules, '$.i', '$.x'. */
export type ScanRow = [number, string, number, string | null, string | null, string | null, string | null, string | null, string | null, number | null, number | null, number | null, number | null, string | null, string | null, number, string, string | null, string | null, string | null];

const NO_ISSUES: readonly LineIssue[] = Object.freeze([]);
const ISSUES_SQL: Record<ScanNeeds['issues'], string> = {
  all: "json_extract(data_json, '$.i')",
  'without-ean': "CASE WHEN ean IS NULL THEN json_extract(data_json, '$.i') END",
  none: 'NULL',
};

/**
 * Up to `limit` lines after source row `afterRow` as arrays (100k rows of 20 named columns cost more to
 * build than to read), with only the columns `needs` names: data_json is parsed only for what it asks, so
 * a re-score of rules that test no issue and no column-less value reads no JSON at all.
 */
export function scanPage(db: Db, analysisId: string, afterRow: number, limit: number, needs: ScanNeeds): ScanRow[] {
  return cachedStatement(db, scanSql(needs))
    .raw(true)
    .all(analysisId, afterRow, limit) as ScanRow[];
}

/** The statement of scanPage for `needs` (parameters: analysis id, after source row, limit). */
export function scanSql(needs: ScanNeeds): string {
  return `SELECT rowid, id, source_row, ${COLUMN_FIELDS.map((c) => (needs.columns.includes(c) ? c : 'NULL')).join(', ')}, score, status, fired_rules, ${ISSUES_SQL[needs.issues]}, ${needs.extra ? "coalesce(json_extract(data_json, '$.x'), '{}')" : 'NULL'}
     FROM pallet_items INDEXED BY pallet_items_analysis_idx WHERE analysis_id = ? AND deleted_at IS NULL AND source_row > ? ORDER BY source_row LIMIT ?`;
}

export function newScanLine(): ScanLine {
  return { rid: 0, id: '', row: 0, values: emptyLineValues(), issues: NO_ISSUES, fired: null, score: 0, status: 'ok' };
}

/**
 * Fills `line` (one object reused for a whole pass: scoring and the valuation keep nothing of a line)
 * from a row of `scanPage`. Values without a column stay null unless the page read them; when it did,
 * every row carries an object (possibly empty), so no value of the previous line survives.
 */
export function readScanRow(r: ScanRow, line: ScanLine): ScanLine {
  const values = line.values;
  line.rid = r[0];
  line.id = r[1];
  line.row = r[2];
  values.pallet_id = r[3];
  values.name = r[4];
  values.category = r[5];
  values.brand = r[6];
  values.ean = r[7];
  values.sku = r[8];
  values.quantity = r[9];
  values.price_net = r[10];
  values.price_gross = r[11];
  values.retail_price = r[12];
  values.currency = r[13];
  values.condition = (r[14] ?? 'unknown') as ConditionGrade;
  line.score = r[15];
  line.status = isLineStatus(r[16]) ? r[16] : 'ok';
  line.fired = r[17];
  line.issues = r[18] !== null && r[18].length > 2 ? (JSON.parse(r[18]) as LineIssue[]) : NO_ISSUES;
  if (r[19] !== null) readExtraValues(values, JSON.parse(r[19]) as LineData['x']);
  return line;
}

/** The fields a re-score writes (what its bulk outbox entry pushes). */
export const SCORE_FIELDS = ['score', 'status', 'fired_rules', 'blocking_rules', 'updated_at'] as const;

/**
 * Re-scored lines, one array per column (the same index is one line): cheap to build, and cheap to pass
 * between threads (see rescore-scanner.ts) where 35k small objects would be cloned one by one.
 */
export interface ScoreChanges {
  /** rowid and id as read: the write checks both, so a rowid reused by another line is never touched. */
  rid: number[];
  id: string[];
  score: number[];
  status: LineStatus[];
  fired: (string | null)[];
  blocking: (string | null)[];
}

export function newScoreChanges(): ScoreChanges {
  return { rid: [], id: [], score: [], status: [], fired: [], blocking: [] };
}

/**
 * Writes re-scored lines inside the caller's transaction, pushing the id of each line written to `ids`:
 * four small columns and updated_at, so SQLite rewrites the row but evaluates no JSON and moves each
 * line in pallet_items_dash_idx (and the blocking index for blocked lines) only. A line tombstoned since
 * it was read is left alone.
 */
export function applyScoreChanges(db: Db, changes: ScoreChanges, now: number, ids: string[]): void {
  if (!db.$client.inTransaction) throw new Error('Score changes must be written inside a transaction.');
  const update = cachedStatement(db, 'UPDATE pallet_items SET score = ?, status = ?, fired_rules = ?, blocking_rules = ?, updated_at = ? WHERE rowid = ? AND id = ? AND deleted_at IS NULL');
  const { rid, id, score, status, fired, blocking } = changes;
  for (let i = 0; i < rid.length; i++) {
    if (update.run(score[i], status[i], fired[i], blocking[i], now, rid[i], id[i]).changes === 1) ids.push(id[i] as string);
  }
}

/**
 * Writes re-scored lines of one analysis (only those that changed) in one transaction with one bulk
 * outbox entry (see applyScoreChanges), and forgets the analysis's dashboard groups (no trigger watches
 * status). Returns how many lines were written.
 */
export function writeScoreChanges(db: Db, analysisId: string, changes: ScoreChanges, now: number): number {
  if (changes.rid.length === 0) return 0;
  return db.$client.transaction(() => {
    const ids: string[] = [];
    applyScoreChanges(db, changes, now, ids);
    forgetDashboardGroups(db, analysisId);
    recordBulkUpdate(db, 'pallet_items', ids, SCORE_FIELDS, now);
    return ids.length;
  })();
}

/** Up to `limit` complete lines after `afterRow`, ready for the .xlsx export. */
export function exportPage(db: Db, analysisId: string, afterRow: number, limit: number, rules: RuleDictionary): ExportLine[] {
  const rows = cachedStatement(
    db,
    `SELECT source_row, ${LINE_VALUE_SQL}, score, status, data_json, fired_rules FROM pallet_items INDEXED BY pallet_items_analysis_idx
     WHERE analysis_id = ? AND deleted_at IS NULL AND source_row > ? ORDER BY source_row LIMIT ?`,
  ).all(analysisId, afterRow, limit) as (LineColumns & { source_row: number; score: number; status: string; data_json: string; fired_rules: string | null })[];
  return rows.map((r) => {
    const data = parseLineData(r.data_json);
    return { row: r.source_row, source: data.s, values: lineValues(r, data.x), score: r.score, status: isLineStatus(r.status) ? r.status : 'ok', fired: firedRules(r.fired_rules, rules), issues: data.i };
  });
}

/** Distinct categories and pallet ids of an analysis (filter choices), pallets capped at `maxPallets`. */
export function lineFacets(db: Db, analysisId: string, maxPallets: number): { categories: string[]; palletIds: string[]; palletCount: number } {
  const categories = cachedStatement(db, 'SELECT DISTINCT category FROM pallet_items INDEXED BY pallet_items_dash_idx WHERE analysis_id = ? AND deleted_at IS NULL AND category IS NOT NULL ORDER BY category')
    .pluck()
    .all(analysisId) as string[];
  const pallets = cachedStatement(db, 'SELECT DISTINCT pallet_id FROM pallet_items INDEXED BY pallet_items_dash_idx WHERE analysis_id = ? AND deleted_at IS NULL AND pallet_id IS NOT NULL ORDER BY pallet_id LIMIT ?')
    .pluck()
    .all(analysisId, maxPallets + 1) as string[];
  const palletCount =
    pallets.length <= maxPallets
      ? pallets.length
      : (cachedStatement(db, 'SELECT count(DISTINCT pallet_id) FROM pallet_items INDEXED BY pallet_items_dash_idx WHERE analysis_id = ? AND deleted_at IS NULL').pluck().get(analysisId) as number);
  return { categories, palletIds: pallets.slice(0, maxPallets), palletCount };
}

export function liveLineCount(db: Db, analysisId: string): number {
  return cachedStatement(db, 'SELECT count(*) FROM pallet_items INDEXED BY pallet_items_analysis_idx WHERE analysis_id = ? AND deleted_at IS NULL').pluck().get(analysisId) as number;
}
