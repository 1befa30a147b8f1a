/**
 * Hybrid logical clock. A timestamp is `wall:counter:device` encoded so that plain string comparison
 * orders clocks (wall time first, then the counter, then the device id as a tie-breaker). Devices with
 * skewed wall clocks still order causally related writes correctly because every received clock
 * advances the local one.
 */
export interface Hlc {
  wall: number;
  counter: number;
  device: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
/** A remote clock further ahead than this is rejected: a broken device clock must not poison the team. */
export const MAX_DRIFT_MS = 24 * 60 * 60 * 1000;

export function encodeHlc(h: Hlc): string {
  return `${h.wall.toString().padStart(WALL_DIGITS, '0')}:${h.counter.toString().padStart(COUNTER_DIGITS, '0')}:${h.device}`;
}

export function decodeHlc(s: string): Hlc {
  const first = s.indexOf(':');
  const second = s.indexOf(':', first + 1);
  if (first !== WALL_DIGITS || second !== WALL_DIGITS + 1 + COUNTER_DIGITS) throw new Error(`Malformed clock: ${s.slice(0, 40)}`);
  const wall = Number(s.slice(0, first));
  const counter = Number(s.slice(first + 1, second));
  const device = s.slice(second + 1);
  if (!Number.isFinite(wall) || !Number.isFinite(counter) || device.length === 0) throw new Error(`Malformed clock: ${s.slice(0, 40)}`);
  return { wall, counter, device };
}

/** Next clock for a local event. */
export function tickHlc(last: Hlc, now: number): Hlc {
  if (now > last.wall) return { wall: now, counter: 0, device: last.device };
  return { wall: last.wall, counter: last.counter + 1, device: last.device };
}

/** Merge a clock received from elsewhere so later local events sort after it. */
export function receiveHlc(last: Hlc, remote: Hlc, now: number): Hlc {
  if (remote.wall - now > MAX_DRIFT_MS) throw new Error('Remote clock is too far in the future');
  const wall = Math.max(last.wall, remote.wall, now);
  let counter = 0;
  if (wall === last.wall && wall === remote.wall) counter = Math.max(last.counter, remote.counter) + 1;
  else if (wall === last.wall) counter = last.counter + 1;
  else if (wall === remote.wall) counter = remote.counter + 1;
  return { wall, counter, device: last.device };
}
