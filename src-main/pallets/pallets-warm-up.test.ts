import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appPaths } from '../core/paths';
import { createTempCore, tempDir } from '../../test/helpers/temp-core';
import { importFile } from '../../test/helpers/pallets-channels';
import { PalletService } from './pallet-service';
import { writeFixtures } from '../../test/helpers/pallet-fixtures';

afterEach(() => {
  vi.useRealTimers();
});

describe('dashboard warm-up at start-up', () => {
  it('aggregates the analyses a migration left without cached groups three seconds after the core starts, not before', async () => {
    const dataDir = tempDir('fm-pallet-warm-');
    const fx = writeFixtures(tempDir('fm-pallet-warm-fx-'));
    const first = createTempCore({ dataDir });
    const ids: string[] = [];
    for (const name of ['bstock.xlsx', 'polish.xlsx'] as const) ids.push((await importFile(first, fx[name])).imported.analysisId);
    await first.close();

    // What a migration that rebuilds the cache leaves behind: lines, but no fresh dashboard groups.
    const raw = new Database(appPaths(dataDir).dbFile);
    raw.prepare('DELETE FROM pallet_dashboard_fresh').run();
    raw.close();

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const second = createTempCore({ dataDir });
    try {
      const fresh = () => (second.db.$client.prepare('SELECT analysis_id FROM pallet_dashboard_fresh ORDER BY analysis_id').all() as { analysis_id: string }[]).map((r) => r.analysis_id);
      expect(fresh()).toEqual([]);
      vi.advanceTimersByTime(2_999);
      expect(fresh()).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(fresh()).toEqual([...ids].sort());
    } finally {
      vi.useRealTimers();
      await second.close();
    }
  }, 60_000);

  it('is cancelled when the core closes first, so it never runs against a closed store', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const warmUps = vi.spyOn(PalletService.prototype, 'aggregateStaleDashboards');
    try {
      const open = createTempCore();
      vi.advanceTimersByTime(3_000);
      expect(warmUps).toHaveBeenCalledTimes(1);
      const closed = createTempCore();
      await closed.close();
      vi.advanceTimersByTime(10_000);
      expect(warmUps).toHaveBeenCalledTimes(1);
      await open.close();
    } finally {
      warmUps.mockRestore();
    }
  });
});
