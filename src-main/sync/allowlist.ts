import { getTableColumns, getTableName } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { isSyncedTable } from '../db/changes';
import * as schema from '../db/schema';
import { serverTablesAt } from './server/migrations';
import type { ServerTables } from './server/types';

/** Synced table → the data columns a pull may write (`id` is implicit: every synced row has one). */
export type SyncAllowlist = ReadonlyMap<string, ReadonlySet<string>>;

const cache = new WeakMap<ServerTables, SyncAllowlist>();

/**
 * The one list of what a pull may write, derived from the local drizzle schema: the synced tables
 * (`SYNCED_TABLES`) and, of each, the columns the server schema also carries. Table and column names in
 * a pulled page come from the server and are quoted into SQL, so anything outside this list (a device-
 * local table such as `models` or `__drizzle_migrations`, a column nobody syncs) is refused before any
 * statement is built.
 */
export function syncAllowlist(tables: ServerTables = serverTablesAt()): SyncAllowlist {
  const cached = cache.get(tables);
  if (cached) return cached;
  const out = new Map<string, ReadonlySet<string>>();
  for (const value of Object.values(schema)) {
    if (!(value instanceof SQLiteTable)) continue;
    const name = getTableName(value);
    if (!isSyncedTable(name)) continue;
    const server = new Set((tables[name] ?? []).map(([c]) => c));
    const columns = Object.values(getTableColumns(value))
      .map((c) => c.name)
      .filter((c) => c !== 'id' && server.has(c));
    out.set(name, new Set(columns));
  }
  cache.set(tables, out);
  return out;
}
