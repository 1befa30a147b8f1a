import fs from 'node:fs';
import path from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { AppError } from '@shared/contract/errors';
import { makePrivate } from '../core/private-files';
import { closeDatabase, openDatabase, type Db } from './open';

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

export interface MigrationStatus {
  /** Migrations shipped with this build. */
  available: string[];
  /** How many of them this database has applied. */
  applied: number;
}

export function readJournal(migrationsDir: string): string[] {
  const file = path.join(migrationsDir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(file, 'utf8')) as Journal;
  return journal.entries.sort((a, b) => a.idx - b.idx).map((e) => e.tag);
}

export function migrationStatus(db: Db, migrationsDir: string): MigrationStatus {
  const available = readJournal(migrationsDir);
  const exists = db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
  const applied = exists ? (db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
  return { available, applied };
}

export interface MigrateResult extends MigrationStatus {
  ran: number;
  backupFile: string | null;
}

/**
 * Applies pending migrations. When the database already holds data, a consistent copy is taken first
 * (`VACUUM INTO`). Drizzle runs the pending migrations in one transaction, so a failing one rolls back;
 * the copy is the second line of defence: if anything is left inconsistent the file is replaced by the
 * copy, and the error says where it is. Returns the (possibly reopened) handle.
 */
export function migrateDatabase(db: Db, dbFile: string, migrationsDir: string): { db: Db; result: MigrateResult } {
  const before = migrationStatus(db, migrationsDir);
  const pending = before.available.length - before.applied;
  if (pending <= 0) return { db, result: { ...before, ran: 0, backupFile: null } };
  let backupFile: string | null = null;
  if (before.applied > 0 && dbFile !== ':memory:') {
    backupFile = `${dbFile}.pre-migration-${before.applied}.bak`;
    fs.rmSync(backupFile, { force: true });
    db.$client.prepare('VACUUM INTO ?').run(backupFile);
    makePrivate(backupFile);
  }
  try {
    migrate(db, { migrationsFolder: migrationsDir });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    let restored = db;
    if (backupFile) {
      closeDatabase(db);
      for (const suffix of ['-wal', '-shm']) fs.rmSync(dbFile + suffix, { force: true });
      fs.copyFileSync(backupFile, dbFile);
      restored = openDatabase(dbFile);
    }
    throw new MigrationError(
      `Database migration failed and the previous state was kept${backupFile ? ` (backup: ${backupFile})` : ''}: ${reason}`,
      restored,
    );
  }
  const after = migrationStatus(db, migrationsDir);
  return { db, result: { ...after, ran: after.applied - before.applied, backupFile } };
}

export class MigrationError extends AppError {
  constructor(
    message: string,
    /** The handle to the restored store, still usable read-only by the caller if it wishes. */
    readonly db: Db,
  ) {
    super('INTERNAL', message);
  }
}
