import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerConnection } from '@main/sync/connection';
import { runSync } from '@main/sync/engine';
import { SYNC_SCHEMA_VERSION } from '@main/sync/server/migrations';
import { openDevice } from '../sync/helpers';

/**
 * A pull page names its tables and columns; a crafted or broken server could name any local table.
 * The connection here is a stand-in that answers `fieldmate.pull` with a crafted page; the store is a
 * real migrated SQLite file.
 */
const CLOCK = `${String(Date.now()).padStart(15, '0')}:000000:server-device`;

function craftedConnection(page: unknown): ServerConnection {
  const client = {
    query: async (sql: string) => {
      if (!/fieldmate\.pull/.test(sql)) throw new Error(`unexpected query: ${sql}`);
      return { rows: [{ r: page }] };
    },
  } as unknown as pg.Client;
  return {
    client,
    info: { version: SYNC_SCHEMA_VERSION, instance: 'crafted', team: 'A', user: 'alice' },
    where: 'crafted server',
    usable: () => true,
    close: async () => {},
  };
}

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
});

describe('a pull writes only the synced tables and their synced columns', () => {
  it('refuses rows for device-local tables and unknown columns, with a logged reason, and still applies the synced ones', async () => {
    const device = openDevice();
    opened.push(device);
    const sqlite = device.db.$client;
    const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
    const migrationsBefore = count('__drizzle_migrations');
    const templatesBefore = sqlite.prepare('SELECT * FROM rule_templates ORDER BY key').all();

    const page = {
      watermark: '100',
      columns: {
        __drizzle_migrations: ['hash', 'created_at'],
        rule_templates: ['name', 'type', 'action', 'weight', 'condition_json'],
        sync_state: ['value'],
        leads: ['created_at', 'updated_at', 'name', 'language', 'is_admin'],
      },
      rows: [
        ['__drizzle_migrations', '90', '999', ['skip-the-next-migration', 1], CLOCK, {}],
        ['rule_templates', '90', 'evil', ['Evil', 'product', 'block', 100, '{}'], CLOCK, {}],
        ['sync_state', '90', 'device_id', ['stolen-device'], CLOCK, {}],
        ['leads', '91', '0190aaaa-0000-7000-8000-000000000001', [1, 1, 'Pulled lead', 'pl', 1], CLOCK, {}],
      ],
      next: null,
    };
    const log: string[] = [];
    const result = await runSync(device.db, craftedConnection(page), { log: (line) => log.push(line) });

    expect(count('__drizzle_migrations')).toBe(migrationsBefore);
    expect(sqlite.prepare('SELECT * FROM __drizzle_migrations WHERE hash = ?').all('skip-the-next-migration')).toEqual([]);
    expect(sqlite.prepare('SELECT * FROM rule_templates ORDER BY key').all()).toEqual(templatesBefore);
    expect(sqlite.prepare("SELECT key FROM sync_state WHERE value = 'stolen-device'").all()).toEqual([]);
    // The synced row is applied, without the column nobody syncs.
    expect(sqlite.prepare('SELECT name, language FROM leads').all()).toEqual([{ name: 'Pulled lead', language: 'pl' }]);
    expect(result.pulled).toBe(1);

    for (const table of ['__drizzle_migrations', 'rule_templates', 'sync_state']) {
      expect(log.some((line) => line.includes(`"${table}"`) && line.includes('not a synced table'))).toBe(true);
    }
    expect(log.some((line) => line.includes('"is_admin"') && line.includes('not synced columns'))).toBe(true);
  });

  it('refuses a table name made to break out of its quotes', async () => {
    const device = openDevice();
    opened.push(device);
    const sqlite = device.db.$client;
    const tablesBefore = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    const page = {
      watermark: '5',
      columns: { 'leads" (id, name) VALUES (1, 2); --': ['name'], leads: ['name', 'id'] },
      rows: [
        ['leads" (id, name) VALUES (1, 2); --', '4', 'x', ['y'], CLOCK, {}],
        ['leads', '4', { not: 'an id' }, ['No id'], CLOCK, {}],
      ],
      next: null,
    };
    const log: string[] = [];
    await runSync(device.db, craftedConnection(page), { log: (line) => log.push(line) });
    expect(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()).toEqual(tablesBefore);
    expect((sqlite.prepare('SELECT count(*) AS n FROM leads').get() as { n: number }).n).toBe(0);
    expect(log.filter((line) => line.includes('refused')).length).toBe(2);
  });
});
