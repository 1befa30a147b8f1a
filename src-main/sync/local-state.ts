import os from 'node:os';
import { AppError } from '@shared/contract/errors';
import type { RecordSyncState } from '@shared/contract/sync';
import { BULK_ROW_ID, bulkProgressKey, cachedStatement, type BulkChange } from '../db/changes';
import { deleteState, readState, writeState } from '../db/clock';
import type { Db } from '../db/open';

/**
 * Sync bookkeeping on the device, all in the `sync_state` key-value table (no migration needed):
 * the pull cursor, the cross-process sync lock, rejected changes, last success.
 */

export interface PullRound {
  /** xmin of the snapshot of this round's first page: the next round starts there. */
  watermark: string;
  table: number;
  afterXid: string;
  afterId: string;
}

export interface PullState {
  /** Which server (and user) the cursor belongs to; another one means start over. */
  origin: string;
  /** Every transaction below this xid is fully pulled. */
  from: string;
  round: PullRound | null;
}

const PULL_KEY = 'pull_state';

export function readPullState(db: Db, origin: string): PullState {
  const raw = readState(db, PULL_KEY);
  if (raw) {
    try {
      const state = JSON.parse(raw) as PullState;
      if (state.origin === origin && typeof state.from === 'string') return state;
    } catch {
      // A damaged cursor only costs a full pull.
    }
  }
  return { origin, from: '0', round: null };
}

export function writePullState(db: Db, state: PullState): void {
  writeState(db, PULL_KEY, JSON.stringify(state));
}

// ---- Lock: one sync at a time per store, across processes (app, headless host, CLI) ----------------

const LOCK_KEY = 'sync_lock';
const LOCK_TTL_MS = 120_000;

interface LockValue {
  token: string;
  pid: number;
  host: string;
  expires: number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws a clear CONFLICT; a lock of a dead process or past its expiry is taken over. */
export function acquireSyncLock(db: Db, token: string, now = Date.now()): void {
  const take = db.$client.transaction(() => {
    const raw = readState(db, LOCK_KEY);
    if (raw) {
      const held = JSON.parse(raw) as LockValue;
      const stale = held.expires < now || (held.host === os.hostname() && !processAlive(held.pid));
      if (held.token !== token && !stale) throw new AppError('CONFLICT', 'Another Fieldmate window or command is syncing this data right now.');
    }
    writeState(db, LOCK_KEY, JSON.stringify({ token, pid: process.pid, host: os.hostname(), expires: now + LOCK_TTL_MS } satisfies LockValue));
  });
  take.immediate();
}

export function renewSyncLock(db: Db, token: string, now = Date.now()): void {
  const raw = readState(db, LOCK_KEY);
  if (!raw || (JSON.parse(raw) as LockValue).token !== token) throw new AppError('CONFLICT', 'The sync lock was taken over by another process.');
  writeState(db, LOCK_KEY, JSON.stringify({ token, pid: process.pid, host: os.hostname(), expires: now + LOCK_TTL_MS } satisfies LockValue));
}

export function releaseSyncLock(db: Db, token: string): void {
  if (!db.$client.open) return;
  const raw = readState(db, LOCK_KEY);
  if (raw && (JSON.parse(raw) as LockValue).token === token) deleteState(db, LOCK_KEY);
}

// ---- Rejections -----------------------------------------------------------------------------------

const REJECTED_PREFIX = 'rejected:';
const rejectedKey = (table: string, id: string) => `${REJECTED_PREFIX}${table}:${id}`;

export interface RejectionRecord {
  table: string;
  id: string;
  reason: string;
  at: number;
}

export function recordRejection(db: Db, table: string, id: string, reason: string, now = Date.now()): void {
  writeState(db, rejectedKey(table, id), JSON.stringify({ reason: reason.slice(0, 500), at: now }));
}

/** A later accepted change to the row clears its rejected state. */
export function clearRejection(db: Db, table: string, id: string): void {
  deleteState(db, rejectedKey(table, id));
}

export function hasRejections(db: Db): boolean {
  return cachedStatement(db, "SELECT 1 FROM sync_state WHERE key >= 'rejected:' AND key < 'rejected;' LIMIT 1").get() !== undefined;
}

export function rejectedCount(db: Db): number {
  return (cachedStatement(db, "SELECT count(*) AS n FROM sync_state WHERE key >= 'rejected:' AND key < 'rejected;'").get() as { n: number }).n;
}

export function listRejections(db: Db, limit = 100): { items: RejectionRecord[]; total: number } {
  const rows = cachedStatement(db, "SELECT key, value FROM sync_state WHERE key >= 'rejected:' AND key < 'rejected;'").all() as { key: string; value: string }[];
  const items = rows.map((row) => {
    const rest = row.key.slice(REJECTED_PREFIX.length);
    const colon = rest.indexOf(':');
    let parsed: { reason?: string; at?: number } = {};
    try {
      parsed = JSON.parse(row.value) as typeof parsed;
    } catch {
      // Keep the defaults.
    }
    return { table: rest.slice(0, colon), id: rest.slice(colon + 1), reason: parsed.reason ?? 'Refused by the server.', at: parsed.at ?? 0 };
  });
  items.sort((a, b) => b.at - a.at);
  return { items: items.slice(0, limit), total: items.length };
}

// ---- Per-record state ------------------------------------------------------------------------------

/** pending (an outbox entry, or a row of a bulk entry, not yet accepted), rejected, or synced. */
export function recordStates(db: Db, table: string, ids: readonly string[]): Record<string, { state: RecordSyncState; reason: string | null }> {
  const out: Record<string, { state: RecordSyncState; reason: string | null }> = {};
  if (ids.length === 0) return out;
  const wanted = JSON.stringify(ids);
  const pending = new Set(
    (cachedStatement(db, 'SELECT DISTINCT o.row_id AS id FROM sync_outbox o JOIN json_each(?) j ON j.value = o.row_id WHERE o.table_name = ?').all(wanted, table) as { id: string }[]).map((r) => r.id),
  );
  const bulks = cachedStatement(db, 'SELECT seq, changes_json FROM sync_outbox WHERE table_name = ? AND row_id = ?').all(table, BULK_ROW_ID) as { seq: number; changes_json: string }[];
  if (bulks.length > 0) {
    const wantedSet = new Set(ids);
    for (const bulk of bulks) {
      const done = Number(readState(db, bulkProgressKey(bulk.seq)) ?? 0);
      const change = JSON.parse(bulk.changes_json) as BulkChange;
      change.bulk.ids.forEach((id, i) => {
        if (i >= done && wantedSet.has(id)) pending.add(id);
      });
    }
  }
  for (const id of ids) {
    if (pending.has(id)) {
      out[id] = { state: 'pending', reason: null };
      continue;
    }
    const raw = readState(db, rejectedKey(table, id));
    if (raw) {
      let reason = 'Refused by the server.';
      try {
        reason = (JSON.parse(raw) as { reason?: string }).reason ?? reason;
      } catch {
        // Keep the default sentence.
      }
      out[id] = { state: 'rejected', reason };
    } else {
      out[id] = { state: 'synced', reason: null };
    }
  }
  return out;
}

// ---- Run history (for the status bar across restarts) -----------------------------------------------

export function readLastSuccess(db: Db): number | null {
  const v = readState(db, 'last_success_at');
  return v ? Number(v) : null;
}

export function writeLastSuccess(db: Db, at: number): void {
  writeState(db, 'last_success_at', String(at));
}
