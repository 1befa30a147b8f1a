import fs from 'node:fs';
import type { IntegrityCheck, StoreHealth } from '@shared/contract/system';
import type { AppPaths } from '../core/paths';
import { periodicBackups, writeBackup } from '../db/backups';
import { readState, writeState } from '../db/clock';
import { checkStoreFile } from '../db/open-store';
import type { Db } from '../db/open';

const INTEGRITY_KEY = 'integrity_check';

export interface HealthPorts {
  sync: () => StoreHealth['sync'];
  /** The loaded model (path, names) and its process id while it runs; null when none is loaded. */
  model: () => { path: string; fileName: string; name: string | null; pid: number | null } | null;
}

function sizeOf(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

/** Resident memory of a process (Linux reads /proc; elsewhere the OS does not tell a plain Node process). */
function residentBytes(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

function count(db: Db, sql: string): number {
  try {
    return (db.$client.prepare(sql).get() as { n: number }).n;
  } catch {
    return 0;
  }
}

export function lastIntegrityCheck(db: Db): IntegrityCheck | null {
  const raw = readState(db, INTEGRITY_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as IntegrityCheck;
  } catch {
    return null;
  }
}

/**
 * SQLite's quick_check of the store file (reads every page, so it runs on request, not at start), on its
 * own read-only connection like `db check`: the app's connection could answer from pages in its cache.
 */
export function checkIntegrity(db: Db, dbFile: string, now = Date.now()): IntegrityCheck {
  const { ok, problems } = checkStoreFile(dbFile, 'quick');
  const result: IntegrityCheck = { at: now, ok, problems };
  writeState(db, INTEGRITY_KEY, JSON.stringify(result));
  return result;
}

export async function backupNow(db: Db, paths: AppPaths): Promise<{ at: string; bytes: number; file: string }> {
  const done = await writeBackup(db, paths.dbFile);
  return { at: done.createdAt, bytes: done.bytes, file: done.file };
}

export function storeHealth(db: Db, paths: AppPaths, ports: HealthPorts): StoreHealth {
  const dbBytes = sizeOf(paths.dbFile);
  const backups = periodicBackups(paths.dbFile);
  const newest = backups[0];
  const oldest = backups.at(-1);
  const model = ports.model();
  return {
    dataDir: paths.dataDir,
    dbBytes,
    walBytes: sizeOf(`${paths.dbFile}-wal`),
    growth: oldest ? { since: oldest.createdAt, bytes: dbBytes - oldest.bytes } : null,
    lastBackup: newest ? { at: newest.createdAt, bytes: newest.bytes, file: newest.file } : null,
    backupCount: backups.length,
    integrity: lastIntegrityCheck(db),
    sync: ports.sync(),
    model: model
      ? { fileName: model.fileName, name: model.name, fileBytes: sizeOf(model.path) || null, memoryBytes: model.pid ? residentBytes(model.pid) : null }
      : null,
    records: {
      leads: count(db, 'SELECT count(*) AS n FROM leads WHERE deleted_at IS NULL'),
      sessions: count(db, 'SELECT count(*) AS n FROM coaching_sessions WHERE deleted_at IS NULL'),
      analyses: count(db, "SELECT count(*) AS n FROM analyses WHERE deleted_at IS NULL"),
      lines: count(db, 'SELECT count(*) AS n FROM pallet_items WHERE deleted_at IS NULL'),
      knowledge: count(db, 'SELECT count(*) AS n FROM knowledge_entries WHERE deleted_at IS NULL'),
    },
  };
}
