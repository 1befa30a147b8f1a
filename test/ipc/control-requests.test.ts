import { afterAll, describe, expect, it } from 'vitest';
import { requests } from '@shared/contract';
import { DOWNLOAD_PAUSE } from '@main/models';
import { createTempCore } from '../helpers/temp-core';

const core = createTempCore();
afterAll(() => core.close());

describe('control requests', () => {
  it('stop / pause / cancel channels never abort the operation they name by starting their own', async () => {
    const controls = Object.entries(requests).filter(([, def]) => 'control' in def && def.control).map(([name]) => name);
    // One way to cancel anything (ops:cancel); a pause differs (the download is listed as paused).
    expect(controls.sort()).toEqual(['models:downloadPause', 'ops:cancel']);
    // Neither starts an operation of its own under the id it names (that would abort the target).
    for (const channel of controls) {
      await core.call(channel, { requestId: 'not-running' });
      expect(core.operations.size, channel).toBe(0);
    }
  });

  it('the cancel-style duplicates are gone: ops:cancel is the one way to cancel', () => {
    for (const gone of ['coaching:stop', 'llm:cancel', 'models:downloadCancel']) expect(Object.hasOwn(requests, gone), gone).toBe(false);
  });

  it('models:downloadPause aborts the named operation with the pause reason', async () => {
    const signal = core.operations.start('download-1', 'models:download');
    expect(await core.call('models:downloadPause', { requestId: 'download-1' })).toEqual({ ok: true, value: { ok: true } });
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(DOWNLOAD_PAUSE);
    core.operations.finish('download-1', 'cancelled', signal);
  });

  it('ops:cancel aborts the named operation', async () => {
    const signal = core.operations.start('long-op-2', 'test');
    expect(await core.call('ops:cancel', { requestId: 'long-op-2' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(signal.aborted).toBe(true);
  });
});
