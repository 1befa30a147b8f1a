import type { PalletDashboard } from '../../src-shared/contract/pallets';
import type { ConditionGrade, LineStatus } from '../../src-shared/pallets/fields';
import { createValuation, type ValuationOptions } from '../../src-shared/pallets/valuation';
import { emptyLineValues } from '../../src-shared/pallets/fields';
import { cachedStatement } from '../db/changes';
import type { Db } from '../db/open';
import { firedIds, isLineStatus, type RuleDictionary } from './line-codec';

/**
 * The pallet dashboard's aggregate SQL. One pass over `pallet_items_dash_idx` (covering, partial on live
 * lines, in GROUP BY order so SQLite aggregates while it scans and never sorts) yields one row per
 * (analysis, pallet, status, category, condition); every KPI is folded from those groups. The rules that
 * blocked most come from `pallet_items_blocking_idx` (blocked lines only).
 *
 * The groups are cached per analysis in pallet_dashboard_groups (migration 0004): a million lines give
 * ~24k groups, which read in a fraction of the ~150 ms the aggregate takes. Triggers on pallet_items drop
 * an analysis from pallet_dashboard_fresh on every write that changes its groups, except `status`, whose
 * writers (re-score, sync pull) drop it themselves; the dashboard aggregates again only the analyses that
 * are missing (one SEARCH of the covering index each).
 */
// A group with no retail (or cost) at all sums to 0, which the valuation values exactly like "none": no
// count() of the price columns is needed (each aggregate costs ~20 ms per million lines).
export const DASHBOARD_GROUPS_SQL = `SELECT analysis_id, pallet_id, status, category, condition, count(*) AS lines, total(coalesce(quantity, 1)) AS units,
  total(coalesce(quantity, 1) * retail_price) AS retail, total(coalesce(quantity, 1) * price_net) AS cost
FROM pallet_items INDEXED BY pallet_items_dash_idx WHERE deleted_at IS NULL`;
export const DASHBOARD_GROUP_BY = 'GROUP BY analysis_id, pallet_id, status, category, condition';
export const DASHBOARD_BLOCKING_SQL = "SELECT analysis_id, data_json ->> '$.b' AS b, count(*) AS lines FROM pallet_items INDEXED BY pallet_items_blocking_idx WHERE deleted_at IS NULL AND status = 'blocked'";
export const DASHBOARD_BLOCKING_GROUP_BY = 'GROUP BY analysis_id, b';
const CACHED_GROUPS_SQL = 'SELECT analysis_id, pallet_id, status, category, condition, lines, units, retail, cost FROM pallet_dashboard_groups';

/**
 * The SQL statements of one dashboard (scope: one analysis or all), for the benchmark's raw baseline:
 * `groups` reads the cached groups, `aggregate` computes them from the lines (what a cache miss costs).
 */
export function dashboardSql(analysisId?: string): { groups: string; aggregate: string; blocking: string; params: string[] } {
  const scope = analysisId === undefined ? '' : ' AND analysis_id = ?';
  return {
    groups: analysisId === undefined ? CACHED_GROUPS_SQL : `${CACHED_GROUPS_SQL} WHERE analysis_id = ?`,
    aggregate: `${DASHBOARD_GROUPS_SQL}${scope} ${DASHBOARD_GROUP_BY}`,
    blocking: `${DASHBOARD_BLOCKING_SQL}${scope} ${DASHBOARD_BLOCKING_GROUP_BY}`,
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
  const fresh = new Set(cachedStatement(db, 'SELECT analysis_id FROM pallet_dashboard_fresh').pluck().all() as string[]);
  const missing = [...ids].filter((id) => !fresh.has(id));
  if (missing.length === 0) return 0;
  db.$client.transaction(() => {
    cachedStatement(db, 'DELETE FROM pallet_dashboard_groups WHERE analysis_id NOT IN (SELECT analysis_id FROM pallet_dashboard_fresh)').run();
    const insert = cachedStatement(db, `INSERT INTO pallet_dashboard_groups (analysis_id, pallet_id, status, category, condition, lines, units, retail, cost) ${DASHBOARD_GROUPS_SQL} AND analysis_id = ? ${DASHBOARD_GROUP_BY}`);
    const mark = cachedStatement(db, 'INSERT OR REPLACE INTO pallet_dashboard_fresh (analysis_id, computed_at) VALUES (?, ?)');
    for (const id of missing) {
      insert.run(id);
      mark.run(id, now);
    }
  })();
  return missing.length;
}

// Columns of a group row, in DASHBOARD_GROUPS_SQL order (read with raw() arrays: 10k+ groups stay cheap).
type GroupRow = [string, string | null, string, string | null, string | null, number, number, number, number];

/** Pallets shown at most (largest retail first); a manifest with a pallet per line has thousands. */
export const MAX_DASHBOARD_PALLETS = 200;
/** Label of lines without a category / pallet in the mixes (the lines filter takes '' for "none"). */
const NONE = '';

const round = (n: number) => Math.round(n * 100) / 100;
const PALLET_ORDER = new Intl.Collator(undefined, { numeric: true });

function parseObject<T extends object>(json: string | null): T {
  if (!json) return {} as T;
  try {
    const value = JSON.parse(json) as unknown;
    return (value && typeof value === 'object' ? value : {}) as T;
  } catch {
    return {} as T;
  }
}

export function palletDashboard(db: Db, analysisId?: string): PalletDashboard {
  const started = performance.now();
  const sql = dashboardSql(analysisId);

  // Analyses in scope: live and finished (lines of a deleted analysis are tombstoned with it, but a delete
  // interrupted by a crash or synced half-way must not count).
  // Only the two parts of the meta the KPIs need, extracted by SQLite (the stored valuation can be large).
  const analysisRows = cachedStatement(
    db,
    "SELECT id, pallet_price, json_extract(mapping_json, '$.valuationOptions') AS options, json_extract(mapping_json, '$.rules') AS rules FROM analyses WHERE deleted_at IS NULL AND status = 'ready'",
  ).all() as { id: string; pallet_price: number | null; options: string | null; rules: string | null }[];
  const live = new Map<string, { palletPrice: number | null; options: Partial<ValuationOptions>; rules: RuleDictionary }>();
  for (const a of analysisRows) {
    if (analysisId !== undefined && a.id !== analysisId) continue;
    live.set(a.id, { palletPrice: a.pallet_price, options: parseObject<Partial<ValuationOptions>>(a.options), rules: parseObject<RuleDictionary>(a.rules) });
  }
  refreshDashboardGroups(db, live.keys());
  const groups = cachedStatement(db, sql.groups).raw(true).all(...sql.params) as GroupRow[];
  const blocking = cachedStatement(db, sql.blocking).raw(true).all(...sql.params) as [string, string | null, number][];

  const statusMix = new Map<LineStatus, { lines: number; units: number }>([
    ['ok', { lines: 0, units: 0 }],
    ['warning', { lines: 0, units: 0 }],
    ['blocked', { lines: 0, units: 0 }],
  ]);
  const categoryMix = new Map<string, { lines: number; retail: number }>();
  interface Scope {
    valuation: ReturnType<typeof createValuation>;
    palletLines: Map<string, { lines: number }>;
    /** One synthetic line per analysis, refilled per group (the valuation reads it and keeps nothing). */
    values: ReturnType<typeof emptyLineValues>;
  }
  const scopes = new Map<string, Scope>();
  let lines = 0;
  let retail = 0;
  // Groups arrive in index order (analysis, pallet, ...): look maps up only when the key changes.
  let scopeId: string | null = null;
  let scope: Scope | undefined;
  let palletKey: string | null = null;
  let pallet = { lines: 0 };

  for (const [aid, palletId, status, category, condition, n, units, groupRetail, groupCost] of groups) {
    if (aid !== scopeId) {
      scopeId = aid;
      palletKey = null;
      scope = scopes.get(aid);
      const analysis = live.get(aid);
      if (!scope && analysis) {
        scope = { valuation: createValuation({ ...analysis.options, analysisPrice: analysis.palletPrice }), palletLines: new Map(), values: emptyLineValues() };
        scopes.set(aid, scope);
      }
    }
    if (!scope || !isLineStatus(status)) continue;
    lines += n;
    retail += groupRetail;
    const s = statusMix.get(status) as { lines: number; units: number };
    s.lines += n;
    s.units += units;
    const categoryKey = category ?? NONE;
    let c = categoryMix.get(categoryKey);
    if (!c) categoryMix.set(categoryKey, (c = { lines: 0, retail: 0 }));
    c.lines += n;
    c.retail += groupRetail;
    const key = palletId ?? NONE;
    if (key !== palletKey) {
      palletKey = key;
      let p = scope.palletLines.get(key);
      if (!p) scope.palletLines.set(key, (p = { lines: 0 }));
      pallet = p;
    }
    pallet.lines += n;
    // The valuation is linear in retail and cost: one synthetic line per group values the group exactly,
    // with the analysis's own options (recovery rates, waste, pallet price) and the engine's rules.
    const values = scope.values;
    values.pallet_id = palletId;
    values.category = category;
    values.condition = (condition ?? 'unknown') as ConditionGrade;
    values.quantity = 1;
    values.retail_price = groupRetail;
    values.price_net = groupCost;
    scope.valuation.add({ values, status });
  }

  const pallets: PalletDashboard['pallets'] = [];
  let cost = 0;
  for (const { valuation, palletLines } of scopes.values()) {
    const result = valuation.result();
    cost += result.cost ?? 0;
    for (const pv of result.pallets) {
      const counted = palletLines.get(pv.palletId ?? NONE);
      const palletCost = pv.cost ?? 0;
      pallets.push({
        palletId: pv.palletId ?? NONE,
        lines: counted?.lines ?? 0,
        retail: pv.totalRetail,
        cost: round(palletCost),
        resaleLow: pv.resale.low,
        resaleHigh: pv.resale.high,
        marginLow: round(pv.resale.low - palletCost),
        marginHigh: round(pv.resale.high - palletCost),
      });
    }
  }
  pallets.sort((a, b) => b.retail - a.retail || PALLET_ORDER.compare(a.palletId, b.palletId));

  const blockedBy = new Map<string, number>();
  for (const [aid, key, n] of blocking) {
    if (!live.has(aid)) continue;
    for (const ruleId of firedIds(key)) blockedBy.set(`${aid}\u0000${ruleId}`, (blockedBy.get(`${aid}\u0000${ruleId}`) ?? 0) + n);
  }
  // One entry per rule across analyses; the name comes from the dictionary the lines were scored with.
  const rules = new Map<string, { ruleId: string; name: string; lines: number }>();
  for (const [key, n] of blockedBy) {
    const [aid, ruleId] = key.split('\u0000') as [string, string];
    const dictionary = live.get(aid)?.rules;
    const name = dictionary && Object.hasOwn(dictionary, ruleId) ? (dictionary[ruleId]?.name ?? ruleId) : ruleId;
    const r = rules.get(ruleId) ?? { ruleId, name, lines: 0 };
    r.lines += n;
    rules.set(ruleId, r);
  }

  return {
    analysisId: analysisId ?? null,
    statusMix: [...statusMix].map(([status, s]) => ({ status, lines: s.lines, units: s.units })),
    categoryMix: [...categoryMix].map(([category, c]) => ({ category, lines: c.lines, retail: round(c.retail) })).sort((a, b) => b.lines - a.lines || a.category.localeCompare(b.category)),
    pallets: pallets.slice(0, MAX_DASHBOARD_PALLETS),
    palletsOmitted: Math.max(0, pallets.length - MAX_DASHBOARD_PALLETS),
    topBlockingRules: [...rules.values()].sort((a, b) => b.lines - a.lines || a.name.localeCompare(b.name)).slice(0, 10),
    totals: { analyses: live.size, lines, retail: round(retail), cost: round(cost) },
    elapsedMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
