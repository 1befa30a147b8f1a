import { decodeHlc, encodeHlc, receiveHlc, tickHlc, type Hlc } from '../../src-shared/sync/hlc';
import { newId } from '../../src-shared/ids';
import type { Db } from './open';

/**
 * The device's hybrid logical clock, persisted in `sync_state` so that clocks keep increasing across
 * restarts even if the wall clock goes backwards. One clock per open database.
 */
const clocks = new WeakMap<Db, Hlc>();

function readState(db: Db, key: string): string | undefined {
  const row = db.$client.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

function writeState(db: Db, key: string, value: string): void {
  db.$client.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function deviceId(db: Db): string {
  let id = readState(db, 'device_id');
  if (!id) {
    id = newId();
    writeState(db, 'device_id', id);
  }
  return id;
}

function current(db: Db): Hlc {
  let clock = clocks.get(db);
  if (!clock) {
    const stored = readState(db, 'hlc');
    clock = stored ? decodeHlc(stored) : { wall: 0, counter: 0, device: deviceId(db) };
    clocks.set(db, clock);
  }
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

/** Folds a clock seen on the server into the local one (pull). */
export function observeClock(db: Db, remote: string, now = Date.now()): void {
  const next = receiveHlc(current(db), decodeHlc(remote), now);
  clocks.set(db, next);
  writeState(db, 'hlc', encodeHlc(next));
}
