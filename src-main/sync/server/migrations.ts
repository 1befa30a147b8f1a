import { initialSchemaSql } from './sql';
import { TABLES_V1 } from './tables-v1';
import type { ServerColumn, ServerTables } from './types';

/**
 * Versioned server migrations, applied in order by `fieldmate server setup` (each once, recorded with a
 * checksum in `fieldmate.schema_migrations`). Never edit a shipped entry: append one.
 *
 * Adding a local column to a synced table (a drizzle migration) needs a server migration too, e.g.
 *   { version: 2, name: 'leads-status', columns: { leads: [['status', 'text']] },
 *     sql: (all) => addColumnsSql({ leads: [['status', 'text']] }, all, 11) }
 * (11 = the number of tables so far, the ordinal a new table would get).
 * `addColumnsSql` (sql.ts) alters the mirror, registers the columns and regenerates that table's merge
 * functions from the cumulative list. The client and the server must then be on the same version:
 * a mismatched client refuses to sync and touches nothing.
 */
export interface ServerMigration {
  version: number;
  name: string;
  /** Tables/columns this migration adds (the cumulative list is what the client checks against). */
  columns: ServerTables;
  /** SQL run as the owner role in one transaction; `all` is the cumulative table list after it. */
  sql(all: ServerTables): string;
}

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [{ version: 1, name: 'initial', columns: TABLES_V1, sql: (all) => initialSchemaSql(all) }];

/** The schema version this build speaks. */
export const SYNC_SCHEMA_VERSION = SERVER_MIGRATIONS.length;

/** Data columns per table after applying migrations up to `version`. */
export function serverTablesAt(version = SYNC_SCHEMA_VERSION, migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): ServerTables {
  const out: Record<string, ServerColumn[]> = {};
  for (const migration of migrations) {
    if (migration.version > version) break;
    for (const [table, columns] of Object.entries(migration.columns)) out[table] = [...(out[table] ?? []), ...columns];
  }
  return out;
}
