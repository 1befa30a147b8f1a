import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findAppRoot } from '@main/core/paths';
import { SYNCED_TABLES } from '@main/db/changes';
import { migrateDatabase } from '@main/db/migrate';
import { closeDatabase, openDatabase, type Db } from '@main/db/open';
import { connectServer, type ServerConnection } from '@main/sync/connection';
import { runSync, type RunSyncOptions, type SyncRunResult } from '@main/sync/engine';
import { addServerUser, setupServer } from '@main/sync/server/setup';
import { serverTablesAt } from '@main/sync/server/migrations';
import type { TestPostgres } from '../helpers/postgres';

export const MIGRATIONS_DIR = path.join(findAppRoot(import.meta.dirname), 'drizzle');

export function tempDir(prefix = 'fieldmate-sync-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A device: its own SQLite file, migrated like the app does it. */
export function openDevice(given?: string): { db: Db; file: string; close(): void } {
  const dir = given ? null : tempDir();
  const file = given ?? path.join(dir!, 'device.sqlite');
  const opened = migrateDatabase(openDatabase(file), file, MIGRATIONS_DIR);
  return {
    db: opened.db,
    file,
    close: () => {
      closeDatabase(opened.db);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SyncServer {
  database: string;
  url: string;
  adminUrl: string;
  passwords: Record<string, string>;
  /** Opens a sync connection for a user created by `syncServer`. */
  connect(user: string): Promise<ServerConnection>;
  /** A raw pg client logged in as that user (direct SQL under their role). */
  raw(user: string): Promise<pg.Client>;
  admin(): Promise<pg.Client>;
}

let userCounter = 0;

/**
 * A fresh database with the sync schema and users. Roles are cluster-wide, so names get a unique
 * suffix; `users` maps the short names used in tests to the real role names.
 */
export async function syncServer(server: TestPostgres, users: Record<string, string> = { alice: 'A', carol: 'A', bob: 'B' }): Promise<SyncServer & { roles: Record<string, string> }> {
  const database = await server.createDatabase('sync');
  const adminUrl = server.adminUrl(database);
  await setupServer(adminUrl);
  const passwords: Record<string, string> = {};
  const roles: Record<string, string> = {};
  for (const [name, team] of Object.entries(users)) {
    userCounter += 1;
    const role = `${name}_${process.pid}_${userCounter}`;
    passwords[name] = `pw-${name}-${userCounter}-secret`;
    roles[name] = role;
    await addServerUser(adminUrl, role, team, passwords[name]!);
  }
  const url = `postgres://${server.host}:${server.port}/${database}`;
  return {
    database,
    url,
    adminUrl,
    passwords,
    roles,
    connect: (user) => connectServer({ url, user: roles[user] ?? user, password: passwords[user] ?? '' }),
    raw: async (user) => {
      const client = new pg.Client({ connectionString: server.urlFor(roles[user] ?? user, passwords[user] ?? '', database) });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
    admin: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    },
  };
}

/** Connect, run one sync, close. */
export async function syncOnce(srv: SyncServer, user: string, db: Db, options: RunSyncOptions = {}): Promise<SyncRunResult> {
  const conn = await srv.connect(user);
  try {
    return await runSync(db, conn, options);
  } finally {
    await conn.close();
  }
}

/** Every synced table's rows (all columns), sorted: what "identical data" compares. */
export function localSnapshot(db: Db): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  const tables = serverTablesAt();
  for (const table of SYNCED_TABLES) {
    const cols = ['id', ...(tables[table] ?? []).map(([c]) => c)];
    const rows = db.$client.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY id`).all() as Record<string, unknown>[];
    out[table] = rows.map((r) => normalizeRow(r, tables[table] ?? []));
  }
  return out;
}

function normalizeRow(row: Record<string, unknown>, columns: readonly (readonly [string, string])[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id };
  for (const [c, type] of columns) {
    const v = row[c];
    if (v === null || v === undefined) out[c] = null;
    else if (type === 'boolean') out[c] = v === true || v === 1 || v === 't';
    else if (type === 'bigint' || type === 'double precision') out[c] = Number(v);
    else out[c] = v;
  }
  return out;
}

/** The team's rows on the server, in the same shape as `localSnapshot`. */
export async function serverSnapshot(srv: SyncServer, team: string): Promise<Record<string, Record<string, unknown>[]>> {
  const admin = await srv.admin();
  try {
    const out: Record<string, Record<string, unknown>[]> = {};
    const tables = serverTablesAt();
    for (const table of SYNCED_TABLES) {
      const cols = ['id', ...(tables[table] ?? []).map(([c]) => c)];
      const res = await admin.query(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM fieldmate."${table}" WHERE team_id = $1 ORDER BY id COLLATE "C"`, [team]);
      out[table] = res.rows.map((r: Record<string, unknown>) => normalizeRow(r, tables[table] ?? []));
    }
    return out;
  } finally {
    await admin.end();
  }
}

export function outboxCount(db: Db): number {
  return (db.$client.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n;
}
