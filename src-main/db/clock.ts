import type Database from 'better-sqlite3';
import { decodeHlc, encodeHlc, receiveHlc, tickHlc, type Hlc } from '@shared/sync/hlc';
import { newId } from '@shared/ids';
import type { Db } from './open';

/**
 * The device's hybrid logical clock, persisted in `sync_state` so that clocks keep increasing across
 * restarts even if the wall clock goes backwards. One clock per open database.
 */
const clocks = new WeakMap<Db, Hlc>();
const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Prepared statements cached per connection: preparing costs more than running these small ones. */
export function cachedStatement(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db.$client);
  if (!cache) {
    cache = new Map();
    statements.set(db.$client, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.$client.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

export function readState(db: Db, key: string): string | undefined {
  const row = cachedStatement(db, 'SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function writeState(db: Db, key: string, value: string): void {
  cachedStatement(db, 'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deleteState(db: Db, key: string): void {
  cachedStatement(db, 'DELETE FROM sync_state WHERE key = ?').run(key);
}

export function deviceId(db: Db): string {
  let id = readState(db, 'device_id');
  if (!id) {
    id = newId();
    writeState(db, 'device_id', id);
  }
  return id;
}

/**
 * Gives this store a new device id (it was copied or restored, or its id belongs to another login).
 * The clock moves one tick forward under the new id, so the copies never write equal clocks and
 * another process holding the old clock in memory takes the newer persisted one.
 */
export function renewDeviceId(db: Db, now = Date.now()): string {
  const id = newId();
  const next = { ...tickHlc(current(db), now), device: id };
  writeState(db, 'device_id', id);
  writeState(db, 'hlc', encodeHlc(next));
  clocks.set(db, next);
  return id;
}

/**
 * The last clock, re-read from the store each time: another process (the CLI, a sync child) may have
 * advanced it. Callers run inside a write transaction, so read-advance-write is atomic across processes.
 */
function current(db: Db): Hlc {
  const cached = clocks.get(db);
  const stored = readState(db, 'hlc');
  const persisted = stored ? decodeHlc(stored) : null;
  let clock = cached ?? persisted ?? { wall: 0, counter: 0, device: deviceId(db) };
  if (cached && persisted && encodeHlc(persisted) > encodeHlc(cached)) clock = persisted;
  clocks.set(db, clock);
  return clock;
}

/** Advances the clock for a local write and persists it (call inside the write's transaction). */
export function nextClock(db: Db, now = Date.now()): string {
  const next = tickHlc(current(db), now);
  clocks.set(db, next);
  const encoded = encodeHlc(next);
  writeState(db, 'hlc', encoded);
  return encoded;
}

/** The lowest clock this device can write: for shipped defaults every device writes identically. */
export function baselineClock(db: Db): string {
  return encodeHlc({ wall: 0, counter: 0, device: deviceId(db) });
}

/** Folds a clock seen on the server into the local one (pull). Throws if it is absurdly far ahead. */
export function observeClock(db: Db, remote: string, now = Date.now()): void {
  const next = receiveHlc(current(db), decodeHlc(remote), now);
  clocks.set(db, next);
  writeState(db, 'hlc', encodeHlc(next));
}

/** The clock's current value without advancing it (diagnostics and tests). */
export function peekClock(db: Db): string {
  return encodeHlc(current(db));
}
