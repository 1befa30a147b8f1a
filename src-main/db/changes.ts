import type { Db } from './open';
import { nextClock } from './clock';

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
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

export function isSyncedTable(name: string): name is SyncedTable {
  return (SYNCED_TABLES as readonly string[]).includes(name);
}

/**
 * Records one local write of a synced row: the changed columns go to the outbox and each column's
 * clock is remembered, in the caller's transaction (so the write and its outbox entry commit together).
 * `changes` uses SQL column names (snake_case), as the server stores them.
 */
export function recordChange(db: Db, table: SyncedTable, rowId: string, changes: Record<string, unknown>, now = Date.now()): string {
  const hlc = nextClock(db, now);
  db.$client
    .prepare('INSERT INTO sync_outbox (table_name, row_id, changes_json, hlc, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(table, rowId, JSON.stringify(changes), hlc, now);
  const clock = db.$client.prepare(
    'INSERT INTO sync_field_clocks (table_name, row_id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT(table_name, row_id, field) DO UPDATE SET hlc = excluded.hlc',
  );
  for (const field of Object.keys(changes)) {
    if (field === 'id') continue;
    clock.run(table, rowId, field, hlc);
  }
  return hlc;
}

export function pendingChangeCount(db: Db): number {
  return (db.$client.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
}
