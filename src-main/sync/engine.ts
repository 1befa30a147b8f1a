import { getTableColumns, getTableName } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { AppError } from '@shared/contract/errors';
import type { SyncRunSummary } from '@shared/contract/sync';
import { newId } from '@shared/ids';
import { SYNCED_TABLES, isSyncedTable } from '../db/changes';
import type { Db } from '../db/open';
import * as schema from '../db/schema';
import { toSyncError, type ServerConnection } from './connection';
import { replaceRefusedDeviceId, syncDeviceId } from './device';
import { DEFAULT_LIMITS, type EngineContext, type SyncHooks, type SyncLimits } from './engine-context';
import { acquireSyncLock, releaseSyncLock, writeLastSuccess } from './local-state';
import { pullChanges } from './pull';
import { pushOutbox } from './push';
import { serverTablesAt } from './server/migrations';
import { SQLSTATE_DEVICE_TAKEN, type ServerTables } from './server/types';

export interface RunSyncOptions {
  signal?: AbortSignal;
  hooks?: SyncHooks;
  now?: () => number;
  limits?: Partial<SyncLimits>;
  log?: (line: string) => void;
  onProgress?: (phase: 'push' | 'pull', done: number, total: number | null) => void;
  /** Push only (benchmarks, tests of the push path). */
  skipPull?: boolean;
}

export interface SyncRunResult extends SyncRunSummary {
  rowsSent: number;
  /** True when the run stopped early because it was asked to (quit); the rest syncs next time. */
  interrupted: boolean;
}

/**
 * Local columns of every synced table that the server schema lacks. A local migration that adds a
 * column to a synced table needs a server migration too; until then this build must not sync (the
 * server would refuse the column and the data would never travel).
 */
export function unsyncedLocalColumns(tables: ServerTables = serverTablesAt()): string[] {
  const missing: string[] = [];
  for (const value of Object.values(schema)) {
    if (!(value instanceof SQLiteTable)) continue;
    const name = getTableName(value);
    if (!isSyncedTable(name)) continue;
    const server = new Set(['id', ...(tables[name] ?? []).map(([c]) => c)]);
    for (const column of Object.values(getTableColumns(value))) if (!server.has(column.name)) missing.push(`${name}.${column.name}`);
  }
  for (const table of SYNCED_TABLES) if (!tables[table]) missing.push(`${table} (table)`);
  return missing;
}

let schemaChecked: string[] | null = null;

/**
 * One sync run over an open connection: push the outbox, then pull. Holds the store's sync lock so the
 * app and the CLI never sync the same store at once. Throws an AppError with one clear sentence.
 */
export async function runSync(db: Db, conn: ServerConnection, options: RunSyncOptions = {}): Promise<SyncRunResult> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  schemaChecked ??= unsyncedLocalColumns();
  if (schemaChecked.length > 0) {
    throw new AppError('SYNC_ERROR', `This build cannot sync: the server schema lacks ${schemaChecked.slice(0, 3).join(', ')} (a server migration is missing).`);
  }
  const lockToken = newId();
  acquireSyncLock(db, lockToken, now());
  const log = options.log ?? (() => {});
  let device: string;
  try {
    device = syncDeviceId(db, log, now());
  } catch (error) {
    releaseSyncLock(db, lockToken);
    throw error;
  }
  const ctx: EngineContext = {
    db,
    conn,
    device,
    signal: options.signal ?? new AbortController().signal,
    hooks: options.hooks ?? {},
    now,
    lockToken,
    tables: serverTablesAt(),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    stats: { pushed: 0, pulled: 0, rejected: 0, bytesSent: 0, rowsSent: 0 },
    log,
    progress: options.onProgress ?? (() => {}),
  };
  try {
    try {
      await pushOutbox(ctx);
    } catch (error) {
      // The id is another login's (a teammate's store was copied here): push again as a new device.
      if ((error as { code?: unknown } | null)?.code !== SQLSTATE_DEVICE_TAKEN) throw error;
      ctx.device = replaceRefusedDeviceId(db, log, now());
      await pushOutbox(ctx);
    }
    if (!ctx.signal.aborted && !options.skipPull) await pullChanges(ctx);
    const interrupted = ctx.signal.aborted;
    if (!interrupted) writeLastSuccess(db, now());
    const { pushed, pulled, rejected, bytesSent, rowsSent } = ctx.stats;
    return {
      ok: true,
      pushed,
      pulled,
      rejected,
      bytesSent,
      rowsSent,
      interrupted,
      ms: performance.now() - started,
      message: rejected > 0 ? `${rejected} change(s) were refused; see the rejected records.` : null,
    };
  } catch (error) {
    throw toSyncError(error, conn.where);
  } finally {
    releaseSyncLock(db, lockToken);
  }
}
