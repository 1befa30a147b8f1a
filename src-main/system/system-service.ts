import os from 'node:os';
import type { SystemInfo, SystemStatus } from '@shared/contract/system';
import type { Db } from '../db/open';
import { migrationStatus } from '../db/migrate';
import { SYNCED_TABLES } from '../db/changes';
import type { AppPaths } from '../core/paths';

const COUNTED_TABLES = [...SYNCED_TABLES, 'rule_templates', 'models', 'settings', 'sync_outbox'] as const;

export function rowCounts(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const exists = db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name = ?").get(table);
    out[table] = exists ? (db.$client.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n : 0;
  }
  return out;
}

export function systemInfo(db: Db, paths: AppPaths, transport: SystemInfo['transport'], appVersion: string): SystemInfo {
  const status = migrationStatus(db, paths.migrationsDir);
  return {
    appVersion,
    transport,
    platform: `${process.platform}-${process.arch} node ${process.versions.node}`,
    dataDir: paths.dataDir,
    dbFile: paths.dbFile,
    schema: { applied: status.applied, available: status.available.length, latest: status.available.at(status.applied - 1) ?? null },
    rowCounts: rowCounts(db),
  };
}

/** A machine with no non-loopback interface is certainly offline; Electron's glue refines this with net.isOnline(). */
export function hasNetworkInterface(): boolean {
  return Object.values(os.networkInterfaces()).some((list) => list?.some((a) => !a.internal));
}

/**
 * Health for the status bar. Deliberately cheap (it runs at every start, also for each CLI command): a
 * full `quick_check` reads the whole file, seconds on a store with a million pallet lines.
 */
export function dbStatus(db: Db, paths: AppPaths): SystemStatus['db'] {
  try {
    db.$client.prepare('SELECT count(*) FROM sqlite_master').get();
    const status = migrationStatus(db, paths.migrationsDir);
    const ok = status.applied === status.available.length;
    return { ok, schemaApplied: status.applied, schemaAvailable: status.available.length, message: ok ? null : 'The database schema is not up to date.' };
  } catch (error) {
    return { ok: false, schemaApplied: 0, schemaAvailable: 0, message: error instanceof Error ? error.message : String(error) };
  }
}
