import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '@shared/contract/errors';
import type { Log } from '../core/logger';
import { ensurePrivateDir, makePrivate, touchPrivate } from '../core/private-files';
import { listBackups, type BackupInfo } from './backups';
import { MigrationError, migrateDatabase } from './migrate';
import { closeDatabase, openDatabase, type Db } from './open';

export interface StorePaths {
  dataDir: string;
  dbFile: string;
  migrationsDir: string;
}

export interface StoreCheck {
  ok: boolean;
  /** What SQLite (or the header check) found wrong; empty when ok. */
  problems: string[];
}

/** What the user can do about a damaged store: restore the newest usable backup, or start fresh. */
export interface StoreRecovery {
  dbFile: string;
  reason: string;
  newestBackup: BackupInfo | null;
}

/**
 * The store cannot be opened because its file is damaged. Carries the recovery choices so each
 * transport (desktop dialog, headless page, CLI) can offer them; nothing is deleted until one is chosen.
 */
export class StoreDamaged extends AppError {
  constructor(readonly recovery: StoreRecovery) {
    const backup = recovery.newestBackup ? `restore the newest backup (${recovery.newestBackup.createdAt}) or start fresh` : 'no usable backup was found, so start fresh';
    super('UNAVAILABLE', `The data file ${recovery.dbFile} is damaged (${recovery.reason}): ${backup}; the damaged file is kept aside.`);
    this.name = 'StoreDamaged';
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const MAX_REPORTED_PROBLEMS = 20;

/**
 * Cheap checks on the file header, before SQLite touches it: the magic string, a sane page size, and a
 * file at least as long as the page count the header vouches for (a truncated copy fails this).
 */
export function headerProblem(file: string): string | null {
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined || size === 0) return null;
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) return 'it is not an SQLite database';
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return 'its header is damaged';
  // The header's page count is only meaningful when its "version valid for" matches the change counter.
  const pages = header.readUInt32BE(28);
  const valid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  // With a WAL beside it the newest pages may live there (a checkpoint cut short): SQLite decides.
  const walBytes = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  if (valid && walBytes === 0 && size < pages * pageSize) return `the file is cut short (${size} of ${pages * pageSize} bytes)`;
  return null;
}

/** `PRAGMA quick_check` (or the slower full `integrity_check`) on a read-only connection. */
export function checkStoreFile(file: string, mode: 'quick' | 'full' = 'quick'): StoreCheck {
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) return { ok: false, problems: ['the file does not exist'] };
  if (size === 0) return { ok: false, problems: ['the file is empty'] };
  const header = headerProblem(file);
  if (header) return { ok: false, problems: [header] };
  // A read-only look at a WAL-mode file still creates its -wal/-shm: remove the ones this check made.
  const made = ['-wal', '-shm'].filter((suffix) => !fs.existsSync(file + suffix));
  let client: Database.Database | null = null;
  try {
    client = new Database(file, { readonly: true, fileMustExist: true });
    const rows = client.pragma(`${mode === 'full' ? 'integrity_check' : 'quick_check'}(${MAX_REPORTED_PROBLEMS})`) as Record<string, string>[];
    const problems = rows.map((row) => String(Object.values(row)[0])).filter((text) => text !== 'ok');
    return { ok: problems.length === 0, problems };
  } catch (error) {
    return { ok: false, problems: [describe(error)] };
  } finally {
    client?.close();
    if (made.includes('-wal') && (fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) === 0) {
      for (const suffix of made) fs.rmSync(file + suffix, { force: true });
    }
  }
}

/** The newest backup that passes its own check (a backup of a damaged store may be damaged too). */
export function newestUsableBackup(dbFile: string): BackupInfo | null {
  for (const backup of listBackups(dbFile)) if (checkStoreFile(backup.file).ok) return backup;
  return null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function damaged(dbFile: string, reason: string, log: Log): StoreDamaged {
  const failure = new StoreDamaged({ dbFile, reason, newestBackup: newestUsableBackup(dbFile) });
  log(`[db] ${failure.message}`);
  return failure;
}

/**
 * Opens the store (owner-only files), checks it when opening fails or its header looks wrong, and
 * migrates it. A damaged store throws StoreDamaged with the recovery choices; any other failure throws
 * the AppError it caused. The data folder is created owner-only.
 */
export function openStore(paths: StorePaths, log: Log): Db {
  ensurePrivateDir(paths.dataDir);
  const { dbFile } = paths;
  const header = headerProblem(dbFile);
  if (header) throw damaged(dbFile, header, log);
  // An empty file is a new store to SQLite; beside backups it is a store that lost its contents.
  if (fs.statSync(dbFile, { throwIfNoEntry: false })?.size === 0 && listBackups(dbFile).length > 0) throw damaged(dbFile, 'the file is empty', log);
  touchPrivate(dbFile);
  for (const suffix of ['-wal', '-shm']) makePrivate(dbFile + suffix);
  let db: Db | null = null;
  try {
    db = openDatabase(dbFile);
    const migrated = migrateDatabase(db, dbFile, paths.migrationsDir);
    db = migrated.db;
    if (migrated.result.ran > 0) log(`[db] applied ${migrated.result.ran} migration(s); schema ${migrated.result.applied}/${migrated.result.available.length}`);
    return db;
  } catch (error) {
    if (db) closeDatabase(db);
    if (error instanceof MigrationError) closeDatabase(error.db);
    log(`[db] cannot open ${dbFile}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const check = checkStoreFile(dbFile);
    if (!check.ok) throw damaged(dbFile, check.problems[0] ?? describe(error), log);
    throw error instanceof AppError ? error : new AppError('INTERNAL', `Cannot open the database at ${dbFile}.`);
  }
}

export type RecoveryChoice = { kind: 'restore'; file?: string } | { kind: 'fresh' };

export interface RecoveryResult {
  /** Where the previous store file was moved (null when there was none). */
  keptAs: string | null;
  /** The backup copied into place (null when starting fresh). */
  restoredFrom: string | null;
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('.', '');
}

/**
 * Restores a backup (the newest usable one unless a file is named) or starts fresh. The current file
 * and its -wal/-shm are never deleted: they are renamed to `fieldmate.sqlite.damaged-<time>` (or
 * `.before-restore-<time>` when the store was healthy). Run with the app closed: the next open
 * migrates the restored copy.
 */
export function recoverStore(dbFile: string, choice: RecoveryChoice, log: Log, now = new Date()): RecoveryResult {
  let source: string | null = null;
  if (choice.kind === 'restore') {
    source = choice.file ?? newestUsableBackup(dbFile)?.file ?? null;
    if (!source) throw new AppError('NOT_FOUND', 'No usable backup of the data file was found.');
    if (!fs.existsSync(source)) throw new AppError('NOT_FOUND', `No backup file at ${source}.`);
    const check = checkStoreFile(source);
    if (!check.ok) throw new AppError('VALIDATION', `The backup ${source} is damaged too (${check.problems[0] ?? 'unknown problem'}); pick another one.`);
  }
  let keptAs: string | null = null;
  if (fs.existsSync(dbFile)) {
    const healthy = checkStoreFile(dbFile).ok;
    keptAs = `${dbFile}.${healthy ? 'before-restore' : 'damaged'}-${stamp(now)}`;
    fs.renameSync(dbFile, keptAs);
    makePrivate(keptAs);
  }
  for (const suffix of ['-wal', '-shm']) {
    if (!fs.existsSync(dbFile + suffix)) continue;
    // Without a main file a leftover -wal would be replayed into the restored copy: move it aside too.
    if (keptAs) fs.renameSync(dbFile + suffix, keptAs + suffix);
    else fs.rmSync(dbFile + suffix, { force: true });
  }
  if (source) {
    const partial = `${dbFile}.restoring`;
    fs.copyFileSync(source, partial);
    makePrivate(partial);
    fs.renameSync(partial, dbFile);
  }
  log(`[db] ${source ? `restored ${source}` : 'started a fresh store'}${keptAs ? `; the previous file is kept as ${keptAs}` : ''}`);
  return { keptAs, restoredFrom: source };
}

/**
 * Opens with `open`; while the store is damaged, asks the user (`ask`: a dialog or a page) and applies
 * the choice, then tries again. A choice that fails (the backup is damaged too) is asked again with
 * the reason. Resolves null when the user chose to quit instead.
 */
export async function openWithRecovery<T>(
  open: () => T,
  ask: (recovery: StoreRecovery, failure: string | null) => Promise<RecoveryChoice | null>,
  dbFile: string,
  log: Log,
): Promise<T | null> {
  let failure: string | null = null;
  for (;;) {
    try {
      return open();
    } catch (error) {
      if (!(error instanceof StoreDamaged)) throw error;
      const choice = await ask(error.recovery, failure);
      if (!choice) return null;
      try {
        recoverStore(dbFile, choice, log);
        failure = null;
      } catch (recoveryError) {
        failure = describe(recoveryError);
        log(`[db] recovery failed: ${failure}`);
      }
    }
  }
}
