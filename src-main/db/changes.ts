import type Database from 'better-sqlite3';
import type { Db } from './open';
import { baselineClock, cachedStatement, nextClock } from './clock';
import { newId } from '@shared/ids';

/** Tables whose rows travel to the team server. Device-local tables (models, settings) are absent. */
export const SYNCED_TABLES = [
  'leads',
  'coaching_sessions',
  'messages',
  'client_profiles',
  'suggestions',
  'feedback',
  'knowledge_entries',
  'analyses',
  'pallet_items',
  'rules',
  'column_mappings',
  'lead_archetypes',
  'pallet_line_corrections',
  'followup_sequences',
  'followup_steps',
  'outcomes',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

export function isSyncedTable(name: string): name is SyncedTable {
  return (SYNCED_TABLES as readonly string[]).includes(name);
}

/** `row_id` of an outbox entry that stands for many rows (a bulk import or a bulk update). */
export const BULK_ROW_ID = '*';

/** `changes_json` of a bulk entry: the rows' ids and the fields written (null: every column, an insert). */
export interface BulkChange {
  bulk: { fields: string[] | null; ids: string[] };
}

export { cachedStatement };

export interface RecordChangeOptions {
  /**
   * A value every device writes identically (a shipped default under a deterministic id): its clock is
   * the lowest possible, so any real edit on any device wins over it, however late the default arrives.
   */
  baseline?: boolean;
  /**
   * false: remember the field clocks but queue nothing to send. For a shipped default every device writes
   * identically: it is not the person's change, and the first edit queues the whole row (baseline clock).
   */
  queue?: boolean;
}

/**
 * Records one local write of a synced row: the changed columns go to the outbox and each column's
 * clock is remembered, in the caller's transaction (so the write and its outbox entry commit together).
 * `changes` uses SQL column names (snake_case), as the server stores them.
 */
export function recordChange(db: Db, table: SyncedTable, rowId: string, changes: Record<string, unknown>, now = Date.now(), options: RecordChangeOptions = {}): string {
  const hlc = options.baseline ? baselineClock(db) : nextClock(db, now);
  if (options.queue !== false) {
    cachedStatement(db, 'INSERT INTO sync_outbox (table_name, row_id, changes_json, hlc, created_at) VALUES (?, ?, ?, ?, ?)').run(table, rowId, JSON.stringify(changes), hlc, now);
  }
  const clock = cachedStatement(
    db,
    'INSERT INTO sync_field_clocks (table_name, row_id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT(table_name, row_id, field) DO UPDATE SET hlc = excluded.hlc WHERE excluded.hlc > sync_field_clocks.hlc',
  );
  for (const field of Object.keys(changes)) {
    if (field === 'id') continue;
    clock.run(table, rowId, field, hlc);
  }
  return hlc;
}

function recordBulk(db: Db, table: SyncedTable, ids: readonly string[], fields: string[] | null, now: number): string {
  if (!db.$client.inTransaction) throw new Error('Bulk changes must be recorded inside the transaction that writes the rows.');
  if (!isSyncedTable(table)) throw new Error(`${String(table)} is not a synced table`);
  const hlc = nextClock(db, now);
  if (ids.length === 0) return hlc;
  const change: BulkChange = { bulk: { fields, ids: [...new Set(ids)] } };
  cachedStatement(db, 'INSERT INTO sync_outbox (table_name, row_id, changes_json, hlc, created_at) VALUES (?, ?, ?, ?, ?)').run(table, BULK_ROW_ID, JSON.stringify(change), hlc, now);
  return hlc;
}

/**
 * Queues rows the caller has just inserted (in its open transaction) with ONE outbox entry and one
 * clock: push reads the rows themselves and sends them page by page with COPY. Costs one JSON string of
 * the ids (100k rows: ~20 ms) instead of 100k outbox rows and ~2M field clocks. Until pushed, the rows
 * count as pending; later edits of single rows go through `updateSynced` as usual.
 */
export function recordBulkInsert(db: Db, table: SyncedTable, ids: readonly string[], now = Date.now()): string {
  return recordBulk(db, table, ids, null, now);
}

/**
 * Queues the same fields of many rows the caller has just updated (e.g. re-scoring 100k pallet lines
 * after a rule change, or tombstoning an analysis's lines): one outbox entry; push sends each row's
 * current values of `fields` under this one clock. Include `updated_at` if you set it.
 */
export function recordBulkUpdate(db: Db, table: SyncedTable, ids: readonly string[], fields: readonly string[], now = Date.now()): string {
  const clean = [...new Set(fields)].filter((f) => f !== 'id');
  if (clean.length === 0) throw new Error('recordBulkUpdate needs at least one field');
  return recordBulk(db, table, ids, clean, now);
}

/**
 * Inserts many rows of a synced table with one prepared statement and queues them with
 * `recordBulkInsert`, in one transaction. Rows use SQL column names and must all have the same
 * columns; `id`, `created_at`, `updated_at` are filled when absent.
 */
export function insertSyncedBulk(db: Db, table: SyncedTable, rows: readonly Record<string, unknown>[], now = Date.now()): { ids: string[]; hlc: string | null } {
  if (rows.length === 0) return { ids: [], hlc: null };
  const given = Object.keys(rows[0]!).filter((c) => /^[a-z_][a-z0-9_]*$/.test(c));
  const columns = [...new Set(['id', 'created_at', 'updated_at', ...given])];
  const stmt = db.$client.prepare(`INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const ids: string[] = new Array(rows.length);
  const values: unknown[] = new Array(columns.length);
  let hlc: string | null = null;
  db.$client.transaction(() => {
    rows.forEach((row, r) => {
      const id = typeof row.id === 'string' ? row.id : newId();
      ids[r] = id;
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i]!;
        const v = c === 'id' ? id : (row[c] ?? (c === 'created_at' || c === 'updated_at' ? now : null));
        values[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }
      stmt.run(values);
    });
    hlc = recordBulkInsert(db, table, ids, now);
  })();
  return { ids, hlc };
}

const bulkSizes = new WeakMap<Database.Database, Map<number, number>>();

/** Rows in a bulk entry (cached: the entry never changes, only its progress does). */
export function bulkSize(db: Db, seq: number): number {
  let sizes = bulkSizes.get(db.$client);
  if (!sizes) {
    sizes = new Map();
    bulkSizes.set(db.$client, sizes);
  }
  let n = sizes.get(seq);
  if (n === undefined) {
    const row = cachedStatement(db, "SELECT json_array_length(changes_json, '$.bulk.ids') AS n FROM sync_outbox WHERE seq = ?").get(seq) as { n: number | null } | undefined;
    n = row?.n ?? 0;
    sizes.set(seq, n);
  }
  return n;
}

export const bulkProgressKey = (seq: number): string => `bulk_progress:${seq}`;

/** Local changes not yet accepted by the server (each row of a bulk entry counts once). */
export function pendingChangeCount(db: Db): number {
  const single = (cachedStatement(db, 'SELECT count(*) AS n FROM sync_outbox WHERE row_id <> ?').get(BULK_ROW_ID) as { n: number }).n;
  const bulk = cachedStatement(db, 'SELECT seq FROM sync_outbox WHERE row_id = ?').all(BULK_ROW_ID) as { seq: number }[];
  let rows = 0;
  for (const { seq } of bulk) {
    const done = cachedStatement(db, 'SELECT value FROM sync_state WHERE key = ?').get(bulkProgressKey(seq)) as { value: string } | undefined;
    rows += Math.max(0, bulkSize(db, seq) - Number(done?.value ?? 0));
  }
  return single + rows;
}
