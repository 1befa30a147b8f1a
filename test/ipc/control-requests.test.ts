import { afterAll, describe, expect, it } from 'vitest';
import { requests } from '../../src-shared/contract';
import { createTempCore } from '../helpers/temp-core';

const core = createTempCore();
afterAll(() => core.close());

describe('control requests', () => {
  it('stop / pause / cancel channels never abort the operation they name by starting their own', async () => {
    const controls = Object.entries(requests).filter(([, def]) => 'control' in def && def.control).map(([name]) => name);
    expect(controls.sort()).toEqual(['coaching:stop', 'llm:cancel', 'models:downloadCancel', 'models:downloadPause', 'ops:cancel']);
    for (const channel of controls.filter((c) => c !== 'ops:cancel')) {
      const signal = core.operations.start('long-op', 'test');
      await core.call(channel, { requestId: 'long-op' });
      expect(signal.aborted, channel).toBe(false);
      core.operations.finish('long-op', 'ok');
    }
  });

  it('ops:cancel aborts the named operation', async () => {
    const signal = core.operations.start('long-op-2', 'test');
    expect(await core.call('ops:cancel', { requestId: 'long-op-2' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(signal.aborted).toBe(true);
  });
});
