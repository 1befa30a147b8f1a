import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestOutput } from '@shared/contract';
import type { LineStatus } from '@shared/pallets/fields';
import { DEFAULT_RECOVERY_RATES, valueLines, type ValuationOptions } from '@shared/pallets/valuation';
import { createTempCore, tempDir } from '../../../test/helpers/temp-core';
import { allLines, call, importFile } from '../../../test/helpers/pallets-channels';
import type { Rule } from '@shared/pallets/rules';
import { aggregateStaleDashboards, dashboardSql } from './dashboard';
import { rescoreAnalysis } from '../rescore/rescoring';
import { listRules } from '../rules/rules-repo';
import { writeFixtures, type FixtureName } from '../../../test/helpers/pallet-fixtures';

const core = createTempCore();
let fx: Record<FixtureName, string>;
const analysisIds: string[] = [];
type Detail = RequestOutput<'pallets:line'>;
const details = new Map<string, Detail[]>();
const palletPrices = new Map<string, number | null>();
/** Valuation options an analysis was imported with (none: the defaults). */
const valuationOptions = new Map<string, Partial<ValuationOptions>>();

beforeAll(async () => {
  fx = writeFixtures(tempDir('fm-pallet-dash-'));
  for (const [name, price] of [['bstock.xlsx', 700], ['german.ods', null], ['polish.xlsx', 1500]] as const) {
    const { imported } = await importFile(core, fx[name], { palletPrice: price });
    analysisIds.push(imported.analysisId);
    palletPrices.set(imported.analysisId, price);
    const lines = await allLines(core, imported.analysisId);
    details.set(imported.analysisId, await Promise.all(lines.map((l) => call(core, 'pallets:line', { lineId: l.id }))));
  }
  // A deleted analysis must not count anywhere.
  const { imported } = await importFile(core, fx['amazon.xlsx']);
  await call(core, 'pallets:delete', { analysisId: imported.analysisId });
}, 60_000);
afterAll(() => core.close());

const round = (n: number) => Math.round(n * 100) / 100;

/** The dashboard computed by hand from every line's detail, independently of the SQL. */
function expected(ids: string[]) {
  const statusMix: Record<LineStatus, { lines: number; units: number }> = { ok: { lines: 0, units: 0 }, warning: { lines: 0, units: 0 }, blocked: { lines: 0, units: 0 } };
  const categories = new Map<string, { lines: number; retail: number }>();
  const blockedBy = new Map<string, number>();
  const pallets = new Map<string, { lines: number; retail: number; cost: number | null; resaleLow: number; resaleHigh: number; roi: { low: number; high: number } | null; margin: { low: number; high: number } | null }>();
  let lines = 0;
  let retail = 0;
  let cost = 0;
  for (const id of ids) {
    const all = details.get(id) ?? [];
    for (const d of all) {
      const units = d.values.quantity ?? 1;
      const lineRetail = d.values.retail_price === null ? 0 : units * d.values.retail_price;
      lines++;
      retail += lineRetail;
      statusMix[d.status].lines++;
      statusMix[d.status].units += units;
      const c = categories.get(d.values.category ?? '') ?? { lines: 0, retail: 0 };
      c.lines++;
      c.retail += lineRetail;
      categories.set(d.values.category ?? '', c);
      if (d.status === 'blocked') for (const f of d.fired) if (f.action === 'block') blockedBy.set(f.name, (blockedBy.get(f.name) ?? 0) + 1);
    }
    // Valued line by line with the engine (the dashboard values groups of lines in SQL).
    const v = valueLines(all.map((d) => ({ values: d.values, status: d.status })), { ...valuationOptions.get(id), analysisPrice: palletPrices.get(id) ?? null });
    cost += v.cost ?? 0;
    for (const p of v.pallets) {
      pallets.set(p.palletId ?? '', { lines: all.filter((d) => d.values.pallet_id === p.palletId).length, retail: p.totalRetail, cost: p.cost === null ? null : round(p.cost), resaleLow: p.resale.low, resaleHigh: p.resale.high, roi: p.roi, margin: p.margin });
    }
  }
  return { statusMix, categories, blockedBy, pallets, totals: { analyses: ids.length, lines, retail: round(retail), cost: round(cost) } };
}

function check(dash: RequestOutput<'pallets:dashboard'>, ids: string[]) {
  const want = expected(ids);
  expect(dash.totals).toEqual(want.totals);
  for (const s of dash.statusMix) expect({ lines: s.lines, units: s.units }).toEqual(want.statusMix[s.status]);
  expect(new Map(dash.categoryMix.map((c) => [c.category, { lines: c.lines, retail: c.retail }]))).toEqual(new Map([...want.categories].map(([k, c]) => [k, { lines: c.lines, retail: round(c.retail) }])));
  expect(dash.pallets).toHaveLength(want.pallets.size);
  for (const p of dash.pallets) {
    const w = want.pallets.get(p.palletId);
    expect(w, p.palletId).toBeDefined();
    expect(p.lines).toBe(w?.lines);
    expect(p.retail).toBeCloseTo(w?.retail ?? NaN, 2);
    expect(p.resaleLow).toBeCloseTo(w?.resaleLow ?? NaN, 2);
    expect(p.resaleHigh).toBeCloseTo(w?.resaleHigh ?? NaN, 2);
    // A pallet whose cost the valuation does not know has no cost or margin here either (not zero).
    if (w?.cost === null) {
      expect({ cost: p.cost, marginLow: p.marginLow, marginHigh: p.marginHigh, roiLow: p.roiLow, roiHigh: p.roiHigh }).toEqual({ cost: null, marginLow: null, marginHigh: null, roiLow: null, roiHigh: null });
      continue;
    }
    expect(p.cost).toBeCloseTo(w?.cost ?? NaN, 2);
    // Too few units valued: margin and ROI unknown, as the valuation states (MIN_VALUED_SHARE).
    if (w?.margin === null) {
      expect({ marginLow: p.marginLow, roiLow: p.roiLow }).toEqual({ marginLow: null, roiLow: null });
      continue;
    }
    expect(p.marginLow).toBeCloseTo((w?.resaleLow ?? NaN) - (w?.cost ?? NaN), 2);
    // ROI as the valuation gives it (none without a positive cost).
    expect(p.roiLow === null ? null : [p.roiLow, p.roiHigh ?? NaN].map((r) => Math.round(r * 1000))).toEqual(w?.roi ? [Math.round(w.roi.low * 1000), Math.round(w.roi.high * 1000)] : null);
  }
  expect(new Map(dash.topBlockingRules.map((r) => [r.name, r.lines]))).toEqual(want.blockedBy);
}

describe('pallets:dashboard', () => {
  it('finds every imported analysis aggregated already, its cached groups equal to the lines aggregated now', () => {
    const client = core.db.$client;
    expect(client.prepare('SELECT analysis_id FROM pallet_dashboard_fresh ORDER BY analysis_id').pluck().all()).toEqual([...analysisIds].sort());
    const sql = dashboardSql();
    // The deleted analysis's groups wait, forgotten, until the next aggregation drops them.
    const cached = client.prepare('SELECT * FROM pallet_dashboard_groups WHERE analysis_id IN (SELECT analysis_id FROM pallet_dashboard_fresh)').raw(true).all() as unknown[][];
    const now = client.prepare(sql.aggregate).raw(true).all() as unknown[][];
    expect(cached.length).toBeGreaterThan(analysisIds.length);
    expect(new Set(cached.map((r) => JSON.stringify(r)))).toEqual(new Set(now.map((r) => JSON.stringify(r))));
  });

  it('equals the numbers computed by hand from every line, for all analyses', async () => {
    const dash = await call(core, 'pallets:dashboard', {});
    expect(dash.analysisId).toBeNull();
    check(dash, analysisIds);
    // Spot checks that do not depend on the reference computation.
    expect(dash.totals).toMatchObject({ analyses: 3, lines: 10 + 6 + 7 });
    expect(dash.topBlockingRules[0]).toMatchObject({ name: 'Blocked categories', lines: 1 });
    expect(dash.pallets.find((p) => p.palletId === 'PAL-001')).toMatchObject({ lines: 10, cost: 700 });
  });

  it('equals the hand-computed numbers for each analysis alone', async () => {
    for (const id of analysisIds) {
      const dash = await call(core, 'pallets:dashboard', { analysisId: id });
      expect(dash.analysisId).toBe(id);
      check(dash, [id]);
    }
  });

  it('aggregates lines from the covering index alone; the series read only the cached rows, never pallet_items', () => {
    for (const scope of [undefined, analysisIds[0]]) {
      const sql = dashboardSql(scope);
      const plan = (q: string, ...params: unknown[]) => (core.db.$client.prepare(`EXPLAIN QUERY PLAN ${q}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      // In GROUP BY order: SQLite aggregates while it scans, no sort, no table rows.
      expect(plan(sql.aggregate, ...sql.params)).toMatch(/^(SCAN|SEARCH) pallet_items USING COVERING INDEX pallet_items_dash_idx( \(analysis_id=\?\))?$/);
      expect(plan(sql.refresh.blocking, 'x')).toMatch(/^SEARCH pallet_items USING COVERING INDEX pallet_items_blocking_idx \(analysis_id=\?\)$/);
      const settings = '[]';
      for (const series of [plan(sql.status, { settings }), plan(sql.category, { settings }), plan(sql.pallets, { settings, top: 200 }), plan(sql.blocking, { settings })]) {
        expect(series).not.toMatch(/pallet_items\b(?!_)/);
        expect(series).toMatch(/pallet_dashboard_(groups|mix|blocking)/);
      }
      // The pallet series reads the groups from their covering index.
      expect(plan(sql.pallets, { settings, top: 200 })).toMatch(/USING COVERING INDEX pallet_dashboard_groups_pallet_idx/);
    }
  });

  it('caches the groups per analysis and aggregates again after any write to its lines (here a raw UPDATE, as sync pull does)', async () => {
    const fresh = () => core.db.$client.prepare('SELECT analysis_id FROM pallet_dashboard_fresh ORDER BY analysis_id').pluck().all() as string[];
    const before = await call(core, 'pallets:dashboard', {});
    expect(fresh()).toEqual([...analysisIds].sort());
    const id = analysisIds[0] as string;
    const line = core.db.$client
      .prepare('SELECT rowid AS rid, retail_price AS retail, quantity FROM pallet_items WHERE analysis_id = ? AND deleted_at IS NULL AND retail_price IS NOT NULL LIMIT 1')
      .get(id) as { rid: number; retail: number; quantity: number | null };
    // A write that changes nothing the dashboard groups or sums keeps the cache.
    core.db.$client.prepare('UPDATE pallet_items SET score = score + 1, status = status WHERE rowid = ?').run(line.rid);
    expect(fresh()).toContain(id);
    core.db.$client.prepare('UPDATE pallet_items SET retail_price = retail_price + 1000 WHERE rowid = ?').run(line.rid);
    expect(fresh()).not.toContain(id);
    const after = await call(core, 'pallets:dashboard', {});
    expect(after.totals.retail).toBeCloseTo(before.totals.retail + 1000 * (line.quantity ?? 1), 2);
    expect(fresh()).toContain(id);
    core.db.$client.prepare('UPDATE pallet_items SET retail_price = ?, score = score - 1 WHERE rowid = ?').run(line.retail, line.rid);
    check(await call(core, 'pallets:dashboard', {}), analysisIds);
    check(await call(core, 'pallets:dashboard', { analysisId: id }), [id]);
  });

  it('an import leaves its analysis aggregated already; a re-score that changes statuses (no trigger watches status) aggregates it again at once', async () => {
    const fresh = () => core.db.$client.prepare('SELECT analysis_id FROM pallet_dashboard_fresh ORDER BY analysis_id').pluck().all() as string[];
    const id = analysisIds[1] as string;
    const statuses = () => Object.fromEntries(core.db.$client.prepare('SELECT status, count(*) FROM pallet_items WHERE analysis_id = ? AND deleted_at IS NULL GROUP BY status').raw(true).all(id) as [string, number][]);
    await call(core, 'pallets:dashboard', {});
    const rules = listRules(core.db);
    const blockAll: Rule = { id: 'block-all', name: 'Block all', type: 'quality', action: 'block', weight: 10, enabled: true, scope: 'user', when: { not: { field: 'name', op: 'equals', value: '\u0000' } } };
    const markedAt = () => core.db.$client.prepare('SELECT * FROM pallet_dashboard_fresh WHERE analysis_id = ?').get(id);
    const before = markedAt();
    expect(fresh()).toEqual([...analysisIds].sort());
    expect((await rescoreAnalysis(core.db, id, [...rules, blockAll], { now: () => 4_000_000_000_000 })).changed).toBeGreaterThan(0);
    // Aggregated again in the re-score's transaction, not left for the dashboard to do.
    expect(fresh()).toContain(id);
    expect(markedAt()).not.toEqual(before);
    expect(JSON.stringify(markedAt())).toContain('4000000000000');
    const blocked = await call(core, 'pallets:dashboard', { analysisId: id });
    expect(Object.fromEntries(blocked.statusMix.filter((s) => s.lines > 0).map((s) => [s.status, s.lines]))).toEqual(statuses());
    expect(statuses()).toEqual({ blocked: details.get(id)?.length });
    await rescoreAnalysis(core.db, id, rules);
    check(await call(core, 'pallets:dashboard', {}), analysisIds);
  });

  it('aggregates the analyses left stale (as after a migration) ahead of the dashboard, and only those', async () => {
    const client = core.db.$client;
    const fresh = () => client.prepare('SELECT analysis_id, computed_at FROM pallet_dashboard_fresh ORDER BY analysis_id').all() as { analysis_id: string; computed_at: number }[];
    await call(core, 'pallets:dashboard', {});
    const kept = fresh().find((f) => f.analysis_id === analysisIds[2]);
    client.prepare('DELETE FROM pallet_dashboard_fresh WHERE analysis_id IN (?, ?)').run(analysisIds[0], analysisIds[1]);
    expect(aggregateStaleDashboards(core.db, 5_000_000_000_000)).toBe(2);
    expect(fresh().map((f) => f.analysis_id)).toEqual([...analysisIds].sort());
    expect(fresh().find((f) => f.analysis_id === analysisIds[2])).toEqual(kept);
    expect(fresh().filter((f) => f.computed_at === 5_000_000_000_000).map((f) => f.analysis_id).sort()).toEqual([analysisIds[0], analysisIds[1]].sort());
    expect(aggregateStaleDashboards(core.db)).toBe(0);
    check(await call(core, 'pallets:dashboard', {}), analysisIds);
  });
});

describe('pallets:dashboard with analyses valued by their own settings', () => {
  const other = createTempCore();
  const ids: string[] = [];
  beforeAll(async () => {
    // Factors on two categories and an own price for one pallet, from the lines of the first core.
    const seen = (details.get(analysisIds[0] as string) ?? []).map((d) => d.values.category).filter((c): c is string => c !== null);
    const [first, second] = [...new Set(seen)];
    const pallet = (details.get(analysisIds[2] as string) ?? []).map((d) => d.values.pallet_id).find((p): p is string => p !== null);
    const settings: [FixtureName, number | null, Partial<ValuationOptions>][] = [
      ['bstock.xlsx', 400, { categoryFactors: [{ category: first ?? 'x', factor: 1.4 }, { category: second ?? 'y', factor: 0.5 }], wasteFactor: 0.2, quantityVariance: 0.1, excludeBlocked: false, recoveryRates: { ...DEFAULT_RECOVERY_RATES, new: { low: 0.6, high: 0.9 }, damaged: { low: 0.01, high: 0.02 } } }],
      ['polish.xlsx', 2000, { palletPrices: [{ palletId: pallet ?? 'x', price: 250 }] }],
      ['german.ods', 900, { costBasis: 'line_prices' }],
      ['polish.xlsx', 800, { costBasis: 'pallet_price', palletPrices: [{ palletId: pallet ?? 'x', price: 1000 }] }],
      // No cost anywhere: the Amazon manifest has retail prices only, the B-Stock one is valued by pallet price without one.
      ['amazon.xlsx', null, { costBasis: 'line_prices' }],
      ['bstock.xlsx', null, { costBasis: 'pallet_price' }],
    ];
    for (const [name, price, valuation] of settings) {
      const { imported } = await importFile(other, fx[name], { palletPrice: price, valuation });
      ids.push(imported.analysisId);
      palletPrices.set(imported.analysisId, price);
      valuationOptions.set(imported.analysisId, valuation);
      const lines = await allLines(other, imported.analysisId);
      details.set(imported.analysisId, await Promise.all(lines.map((l) => call(other, 'pallets:line', { lineId: l.id }))));
    }
    expect(first).toBeDefined();
    expect(pallet).toBeDefined();
  }, 60_000);
  afterAll(() => other.close());

  it('values every pallet with the rates, factors, waste, variance, pallet prices and cost basis of its analysis', async () => {
    const each: RequestOutput<'pallets:dashboard'>['pallets'] = [];
    for (const id of ids) {
      const dash = await call(other, 'pallets:dashboard', { analysisId: id });
      check(dash, [id]);
      each.push(...dash.pallets);
    }
    // Together: the same totals and mixes, and every analysis's pallets (two share pallet ids, so they are
    // compared as a whole rather than by id).
    const all = await call(other, 'pallets:dashboard', {});
    const want = expected(ids);
    expect(all.totals).toEqual(want.totals);
    for (const s of all.statusMix) expect({ lines: s.lines, units: s.units }).toEqual(want.statusMix[s.status]);
    expect(new Map(all.topBlockingRules.map((r) => [r.name, r.lines]))).toEqual(want.blockedBy);
    const order = (a: (typeof each)[number], b: (typeof each)[number]) => b.retail - a.retail || a.palletId.localeCompare(b.palletId) || (a.cost ?? -1) - (b.cost ?? -1);
    expect([...all.pallets].sort(order)).toEqual([...each].sort(order));
  });
});
