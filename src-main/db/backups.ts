import fs from 'node:fs';
import path from 'node:path';
import type { Log } from '../core/logger';
import { ensurePrivateDir, makePrivate } from '../core/private-files';
import type { Db } from './open';

/**
 * Automatic backups, besides the copy taken before each migration. The SQLite online backup API
 * (`db.backup()`) copies a consistent snapshot while the app keeps writing. They are taken at start-up
 * when the newest is older than BACKUP_START_AGE_MS, then whenever it gets older than
 * BACKUP_INTERVAL_MS while the app runs; the newest BACKUP_KEEP are kept in `<data>/backups`.
 */
export const BACKUP_KEEP = 7;
export const BACKUP_START_AGE_MS = 24 * 60 * 60 * 1000;
export const BACKUP_INTERVAL_MS = 12 * 60 * 60 * 1000;
/** Start-up backups wait a little so opening the app (and short CLI runs) never pay for them. */
export const BACKUP_START_DELAY_MS = 60 * 1000;
const CHECK_EVERY_MS = 30 * 60 * 1000;

export interface BackupInfo {
  file: string;
  kind: 'periodic' | 'pre-migration';
  createdAt: string;
  bytes: number;
}

const PERIODIC = /^fieldmate-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.sqlite$/;

export function backupsDir(dbFile: string): string {
  return path.join(path.dirname(dbFile), 'backups');
}

function periodicName(at: Date): string {
  return `fieldmate-${at.toISOString().replace(/[-:]/g, '').replace('.', '')}.sqlite`;
}

function periodicTime(name: string): Date | null {
  const m = PERIODIC.exec(name);
  if (!m) return null;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

function sizeOf(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/** Periodic backups of this store, newest first. */
export function periodicBackups(dbFile: string): BackupInfo[] {
  const dir = backupsDir(dbFile);
  if (!fs.existsSync(dir)) return [];
  const found: BackupInfo[] = [];
  for (const name of fs.readdirSync(dir)) {
    const at = periodicTime(name);
    if (at) found.push({ file: path.join(dir, name), kind: 'periodic', createdAt: at.toISOString(), bytes: sizeOf(path.join(dir, name)) });
  }
  return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Every backup of this store (periodic and pre-migration), newest first. */
export function listBackups(dbFile: string): BackupInfo[] {
  const dir = path.dirname(dbFile);
  const prefix = `${path.basename(dbFile)}.pre-migration-`;
  const preMigration: BackupInfo[] = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((name) => name.startsWith(prefix) && name.endsWith('.bak'))
        .map((name) => {
          const file = path.join(dir, name);
          const stat = fs.statSync(file);
          return { file, kind: 'pre-migration' as const, createdAt: stat.mtime.toISOString(), bytes: stat.size };
        })
    : [];
  return [...periodicBackups(dbFile), ...preMigration].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Deletes the oldest periodic backups beyond `keep`; returns what was removed. */
export function rotateBackups(dbFile: string, keep = BACKUP_KEEP): string[] {
  const removed = periodicBackups(dbFile)
    .slice(Math.max(0, keep))
    .map((b) => b.file);
  for (const file of removed) fs.rmSync(file, { force: true });
  return removed;
}

/**
 * Writes a consistent copy of the open store to `<data>/backups`, then rotates. The copy is made under
 * a temporary name and renamed, so a crash mid-copy never leaves a half backup that looks whole.
 */
export async function writeBackup(db: Db, dbFile: string, options: { now?: Date; keep?: number } = {}): Promise<BackupInfo> {
  const dir = backupsDir(dbFile);
  ensurePrivateDir(dir);
  const at = options.now ?? new Date();
  const file = path.join(dir, periodicName(at));
  const partial = `${file}.part`;
  try {
    await db.$client.backup(partial);
    makePrivate(partial);
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  rotateBackups(dbFile, options.keep ?? BACKUP_KEEP);
  return { file, kind: 'periodic', createdAt: at.toISOString(), bytes: sizeOf(file) };
}

export interface AutoBackupOptions {
  keep?: number;
  startAgeMs?: number;
  intervalMs?: number;
  startDelayMs?: number;
  now?: () => Date;
}

export interface AutoBackups {
  /** Takes a backup if the newest is older than `maxAgeMs`; resolves with it, or null when none was due. */
  runIfDue(maxAgeMs: number): Promise<BackupInfo | null>;
  /** Stops the timers and waits for a backup in progress, so the store can close. */
  stop(): Promise<void>;
}

/** Schedules the start-up and periodic backups (timers never keep the process alive). */
export function startAutoBackups(db: Db, dbFile: string, log: Log, options: AutoBackupOptions = {}): AutoBackups {
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? BACKUP_INTERVAL_MS;
  let running: Promise<BackupInfo | null> | null = null;
  let stopped = false;

  const runIfDue = (maxAgeMs: number): Promise<BackupInfo | null> => {
    if (stopped || dbFile === ':memory:') return Promise.resolve(null);
    if (running) return running;
    const newest = periodicBackups(dbFile)[0];
    const at = now();
    if (newest && at.getTime() - Date.parse(newest.createdAt) < maxAgeMs) return Promise.resolve(null);
    running = writeBackup(db, dbFile, { now: at, keep: options.keep })
      .then((written) => {
        log(`[db] backup written: ${written.file} (${written.bytes} bytes)`);
        return written;
      })
      .catch((error: unknown) => {
        log(`[db] automatic backup failed: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const first = setTimeout(() => void runIfDue(options.startAgeMs ?? BACKUP_START_AGE_MS), options.startDelayMs ?? BACKUP_START_DELAY_MS);
  const every = setInterval(() => void runIfDue(intervalMs), Math.min(CHECK_EVERY_MS, intervalMs));
  first.unref();
  every.unref();
  return {
    runIfDue,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      if (running) await running;
    },
  };
}
