import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../composition/create-core';
import type { StoreHealth } from '@shared/contract/system';
import { createTempCore, tempDir } from '../../test/helpers/temp-core';

const cores: Core[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

async function call<T>(core: Core, channel: string, input: unknown = {}): Promise<T> {
  const result = await core.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

describe('store health', () => {
  it('says what a fresh store has: no backup, no check, nothing to send (built-in knowledge is not a change)', async () => {
    const core = createTempCore();
    cores.push(core);
    await call(core, 'coaching:status');
    const health = await call<StoreHealth>(core, 'system:health');
    expect(health).toMatchObject({ lastBackup: null, backupCount: 0, growth: null, integrity: null, model: null, sync: { configured: false, pendingCount: 0, lastSuccessAt: null } });
    expect(health.dbBytes).toBeGreaterThan(0);
    expect(health.records.knowledge).toBeGreaterThan(50);
  });

  it('reports a backup taken now, the growth since it, and an integrity check with its result', async () => {
    const core = createTempCore();
    cores.push(core);
    const backup = await call<{ at: string; bytes: number; file: string }>(core, 'system:backupNow');
    expect(fs.existsSync(backup.file)).toBe(true);
    await call(core, 'sample:load', { requestId: 'r1', language: 'en' });
    const check = await call<{ ok: boolean; at: number; problems: string[] }>(core, 'system:checkIntegrity');
    expect(check).toMatchObject({ ok: true, problems: [] });
    const health = await call<StoreHealth>(core, 'system:health');
    expect(health.lastBackup).toEqual(backup);
    expect(health.backupCount).toBe(1);
    expect(health.growth?.since).toBe(backup.at);
    expect(health.integrity).toEqual(check);
    expect(health.records).toMatchObject({ leads: 1, sessions: 1, analyses: 1, lines: 8 });
    // The sample's records wait to be sent, in the same count the sync status gives.
    const sync = await call<{ pendingCount: number }>(core, 'sync:status');
    expect(health.sync.pendingCount).toBe(sync.pendingCount);
    expect(health.sync.pendingCount).toBeGreaterThan(8);
  });

  it('finds damage: a corrupted page is reported by the check', async () => {
    const dataDir = tempDir();
    const core = createTempCore({ dataDir });
    cores.push(core);
    await call(core, 'sample:load', { requestId: 'r1', language: 'pl' });
    core.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    // Overwrite the root page of the pallet lines' table with garbage.
    const { rootpage } = core.db.$client.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'pallet_items'").get() as { rootpage: number };
    const pageSize = core.db.$client.pragma('page_size', { simple: true }) as number;
    const fd = fs.openSync(path.join(dataDir, 'fieldmate.sqlite'), 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
    fs.closeSync(fd);
    const check = await call<{ ok: boolean; problems: string[] }>(core, 'system:checkIntegrity');
    expect(check.ok).toBe(false);
    expect(check.problems.length).toBeGreaterThan(0);
  });

  it('lists the licences of the bundled components from their package.json', async () => {
    const core = createTempCore();
    cores.push(core);
    const { components } = await call<{ components: { name: string; version: string; license: string }[] }>(core, 'system:licences');
    expect(components.find((c) => c.name === 'react')?.license).toBe('MIT');
    expect(components.find((c) => c.name === 'better-sqlite3')?.license).toBe('MIT');
    // Development tools are not shipped, so not listed.
    expect(components.some((c) => c.name === 'vitest')).toBe(false);
  });

  it('opening the data folder without a desktop says where it is instead of failing silently', async () => {
    const core = createTempCore();
    cores.push(core);
    const saved = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      const result = await core.call('system:openPath', { target: 'dataDir' });
      expect(result).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining(core.paths.dataDir) } });
    } finally {
      process.env.PATH = saved;
    }
  });
});
