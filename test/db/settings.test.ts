import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '@main/composition/create-core';
import { createTempCore } from '../helpers/temp-core';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

describe('settings through the contract', () => {
  it('defaults to Polish on a Polish OS and English otherwise', async () => {
    const pl = createTempCore({ osLocale: 'pl-PL' });
    const en = createTempCore({ osLocale: 'de-DE' });
    cores.push(pl, en);
    expect(await pl.call('settings:get', {})).toMatchObject({ ok: true, value: { language: 'pl', theme: 'system', vatRate: 23 } });
    expect(await en.call('settings:get', {})).toMatchObject({ ok: true, value: { language: 'en' } });
  });

  it('persists an update across a restart and emits settings:changed', async () => {
    const core = createTempCore();
    const seen: unknown[] = [];
    core.events.subscribe((channel, payload) => channel === 'settings:changed' && seen.push(payload));
    await core.call('settings:update', { theme: 'dark', language: 'pl' });
    expect(seen).toEqual([expect.objectContaining({ theme: 'dark', language: 'pl' })]);
    const dataDir = core.paths.dataDir;
    await core.close();
    const again = createTempCore({ dataDir });
    cores.push(again);
    expect(await again.call('settings:get', {})).toMatchObject({ ok: true, value: { theme: 'dark', language: 'pl' } });
  });

  it('falls back to the default for a stored value that no longer validates', async () => {
    const core = createTempCore();
    cores.push(core);
    core.db.$client.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('theme', '\"purple\"', 1), ('vatRate', 'not json', 1)").run();
    expect(await core.call('settings:get', {})).toMatchObject({ ok: true, value: { theme: 'system', vatRate: 23 } });
  });

  it('rejects unknown keys and out-of-range values', async () => {
    const core = createTempCore();
    cores.push(core);
    expect(await core.call('settings:update', { vatRate: 140 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await core.call('settings:update', { admin: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});
