import { cachedStatement } from '@main/db/changes';
import type { Db } from '@main/db/open';
import { forgetDashboardGroups, refreshDashboardGroups } from './dashboard';

/**
 * The pallet dashboard caches groups of lines per analysis, and its triggers do not watch `status` or the
 * rule keys (drizzle/0005): a pulled page forgets the analyses its lines belong to (before and after),
 * and they are aggregated again once the pull ends, so the next dashboard opens from its cache. A failure
 * here loses nothing: the dashboard aggregates what is still missing when it opens.
 *
 * Registered with the sync feature's `onPulled` by the composition root: sync knows no pallets.
 */
export function dashboardPullListener() {
  const pulled = new Set<string>();
  return {
    beforeApply(db: Db, table: string, rows: { ids: readonly string[]; column(name: string): readonly unknown[] }): void {
      if (table !== 'pallet_items') return;
      const ids = new Set<string>();
      for (const id of rows.column('analysis_id')) if (typeof id === 'string') ids.add(id);
      const local = cachedStatement(db, 'SELECT DISTINCT p.analysis_id FROM json_each(?) j JOIN pallet_items p ON p.id = j.value').pluck();
      for (const id of local.all(JSON.stringify(rows.ids)) as string[]) ids.add(id);
      for (const id of ids) {
        forgetDashboardGroups(db, id);
        pulled.add(id);
      }
    },
    afterPull(db: Db, log: (line: string) => void): void {
      if (pulled.size === 0) return;
      const started = performance.now();
      const ids = [...pulled];
      pulled.clear();
      try {
        const existing = cachedStatement(db, "SELECT id FROM analyses WHERE deleted_at IS NULL AND status = 'ready' AND id IN (SELECT value FROM json_each(?))").pluck().all(JSON.stringify(ids)) as string[];
        const refreshed = refreshDashboardGroups(db, existing);
        log(`[sync] pallet dashboard: ${refreshed} analyses aggregated again in ${Math.round(performance.now() - started)} ms`);
      } catch (error) {
        log(`[sync] pallet dashboard left to aggregate when opened: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
