import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getTableColumns, getTableName } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '@main/db/schema';
import { SYNCED_TABLES, isSyncedTable } from '@main/db/changes';
import { unsyncedLocalColumns } from '@main/sync/engine';
import { SERVER_MIGRATIONS, SYNC_SCHEMA_VERSION, serverTablesAt } from '@main/sync/server/migrations';
import { migrationSql } from '@main/sync/server/setup';

const SQLITE_TO_SERVER: Record<string, string> = { SQLiteText: 'text', SQLiteInteger: 'bigint', SQLiteReal: 'double precision', SQLiteBoolean: 'boolean', SQLiteTimestamp: 'bigint' };

describe('the server schema mirrors every synced table', () => {
  it('has every local column of every synced table (else: add a server migration, see migrations.ts)', () => {
    expect(unsyncedLocalColumns()).toEqual([]);
    expect(Object.keys(serverTablesAt()).sort()).toEqual([...SYNCED_TABLES].sort());
  });

  it('uses matching column types', () => {
    const server = serverTablesAt();
    for (const value of Object.values(schema)) {
      if (!(value instanceof SQLiteTable) || !isSyncedTable(getTableName(value))) continue;
      const table = getTableName(value);
      const types = new Map(server[table]!.map(([c, t]) => [c, t]));
      for (const column of Object.values(getTableColumns(value))) {
        if (column.name === 'id') continue;
        expect(types.get(column.name), `${table}.${column.name}`).toBe(SQLITE_TO_SERVER[column.columnType]);
      }
    }
  });

  it('never changes a shipped migration (setup verifies these checksums on every server)', () => {
    expect(SYNC_SCHEMA_VERSION).toBe(SERVER_MIGRATIONS.length);
    SERVER_MIGRATIONS.forEach((m, i) => expect(m.version).toBe(i + 1));
    const sums = SERVER_MIGRATIONS.map((m) => crypto.createHash('sha256').update(migrationSql(m)).digest('hex').slice(0, 16));
    expect(sums).toEqual(SHIPPED);
  });
});

/** Update only together with a new migration entry, never for an already released one. */
const SHIPPED = ['7852ba5d081f6015', '1400e1a1f8d64187', 'b153d99ff5b422b6', '456aa0fffcb5bae6', 'b77ab2d9f6020fd5', 'a03d9aa5d049d207'];
