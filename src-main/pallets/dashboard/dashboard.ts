import type { PalletDashboard } from '@shared/contract/pallets';
import { LINE_STATUSES, type LineStatus } from '@shared/pallets/fields';
import { cachedStatement } from '@main/db/changes';
import type { Db } from '@main/db/open';
import { DASHBOARD_GROUP_BY, DASHBOARD_GROUPS_SQL, DASHBOARD_REFRESH_SQL, dashboardSettings, dashboardStatements, MAX_DASHBOARD_PALLETS, type DashboardAnalysisRow } from './dashboard-sql';

export { DASHBOARD_GROUP_BY, DASHBOARD_GROUPS_SQL, MAX_DASHBOARD_PALLETS } from './dashboard-sql';

/**
 * The pallet dashboard. Its groups of lines are cached per analysis in pallet_dashboard_groups (migration
 * 0004), with their status / category mix and blocked lines per key (0007): a million lines give ~24k
 * groups, aggregated once from the covering indexes in ~150 ms. Triggers on pallet_items drop an analysis
 * from pallet_dashboard_fresh on every write that changes its groups, except `status` and the rule keys,
 * whose writers (re-score, sync pull) drop it themselves. An import and a re-score aggregate their analysis
 * again in their own transaction, a sync pull once it ends; the dashboard aggregates only the analyses
 * still missing (after an edit, a migration, an interrupted pull). The chart series are then GROUP BYs over the cached rows (dashboard-sql.ts): the rows
 * that come back are the series.
 */

/**
 * The SQL of one dashboard (scope: one analysis or all), for the benchmark's raw baseline: the statements
 * the service runs (`refresh` on a cache miss), and `aggregate`, the groups of the scope as a SELECT.
 */
export function dashboardSql(analysisId?: string): ReturnType<typeof dashboardStatements> & { refresh: typeof DASHBOARD_REFRESH_SQL; aggregate: string; params: string[] } {
  return {
    ...dashboardStatements(analysisId),
    refresh: DASHBOARD_REFRESH_SQL,
    aggregate: `${DASHBOARD_GROUPS_SQL}${analysisId === undefined ? '' : ' AND analysis_id = ?'} ${DASHBOARD_GROUP_BY}`,
    params: analysisId === undefined ? [] : [analysisId],
  };
}

/**
 * Forgets the cached groups of an analysis. Writers of `status` call it (the trigger does not watch that
 * column: see drizzle/0005), in the transaction that writes the lines.
 */
export function forgetDashboardGroups(db: Db, analysisId: string): void {
  cachedStatement(db, 'DELETE FROM pallet_dashboard_fresh WHERE analysis_id = ?').run(analysisId);
}

/**
 * Aggregates again the groups of the analyses in `ids` that are not fresh, in one transaction (dropping
 * every stale group on the way, also those of deleted analyses). Returns how many were aggregated.
 */
export function refreshDashboardGroups(db: Db, ids: Iterable<string>, now = Date.now()): number {
  const sql = DASHBOARD_REFRESH_SQL;
  const fresh = new Set(cachedStatement(db, sql.fresh).pluck().all() as string[]);
  const missing = [...ids].filter((id) => !fresh.has(id));
  if (missing.length === 0) return 0;
  db.$client.transaction(() => {
    for (const drop of sql.dropStale) cachedStatement(db, drop).run();
    for (const id of missing) {
      cachedStatement(db, sql.groups).run(id);
      cachedStatement(db, sql.mix).run(id);
      cachedStatement(db, sql.blocking).run(id);
      cachedStatement(db, sql.mark).run(id, now);
    }
  })();
  return missing.length;
}

/**
 * Aggregates every ready analysis whose groups are not cached (after a migration that emptied the cache,
 * an interrupted pull, an edited line), so that the next dashboard opens from its cache. Returns how many.
 */
export function aggregateStaleDashboards(db: Db, now = Date.now()): number {
  const ids = cachedStatement(db, dashboardStatements().analyses).all() as DashboardAnalysisRow[];
  return refreshDashboardGroups(db, ids.map((a) => a.id), now);
}

/** Rows of the series statements (raw arrays, in SELECT order). */
type StatusRow = [string, number, number];
type CategoryRow = [string, number, number];
/** 'p': aid, pallet_id, lines, retail, cost, resale low, resale high; 'a': aid, null, pallets, null, the analysis's cost. */
type PalletRow = ['p' | 'a', string, string | null, number, number | null, number | null, number | null, number | null];
type RuleRow = [string, number, string];

const round = (n: number) => Math.round(n * 100) / 100;
const PALLET_ORDER = new Intl.Collator(undefined, { numeric: true });

export function palletDashboard(db: Db, analysisId?: string): PalletDashboard {
  const started = performance.now();
  const sql = dashboardStatements(analysisId);
  const analyses = cachedStatement(db, sql.analyses).all(...(analysisId === undefined ? [] : [analysisId])) as DashboardAnalysisRow[];
  refreshDashboardGroups(db, analyses.map((a) => a.id));
  const settings = dashboardSettings(analyses);
  const unknown = new Set<string>();
  for (const a of analyses) for (const id of a.unknown_pallets ? (JSON.parse(a.unknown_pallets) as (string | null)[]) : []) unknown.add(`${a.id}\u0000${id ?? ''}`);
  const statuses = cachedStatement(db, sql.status).raw(true).all({ settings }) as StatusRow[];
  const categories = cachedStatement(db, sql.category).raw(true).all({ settings }) as CategoryRow[];
  const palletRows = cachedStatement(db, sql.pallets).raw(true).all({ settings, top: MAX_DASHBOARD_PALLETS }) as PalletRow[];
  const rules = cachedStatement(db, sql.blocking).raw(true).all({ settings }) as RuleRow[];

  const byStatus = new Map(statuses.map(([status, lines, units]) => [status, { lines, units }]));
  let lines = 0;
  for (const s of byStatus.values()) lines += s.lines;
  let retail = 0;
  for (const c of categories) retail += c[2];

  // Pallets: the candidates arrive by retail; the order shown is by retail in cents, then natural id.
  const pallets: PalletDashboard['pallets'] = [];
  let palletCount = 0;
  let cost = 0;
  for (const [kind, aid, palletId, n, palletRetail, palletCost, low, high] of palletRows) {
    if (kind === 'a') {
      palletCount += n;
      cost += round(palletCost ?? 0);
      continue;
    }
    const c = palletCost === null ? null : round(palletCost);
    const resaleLow = round(low ?? 0);
    const resaleHigh = round(high ?? 0);
    // ROI as the valuation states it: margin over cost, none without a positive cost.
    // Unknown is not zero: too few units valued leaves margin and ROI unknown, as in the valuation.
    const known = c !== null && !unknown.has(`${aid}\u0000${palletId ?? ''}`);
    const roi = (resale: number) => (!known || c <= 0 ? null : Math.round(((resale - c) / c) * 10_000) / 10_000);
    pallets.push({ palletId: palletId ?? '', lines: n, retail: round(palletRetail ?? 0), cost: c, resaleLow, resaleHigh, marginLow: known ? round(resaleLow - c) : null, marginHigh: known ? round(resaleHigh - c) : null, roiLow: roi(resaleLow), roiHigh: roi(resaleHigh) });
  }
  pallets.sort((a, b) => b.retail - a.retail || PALLET_ORDER.compare(a.palletId, b.palletId));

  return {
    analysisId: analysisId ?? null,
    statusMix: LINE_STATUSES.map((status: LineStatus) => ({ status, lines: byStatus.get(status)?.lines ?? 0, units: byStatus.get(status)?.units ?? 0 })),
    categoryMix: categories.map(([category, n, r]) => ({ category, lines: n, retail: round(r) })).sort((a, b) => b.lines - a.lines || a.category.localeCompare(b.category)),
    pallets: pallets.slice(0, MAX_DASHBOARD_PALLETS),
    palletsOmitted: Math.max(0, palletCount - MAX_DASHBOARD_PALLETS),
    topBlockingRules: rules.map(([ruleId, n, name]) => ({ ruleId, name, lines: n })).sort((a, b) => b.lines - a.lines || a.name.localeCompare(b.name)).slice(0, 10),
    totals: { analyses: analyses.length, lines, retail: round(retail), cost: round(cost) },
    elapsedMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
