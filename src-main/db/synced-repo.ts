import { eq, getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { newId } from '@shared/ids';
import { AppError } from '@shared/contract/errors';
import { isSyncedTable, recordChange, type RecordChangeOptions } from './changes';
import type { Db } from './open';
import type { syncedColumns } from './columns';

type SyncedBase = ReturnType<typeof syncedColumns>;
type SyncedTableDef = SQLiteTable & { [K in keyof SyncedBase]: SQLiteTable['_']['columns'][string] };

/** Maps drizzle property names to SQL column names, for the outbox. */
function toColumnNames(table: SQLiteTable, values: Record<string, unknown>): Record<string, unknown> {
  const columns = getTableColumns(table);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const column = columns[key];
    if (column && value !== undefined) out[column.name] = value instanceof Date ? value.getTime() : value;
  }
  return out;
}

function syncedName(table: SQLiteTable) {
  const name = getTableName(table);
  if (!isSyncedTable(name)) throw new Error(`${name} is not a synced table`);
  return name;
}

/**
 * The single write path for synced tables: every insert, update and delete records its change in the
 * outbox inside the same transaction. Repositories build on these three functions.
 */
/**
 * `options.baseline`: a shipped default written identically by every device under a deterministic id
 * (e.g. the knowledge pack): its clock is the lowest possible, so any real edit wins over it.
 */
export function insertSynced<T extends SyncedTableDef>(
  db: Db,
  table: T,
  values: Omit<T['$inferInsert'], 'id' | 'createdAt' | 'updatedAt'> & { id?: string },
  now = Date.now(),
  options: RecordChangeOptions = {},
): T['$inferSelect'] {
  const id = values.id ?? newId();
  const row = { ...values, id, createdAt: now, updatedAt: now, deletedAt: null } as T['$inferInsert'];
  return db.transaction((tx) => {
    const inserted = tx.insert(table).values(row).returning().get() as T['$inferSelect'];
    // The inserted row, not the input: columns filled by defaults must reach the server too.
    recordChange(db, syncedName(table), id, toColumnNames(table, inserted as Record<string, unknown>), now, options);
    return inserted;
  });
}

export function updateSynced<T extends SyncedTableDef>(db: Db, table: T, id: string, patch: Partial<Omit<T['$inferInsert'], 'id' | 'createdAt'>>, now = Date.now()): T['$inferSelect'] {
  const values = { ...patch, updatedAt: now } as Partial<T['$inferInsert']>;
  return db.transaction((tx) => {
    const updated = tx.update(table).set(values).where(eq(table.id, id)).returning().get() as T['$inferSelect'] | undefined;
    if (!updated) throw new AppError('NOT_FOUND', `No ${getTableName(table).replaceAll('_', ' ')} with this id.`);
    recordChange(db, syncedName(table), id, toColumnNames(table, values as Record<string, unknown>), now);
    return updated;
  });
}

/** Soft delete: a tombstone that syncs like any other field. */
export function deleteSynced<T extends SyncedTableDef>(db: Db, table: T, id: string, now = Date.now()): void {
  updateSynced(db, table, id, { deletedAt: now } as Partial<Omit<T['$inferInsert'], 'id' | 'createdAt'>>, now);
}
