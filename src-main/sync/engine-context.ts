import type { Db } from '../db/open';
import type { ServerConnection } from './connection';
import type { ServerTables } from './server/types';

/** Points where tests inject faults (terminate the backend, kill the process, run a concurrent push). */
export type SyncStep =
  | 'push:before-commit'
  | 'push:committed'
  | 'bulk:copied'
  | 'bulk:committed'
  | 'pull:fetched'
  | 'pull:applied';

/** Rows of one table in one pulled page: ids, and a column's values in the same order. */
export interface PulledRows {
  ids: readonly string[];
  column(name: string): readonly unknown[];
}

/**
 * What another feature learns about a pull, registered with `SyncService.onPulled` by the composition
 * root (the pallets dashboard drops and rebuilds its cache). The engine knows no feature by name.
 */
export interface PullListener {
  /** Inside the page's transaction, before `table`'s rows are written (the old rows are still there). */
  beforeApply?(db: Db, table: string, rows: PulledRows): void;
  /** Once a pull ends, also an interrupted one. A failure is logged and never fails the sync. */
  afterPull?(db: Db, log: (line: string) => void): void;
}

export interface SyncHooks {
  step?(step: SyncStep, info: { count: number }): Promise<void> | void;
  /** Features told about pulled rows (see PullListener). */
  pulled?: readonly PullListener[];
}

export interface SyncLimits {
  /** Outbox entries per push batch. */
  batchEntries: number;
  /** Approximate bytes of JSON per push batch. */
  batchBytes: number;
  /** Rows per COPY page of a bulk entry. */
  bulkPage: number;
  /** Rows per pull page. */
  pullPage: number;
}

export const DEFAULT_LIMITS: SyncLimits = { batchEntries: 1000, batchBytes: 4 * 1024 * 1024, bulkPage: 25_000, pullPage: 5000 };

export interface SyncStats {
  pushed: number;
  pulled: number;
  rejected: number;
  bytesSent: number;
  /** Rows (or row changes) sent to the server, for the "one change sends one row" check. */
  rowsSent: number;
}

export interface EngineContext {
  db: Db;
  conn: ServerConnection;
  device: string;
  signal: AbortSignal;
  hooks: SyncHooks;
  now: () => number;
  lockToken: string;
  tables: ServerTables;
  limits: SyncLimits;
  stats: SyncStats;
  log: (line: string) => void;
  progress: (phase: 'push' | 'pull', done: number, total: number | null) => void;
}

export async function step(ctx: EngineContext, name: SyncStep, count: number): Promise<void> {
  if (ctx.hooks.step) await ctx.hooks.step(name, { count });
}
