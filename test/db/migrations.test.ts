import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MigrationError, migrateDatabase, migrationStatus, readJournal } from '@main/db/migrate';
import { closeDatabase, openDatabase, type Db } from '@main/db/open';
import { findAppRoot } from '@main/core/paths';
import { tempDir } from '../helpers/temp-core';

const realMigrations = path.join(findAppRoot(import.meta.dirname), 'drizzle');
const tags = readJournal(realMigrations);
const opened: Db[] = [];
afterEach(() => opened.splice(0).forEach(closeDatabase));

/** A migrations folder holding only the first `count` migrations (plus optional extra SQL). */
function migrationsPrefix(count: number, extra?: { tag: string; sql: string }): string {
  const dir = tempDir('fieldmate-migrations-');
  fs.mkdirSync(path.join(dir, 'meta'));
  const journal = JSON.parse(fs.readFileSync(path.join(realMigrations, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string; when: number; version: string; breakpoints: boolean }[];
  };
  journal.entries = journal.entries.slice(0, count);
  for (const entry of journal.entries) fs.copyFileSync(path.join(realMigrations, `${entry.tag}.sql`), path.join(dir, `${entry.tag}.sql`));
  if (extra) {
    const last = journal.entries.at(-1);
    journal.entries.push({ idx: count, tag: extra.tag, when: (last?.when ?? 0) + 1, version: last?.version ?? '6', breakpoints: true });
    fs.writeFileSync(path.join(dir, `${extra.tag}.sql`), extra.sql);
  }
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  return dir;
}

function open(file: string): Db {
  const db = openDatabase(file);
  opened.push(db);
  return db;
}

function userTables(db: Db): string[] {
  return (db.$client.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'").all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('ships at least one migration, listed in the journal with its SQL file', () => {
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(fs.existsSync(path.join(realMigrations, `${tag}.sql`))).toBe(true);
  });

  // One test per migration: it applies on top of the previous one, keeps existing data, and is recorded.
  it.each(tags.map((tag, index) => [tag, index] as const))('%s applies on top of its predecessors and keeps data', (tag, index) => {
    const file = path.join(tempDir(), 'store.sqlite');
    let db = open(file);
    if (index > 0) {
      db = migrateDatabase(db, file, migrationsPrefix(index)).db;
      db.$client.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('probe', '\"kept\"', 1)").run();
    }
    const before = userTables(db);
    const { db: after, result } = migrateDatabase(db, file, migrationsPrefix(index + 1));
    expect(result.ran).toBe(1);
    expect(migrationStatus(after, migrationsPrefix(index + 1)).applied).toBe(index + 1);
    for (const table of before) expect(userTables(after)).toContain(table);
    if (index > 0) {
      expect(after.$client.prepare("SELECT value_json FROM settings WHERE key='probe'").get()).toEqual({ value_json: '"kept"' });
      expect(result.backupFile && fs.existsSync(result.backupFile)).toBeTruthy();
    }
    expect(after.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(after.$client.pragma('foreign_key_check')).toEqual([]);
  });

  it('is a no-op when up to date', () => {
    const file = path.join(tempDir(), 'store.sqlite');
    const db = migrateDatabase(open(file), file, realMigrations).db;
    expect(migrateDatabase(db, file, realMigrations).result.ran).toBe(0);
  });

  it('keeps the previous state and the backup when a migration fails half-way', () => {
    const file = path.join(tempDir(), 'store.sqlite');
    const db = migrateDatabase(open(file), file, realMigrations).db;
    db.$client.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('probe', '1', 1)").run();
    const broken = migrationsPrefix(tags.length, {
      tag: '9999_broken',
      sql: 'CREATE TABLE half_done (x integer);\n--> statement-breakpoint\nINSERT INTO settings (key, value_json, updated_at) VALUES (\'probe2\', \'2\', 2);\n--> statement-breakpoint\nTHIS IS NOT SQL;',
    });
    let error: unknown;
    try {
      migrateDatabase(db, file, broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationError);
    const restored = (error as MigrationError).db;
    opened.push(restored);
    expect((error as Error).message).toMatch(/previous state was kept \(backup: .*\.bak\)/);
    expect(userTables(restored)).not.toContain('half_done');
    expect(restored.$client.prepare('SELECT key FROM settings ORDER BY key').all()).toEqual([{ key: 'probe' }]);
    expect(migrationStatus(restored, realMigrations).applied).toBe(tags.length);
  });
});

describe('0006: fired / blocking rule keys leave data_json for columns', () => {
  it('copies the keys of stored lines into the columns and makes a queued re-score push them', () => {
    const index = tags.indexOf('0006_pallet_fired_rules_columns');
    expect(index).toBeGreaterThan(0);
    const file = path.join(tempDir(), 'store.sqlite');
    const db = migrateDatabase(open(file), file, migrationsPrefix(index)).db;
    const c = db.$client;
    c.prepare("INSERT INTO analyses (id, created_at, updated_at, name, mapping_json, status) VALUES ('a1', 1, 1, 'A', '{}', 'ready')").run();
    const line = c.prepare('INSERT INTO pallet_items (id, created_at, updated_at, analysis_id, source_row, score, status, data_json) VALUES (?, 1, 1, ?, ?, ?, ?, ?)');
    line.run('l1', 'a1', 1, 0, 'blocked', JSON.stringify({ f: '|r1|r2|', b: '|r1|', i: [], x: {}, s: ['x'] }));
    line.run('l2', 'a1', 2, 50, 'ok', JSON.stringify({ f: null, b: null, i: [], x: {}, s: ['y'] }));
    const outbox = c.prepare("INSERT INTO sync_outbox (table_name, row_id, changes_json, hlc, created_at) VALUES ('pallet_items', '*', ?, 'h', 1)");
    outbox.run(JSON.stringify({ bulk: { fields: ['score', 'status', 'data_json', 'updated_at'], ids: ['l1'] } }));
    outbox.run(JSON.stringify({ bulk: { fields: ['deleted_at', 'updated_at'], ids: ['l2'] } }));
    outbox.run(JSON.stringify({ bulk: { fields: null, ids: ['l1', 'l2'] } }));

    const after = migrateDatabase(db, file, migrationsPrefix(index + 1)).db;
    opened.push(after);
    expect(after.$client.prepare('SELECT id, fired_rules, blocking_rules, data_json FROM pallet_items ORDER BY id').all()).toEqual([
      { id: 'l1', fired_rules: '|r1|r2|', blocking_rules: '|r1|', data_json: JSON.stringify({ f: '|r1|r2|', b: '|r1|', i: [], x: {}, s: ['x'] }) },
      { id: 'l2', fired_rules: null, blocking_rules: null, data_json: JSON.stringify({ f: null, b: null, i: [], x: {}, s: ['y'] }) },
    ]);
    const fields = (after.$client.prepare('SELECT changes_json FROM sync_outbox ORDER BY seq').pluck().all() as string[]).map((j) => (JSON.parse(j) as { bulk: { fields: string[] | null } }).bulk.fields);
    expect(fields).toEqual([['score', 'status', 'data_json', 'updated_at', 'fired_rules', 'blocking_rules'], ['deleted_at', 'updated_at'], null]);
    // The rule filter and the dashboard read the keys from these indexes.
    const indexes = after.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pallet_items' ORDER BY name").pluck().all();
    expect(indexes).toContain('pallet_items_blocking_idx');
    expect(indexes).not.toContain('pallet_items_fired_idx');
    expect(after.$client.prepare("SELECT count(*) FROM pallet_items INDEXED BY pallet_items_blocking_idx WHERE analysis_id = 'a1' AND deleted_at IS NULL AND status = 'blocked' AND blocking_rules = '|r1|'").pluck().get()).toBe(1);
  });
});
