import { describe, expect, it } from 'vitest';
import { Operations } from './operations';

describe('operations registry', () => {
  it('a finishing older operation does not remove a newer one that reused its id', () => {
    const log: string[] = [];
    const ops = new Operations((line) => log.push(line));
    const first = ops.start('r1', 'test');
    const second = ops.start('r1', 'test');
    expect(first.aborted).toBe(true);
    ops.finish('r1', 'cancelled', first);
    expect(ops.cancel('r1')).toBe(true);
    expect(second.aborted).toBe(true);
    ops.finish('r1', 'cancelled', second);
    expect(ops.size).toBe(0);
    expect(log).toHaveLength(1);
  });
});
