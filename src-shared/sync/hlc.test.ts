import { describe, expect, it } from 'vitest';
import { decodeHlc, encodeHlc, MAX_DRIFT_MS, receiveHlc, tickHlc } from './hlc';

describe('hybrid logical clock', () => {
  it('round-trips and orders as strings', () => {
    const a = { wall: 1_700_000_000_000, counter: 2, device: 'dev-a' };
    expect(decodeHlc(encodeHlc(a))).toEqual(a);
    const later = tickHlc(a, a.wall + 1);
    const sameMs = tickHlc(a, a.wall);
    expect(encodeHlc(later) > encodeHlc(a)).toBe(true);
    expect(encodeHlc(sameMs) > encodeHlc(a)).toBe(true);
    expect(encodeHlc({ ...a, counter: 10 }) > encodeHlc({ ...a, counter: 9 })).toBe(true);
  });

  it('keeps increasing when the wall clock goes back', () => {
    let h = { wall: 5000, counter: 0, device: 'd' };
    const seen: string[] = [];
    for (const now of [5000, 4000, 3000, 5000, 6000]) {
      h = tickHlc(h, now);
      seen.push(encodeHlc(h));
    }
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('orders after a received clock from a device minutes ahead', () => {
    const local = { wall: 1000, counter: 0, device: 'a' };
    const remote = { wall: 1000 + 5 * 60_000, counter: 3, device: 'b' };
    const merged = receiveHlc(local, remote, 1000);
    expect(encodeHlc(tickHlc(merged, 1001)) > encodeHlc(remote)).toBe(true);
    expect(merged.device).toBe('a');
  });

  it('refuses a remote clock absurdly far in the future and malformed clocks', () => {
    expect(() => receiveHlc({ wall: 0, counter: 0, device: 'a' }, { wall: MAX_DRIFT_MS + 10, counter: 0, device: 'b' }, 0)).toThrow(/future/);
    expect(() => decodeHlc('nonsense')).toThrow(/Malformed/);
  });
});
