import { CONDITION_GRADES } from '@shared/pallets/fields';
import { MIN_VALUED_SHARE, resolveValuationOptions, type ValuationOptions } from '@shared/pallets/valuation';
import type { RuleDictionary } from '../store/line-codec';

/*
 * The pallet dashboard's SQL. Lines are grouped once per analysis into pallet_dashboard_groups (one row
 * per analysis, pallet, status, category and condition: the cache of migration 0004, aggregated from the
 * covering pallet_items_dash_idx) and rolled up into a status / category mix and blocked lines per
 * blocking key (drizzle/0007); every chart series is then one GROUP BY over those rows, so the rows SQLite
 * returns are the series themselves (3 statuses, the categories, the top pallets, the blocking rules) and
 * JavaScript only rounds, breaks ties by locale and names the fields. What depends on an analysis's
 * settings (recovery rates, category factors, waste, pallet prices) comes in as one JSON parameter,
 * `dashboardSettings`, read by small CTEs.
 */

/** Groups of lines of the analyses in scope (the cache is filled with it; see refreshDashboardGroups). */
export const DASHBOARD_GROUPS_SQL = `SELECT analysis_id, pallet_id, status, category, condition, count(*) AS lines, total(coalesce(quantity, 1)) AS units,
  total(coalesce(quantity, 1) * retail_price) AS retail, sum(coalesce(quantity, 1) * price_net) AS cost
FROM pallet_items INDEXED BY pallet_items_dash_idx WHERE deleted_at IS NULL`;
export const DASHBOARD_GROUP_BY = 'GROUP BY analysis_id, pallet_id, status, category, condition';

/** Pallets shown at most (largest retail first); a manifest with a pallet per line has thousands. */
export const MAX_DASHBOARD_PALLETS = 200;

/** Analyses in scope: live and finished (lines of a deleted analysis are tombstoned with it). */
const ANALYSES_SQL = `SELECT id, pallet_price, json_extract(mapping_json, '$.valuationOptions') AS options, json_extract(mapping_json, '$.rules') AS rules,
  (SELECT json_group_array(p.value ->> 'palletId') FROM json_each(mapping_json, '$.valuation.pallets') AS p WHERE p.value ->> 'unitsValued' < ${MIN_VALUED_SHARE} * (p.value ->> 'units')) AS unknown_pallets
FROM analyses WHERE deleted_at IS NULL AND status = 'ready'`;

/** Settings of every analysis in scope, from the JSON parameter @settings: the scope is this CTE's ids. */
const SETTINGS_CTE = `s AS MATERIALIZED (
  SELECT value ->> 'id' AS aid, value ->> 'price' AS price, value ->> 'usePallet' AS use_pallet, value ->> 'useLine' AS use_line,
    value ->> 'exclude' AS exclude_blocked, value ->> 'lowMul' AS low_mul, value ->> 'highMul' AS high_mul,
    ${CONDITION_GRADES.map((grade, i) => `value ->> '$.rates[${i}][0]' AS low_${grade}, value ->> '$.rates[${i}][1]' AS high_${grade}`).join(',\n    ')},
    value AS v
  FROM json_each(@settings))`;

/** Groups of the analyses in scope with a known status (others are skipped, as the line table does). */
const GROUPS_FROM = 'pallet_dashboard_groups g JOIN s ON s.aid = g.analysis_id';
const GROUPS_WHERE = "g.status IN ('ok', 'warning', 'blocked')";

/** Status and category mix from the per-analysis rollups (a few rows per analysis). */
const MIX_FROM = "pallet_dashboard_mix m JOIN s ON s.aid = m.analysis_id WHERE m.status IN ('ok', 'warning', 'blocked')";

const STATUS_SQL = `WITH ${SETTINGS_CTE}
SELECT m.status, sum(m.lines) AS lines, total(m.units) AS units FROM ${MIX_FROM} GROUP BY m.status`;

const CATEGORY_SQL = `WITH ${SETTINGS_CTE}
SELECT coalesce(m.category, '') AS category, sum(m.lines) AS lines, total(m.retail) AS retail FROM ${MIX_FROM} GROUP BY 1 ORDER BY lines DESC`;

/** JavaScript's money(): Math.round(x * 100) / 100. */
const money = (x: string) => `(floor((${x}) * 100 + 0.5) / 100)`;

/**
 * Pallets of every analysis valued as createValuation values them (one synthetic line per group is exact:
 * the valuation is linear in retail and cost), then their cost (own price, else a share of the analysis
 * price by retail, else the line prices). Returns kind 'p' rows for the pallets that can be in the top
 * @top (by retail, rounded to cents: JavaScript breaks the ties by natural pallet order) and one kind 'a'
 * row per analysis: its pallet count and its cost as the valuation states it (the analysis price, else
 * the sum of its pallets' costs in cents).
 */
/** A group's recovery rate (low or high) from its analysis's settings columns (one per condition grade). */
const groupRate = (bound: 'low' | 'high') => `CASE coalesce(g.condition, 'unknown') ${CONDITION_GRADES.map((grade) => `WHEN '${grade}' THEN s.${bound}_${grade}`).join(' ')} END`;
/** A group's resale before waste and quantity variance: nothing for blocked lines when they are excluded. */
const groupResale = (bound: 'low' | 'high') => `CASE WHEN s.exclude_blocked AND g.status = 'blocked' THEN 0 ELSE g.retail * coalesce(factor.factor, 1) * ${groupRate(bound)} END`;

const PALLETS_SQL = `WITH ${SETTINGS_CTE},
factor AS MATERIALIZED (SELECT s.aid, f.key AS category, f.value AS factor FROM s, json_each(s.v, '$.factors') AS f),
own AS MATERIALIZED (SELECT s.aid, p.key AS pallet_id, p.value AS price FROM s, json_each(s.v, '$.prices') AS p),
pallet AS MATERIALIZED (
  SELECT g.analysis_id AS aid, g.pallet_id, sum(g.lines) AS lines, total(g.retail) AS retail, sum(g.cost) AS line_cost,
    total(${groupResale('low')}) * s.low_mul AS resale_low, total(${groupResale('high')}) * s.high_mul AS resale_high
  FROM ${GROUPS_FROM} LEFT JOIN factor ON factor.aid = s.aid AND factor.category = g.category
  WHERE ${GROUPS_WHERE}
  GROUP BY g.analysis_id, g.pallet_id),
shared AS MATERIALIZED (
  SELECT p.*, own.price AS own,
    total(CASE WHEN own.price IS NULL THEN p.retail END) OVER a AS unpriced, total(own.price) OVER a AS priced, count(*) OVER a AS pallets,
    count(*) FILTER (WHERE own.price IS NULL) OVER a AS unpriced_pallets
  FROM pallet p LEFT JOIN own ON own.aid = p.aid AND own.pallet_id = p.pallet_id
  WINDOW a AS (PARTITION BY p.aid)),
costed AS MATERIALIZED (
  SELECT c.aid, c.pallet_id, c.lines, c.retail, c.resale_low, c.resale_high, c.pallets,
    CASE
      WHEN s.use_pallet AND c.own IS NOT NULL THEN c.own
      WHEN s.use_pallet AND s.price IS NOT NULL THEN
        CASE WHEN c.unpriced > 0 THEN max(0, s.price - c.priced) * c.retail / c.unpriced ELSE max(0, s.price - c.priced) / max(1, c.unpriced_pallets) END
      WHEN s.use_line THEN c.line_cost
    END AS cost
  FROM shared c JOIN s ON s.aid = c.aid)
SELECT 'p' AS kind, aid, pallet_id, lines, retail, cost, resale_low, resale_high FROM costed
WHERE retail >= coalesce((SELECT retail FROM costed ORDER BY retail DESC LIMIT 1 OFFSET @top - 1), -1e308) - 0.02
UNION ALL
SELECT 'a', c.aid, NULL, max(c.pallets), NULL,
  CASE WHEN s.use_pallet AND s.price IS NOT NULL THEN s.price WHEN count(c.cost) = count(*) THEN total(${money('c.cost')}) END, NULL, NULL
FROM costed c JOIN s ON s.aid = c.aid GROUP BY c.aid`;

/**
 * Lines blocked per blocking rule across the analyses in scope (a line blocked by two rules counts for
 * both): the cached counts per blocking key are split into rule ids, and each rule is named from the
 * dictionary of the first analysis (by id) whose lines it blocked, or keeps its id when that dictionary
 * does not know it.
 */
const BLOCKING_SQL = `WITH RECURSIVE ${SETTINGS_CTE},
split(aid, lines, rest, rule_id) AS (
  SELECT b.analysis_id, b.lines, substr(b.blocking_rules, 2), NULL FROM pallet_dashboard_blocking b JOIN s ON s.aid = b.analysis_id WHERE b.blocking_rules IS NOT NULL
  UNION ALL
  SELECT aid, lines, substr(rest, instr(rest, '|') + 1), substr(rest, 1, instr(rest, '|') - 1) FROM split WHERE instr(rest, '|') > 0),
rule AS (SELECT rule_id, sum(lines) AS lines, min(aid) AS first FROM split WHERE rule_id IS NOT NULL GROUP BY rule_id)
SELECT r.rule_id, r.lines, coalesce((SELECT n.value FROM s, json_each(s.v, '$.names') AS n WHERE s.aid = r.first AND n.key = r.rule_id), r.rule_id) AS name
FROM rule r ORDER BY r.lines DESC`;

/**
 * What a cache miss runs, in one transaction: drop every stale row, then per missing analysis aggregate
 * its lines into groups, roll those up into its mix, count its blocked lines per key, and mark it fresh.
 */
export const DASHBOARD_REFRESH_SQL = {
  fresh: 'SELECT analysis_id FROM pallet_dashboard_fresh',
  dropStale: ['pallet_dashboard_groups', 'pallet_dashboard_mix', 'pallet_dashboard_blocking'].map((t) => `DELETE FROM ${t} WHERE analysis_id NOT IN (SELECT analysis_id FROM pallet_dashboard_fresh)`),
  groups: `INSERT INTO pallet_dashboard_groups (analysis_id, pallet_id, status, category, condition, lines, units, retail, cost) ${DASHBOARD_GROUPS_SQL} AND analysis_id = ? ${DASHBOARD_GROUP_BY}`,
  mix: `INSERT INTO pallet_dashboard_mix (analysis_id, status, category, lines, units, retail)
    SELECT analysis_id, status, category, sum(lines), total(units), total(retail) FROM pallet_dashboard_groups WHERE analysis_id = ? GROUP BY analysis_id, status, category`,
  blocking: `INSERT INTO pallet_dashboard_blocking (analysis_id, blocking_rules, lines)
    SELECT analysis_id, blocking_rules, count(*) FROM pallet_items INDEXED BY pallet_items_blocking_idx
    WHERE deleted_at IS NULL AND status = 'blocked' AND analysis_id = ? GROUP BY analysis_id, blocking_rules`,
  mark: 'INSERT OR REPLACE INTO pallet_dashboard_fresh (analysis_id, computed_at) VALUES (?, ?)',
};

/** The statements of one dashboard (scope: one analysis or all), shared by the service and the benchmark's raw baseline. */
export function dashboardStatements(analysisId?: string): { analyses: string; status: string; category: string; pallets: string; blocking: string } {
  return {
    analyses: analysisId === undefined ? ANALYSES_SQL : `${ANALYSES_SQL} AND id = ?`,
    status: STATUS_SQL,
    category: CATEGORY_SQL,
    pallets: PALLETS_SQL,
    blocking: BLOCKING_SQL,
  };
}

/** A row of the `analyses` statement. */
export interface DashboardAnalysisRow {
  id: string;
  pallet_price: number | null;
  options: string | null;
  rules: string | null;
  /**
   * Pallets whose known part is too small for a margin (MIN_VALUED_SHARE), as the stored valuation found:
   * the unknown-is-not-zero rule comes from the one valuation, not from a second formula here. JSON array.
   */
  unknown_pallets: string | null;
}

function parseObject<T extends object>(json: string | null): T {
  if (!json) return {} as T;
  try {
    const value = JSON.parse(json) as unknown;
    return (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as T;
  } catch {
    return {} as T;
  }
}

/**
 * The JSON parameter of the series statements: per analysis in scope, its valuation options as
 * createValuation applies them (resolveValuationOptions) and the names of the rules it was scored with.
 */
export function dashboardSettings(rows: readonly DashboardAnalysisRow[]): string {
  return JSON.stringify(
    rows.map((a) => {
      const { o, factors, palletPrices, waste, variance } = resolveValuationOptions({ ...parseObject<Partial<ValuationOptions>>(a.options), analysisPrice: a.pallet_price });
      // In CONDITION_GRADES order (the statements read rates[i]); a grade without a rate values nothing.
      const rates = CONDITION_GRADES.map((grade) => {
        const r = o.recoveryRates[grade] as { low?: unknown; high?: unknown } | undefined;
        return [typeof r?.low === 'number' ? r.low : null, typeof r?.high === 'number' ? r.high : null];
      });
      const names: Record<string, string> = {};
      for (const [id, rule] of Object.entries(parseObject<RuleDictionary>(a.rules))) if (typeof rule?.name === 'string') names[id] = rule.name;
      return {
        id: a.id,
        price: o.analysisPrice,
        usePallet: o.costBasis !== 'line_prices' ? 1 : 0,
        useLine: o.costBasis !== 'pallet_price' ? 1 : 0,
        exclude: o.excludeBlocked ? 1 : 0,
        lowMul: (1 - waste) * (1 - variance),
        highMul: (1 - waste) * (1 + variance),
        rates,
        factors: Object.fromEntries(factors),
        prices: Object.fromEntries(palletPrices),
        names,
      };
    }),
  );
}
