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

export interface SyncHooks {
  step?(step: SyncStep, info: { count: number }): Promise<void> | void;
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
