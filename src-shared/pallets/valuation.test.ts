import { describe, expect, it } from 'vitest';
import { emptyLineValues, type LineStatus, type LineValues } from './fields';
import { DEFAULT_RECOVERY_RATES, MIN_VALUED_SHARE, valueLines, type ValuedLine } from './valuation';

const line = (v: Partial<LineValues>, status: LineStatus = 'ok'): ValuedLine => ({ values: { ...emptyLineValues(), currency: 'PLN', ...v }, status });

describe('valuation', () => {
  const lines = [
    line({ pallet_id: 'P1', quantity: 2, retail_price: 100, price_net: 20, condition: 'new' }),
    line({ pallet_id: 'P1', quantity: 1, retail_price: 200, price_net: 50, condition: 'damaged' }),
    line({ pallet_id: 'P2', quantity: 4, retail_price: 50, price_net: null, condition: 'used_good', category: 'toys' }),
    line({ pallet_id: 'P2', quantity: 1, retail_price: null, price_net: 5, condition: 'new' }),
    line({ pallet_id: 'P2', quantity: 1, retail_price: 1000, price_net: 100, condition: 'new', category: 'weapons' }, 'blocked'),
  ];

  it('computes retail, cost from line prices, a resale range, margin and ROI', () => {
    const v = valueLines(lines, { wasteFactor: 0, quantityVariance: 0 });
    expect(v.lines).toBe(5);
    expect(v.units).toBe(9);
    expect(v.totalRetail).toBe(200 + 200 + 200 + 1000);
    expect(v.lineCost).toBe(40 + 50 + 5 + 100);
    expect(v.costSource).toBe('line_prices');
    expect(v.cost).toBe(195);
    // Blocked lines earn nothing; each other line earns retail × its condition's range.
    const low = 200 * DEFAULT_RECOVERY_RATES.new.low + 200 * DEFAULT_RECOVERY_RATES.damaged.low + 200 * DEFAULT_RECOVERY_RATES.used_good.low;
    const high = 200 * DEFAULT_RECOVERY_RATES.new.high + 200 * DEFAULT_RECOVERY_RATES.damaged.high + 200 * DEFAULT_RECOVERY_RATES.used_good.high;
    expect(v.resale.low).toBeCloseTo(low, 2);
    expect(v.resale.high).toBeCloseTo(high, 2);
    expect(v.margin?.low).toBeCloseTo(low - 195, 2);
    expect(v.roi?.high).toBeCloseTo((high - 195) / 195, 3);
    expect(v.blockedLines).toBe(1);
    expect(v.linesWithoutRetail).toBe(1);
    expect(v.linesWithoutCost).toBe(1);
    expect(v.pallets.map((p) => p.palletId)).toEqual(['P1', 'P2']);
    expect(v.pallets[0]?.cost).toBe(90);
  });

  it('applies waste, quantity variance and category factors to the range', () => {
    const one = [line({ quantity: 10, retail_price: 10, condition: 'new', category: 'toys' })];
    const base = valueLines(one, { wasteFactor: 0, quantityVariance: 0 });
    const wide = valueLines(one, { wasteFactor: 0.1, quantityVariance: 0.2, categoryFactors: [{ category: 'toys', factor: 0.5 }] });
    expect(wide.resale.low).toBeCloseTo(base.resale.low * 0.9 * 0.8 * 0.5, 2);
    expect(wide.resale.high).toBeCloseTo(base.resale.high * 0.9 * 1.2 * 0.5, 2);
    expect(wide.resale.low).toBeLessThan(wide.resale.high);
  });

  it('uses pallet prices, and shares an analysis price by retail value', () => {
    const byPallet = valueLines(lines, { palletPrices: [{ palletId: 'P1', price: 60 }, { palletId: 'P2', price: 40 }] });
    expect(byPallet.cost).toBe(100);
    expect(byPallet.costSource).toBe('pallet_price');
    expect(byPallet.pallets.map((p) => [p.palletId, p.cost, p.costSource])).toEqual([
      ['P1', 60, 'pallet_price'],
      ['P2', 40, 'pallet_price'],
    ]);
    const shared = valueLines(lines, { analysisPrice: 160 });
    expect(shared.cost).toBe(160);
    // P1 holds 400 of 1600 retail, P2 1200.
    expect(shared.pallets.map((p) => p.cost)).toEqual([40, 120]);
    expect(shared.pallets[0]?.costSource).toBe('analysis_price');
  });

  it('shares what is left of an analysis price between the pallets without a price of their own only', () => {
    const noRetail = ['P1', 'P2', 'P3'].map((id) => line({ pallet_id: id, quantity: 1, retail_price: null }));
    const v = valueLines(noRetail, { analysisPrice: 300, palletPrices: [{ palletId: 'P1', price: 50 }, { palletId: 'P2', price: 100 }] });
    expect(v.pallets.map((p) => [p.palletId, p.cost, p.costSource])).toEqual([['P1', 50, 'pallet_price'], ['P2', 100, 'pallet_price'], ['P3', 150, 'analysis_price']]);
    expect(v.pallets.reduce((sum, p) => sum + (p.cost ?? 0), 0)).toBe(v.cost);
  });

  it('knows no analysis cost, margin or ROI while a pallet\'s cost is unknown, rather than setting all the resale against part of it', () => {
    const v = valueLines([line({ pallet_id: 'P1', quantity: 1, retail_price: 100, price_net: 40, condition: 'new' }), line({ pallet_id: 'P2', quantity: 1, retail_price: 500, price_net: null, condition: 'new' })]);
    expect(v.pallets.map((p) => p.cost)).toEqual([40, null]);
    expect(v.resale.low).toBeGreaterThan(0);
    expect({ cost: v.cost, margin: v.margin, roi: v.roi, costSource: v.costSource }).toEqual({ cost: null, margin: null, roi: null, costSource: 'none' });
  });

  it('reports mixed currencies and no cost when nothing is priced', () => {
    const v = valueLines([line({ retail_price: 10, currency: 'PLN' }), line({ retail_price: 10, currency: 'EUR' }), line({ retail_price: 10, currency: 'PLN' })]);
    expect(v.currency).toBe('PLN');
    expect(v.mixedCurrencies).toEqual(['PLN', 'EUR']);
    expect(v.cost).toBeNull();
    expect(v.margin).toBeNull();
    expect(v.roi).toBeNull();
  });

  it('treats a line without a retail price as unknown, not zero: figures of the known part, margin/ROI/max bid unknown below the threshold', () => {
    const known = line({ pallet_id: 'P1', quantity: 7, retail_price: 100, price_net: 10, condition: 'new' });
    const unknown = line({ pallet_id: 'P1', quantity: 3, retail_price: null, price_net: 10, condition: 'new' });
    const v = valueLines([known, unknown], { wasteFactor: 0, quantityVariance: 0 });
    // 7 of 10 units valued (< MIN_VALUED_SHARE): retail and resale of the known part, the verdict unknown.
    expect(MIN_VALUED_SHARE).toBe(0.8);
    expect([v.linesValued, v.unitsValued, v.units, v.totalRetail, v.cost]).toEqual([1, 7, 10, 700, 100]);
    expect(v.resale.low).toBeCloseTo(700 * DEFAULT_RECOVERY_RATES.new.low, 2);
    expect({ margin: v.margin, marginPct: v.marginPct, roi: v.roi, maxBid: v.maxBid }).toEqual({ margin: null, marginPct: null, roi: null, maxBid: null });
    expect(v.pallets[0]?.maxBid).toBeNull();
    // 8 of 10 units valued: enough.
    const enough = valueLines([line({ ...known.values, quantity: 8 }), line({ ...unknown.values, quantity: 2 })], { wasteFactor: 0, quantityVariance: 0 });
    expect(enough.margin).not.toBeNull();
    expect(enough.maxBid).not.toBeNull();
    const none = valueLines([unknown]);
    expect([none.linesValued, none.totalRetail, none.maxBid, none.margin]).toEqual([0, 0, null, null]);
  });

  it('states the max bid for a target ROI or margin as a range, for the lot and each pallet, net of extra costs', () => {
    const lot = [line({ pallet_id: 'P1', quantity: 1, retail_price: 1000, condition: 'new' }), line({ pallet_id: 'P2', quantity: 1, retail_price: 3000, condition: 'new' })];
    const base = { wasteFactor: 0, quantityVariance: 0, analysisPrice: 500 };
    const roi = valueLines(lot, { ...base, target: { kind: 'roi', value: 0.5 } });
    expect(roi.maxBid).toEqual({ target: { kind: 'roi', value: 0.5 }, low: Math.round((4000 * DEFAULT_RECOVERY_RATES.new.low) / 1.5 * 100) / 100, high: Math.round((4000 * DEFAULT_RECOVERY_RATES.new.high) / 1.5 * 100) / 100 });
    // Paying exactly the max bid earns the target.
    const atBid = valueLines(lot, { ...base, analysisPrice: roi.maxBid?.low ?? 0, target: { kind: 'roi', value: 0.5 } });
    expect(atBid.roi?.low).toBeCloseTo(0.5, 3);
    const margin = valueLines(lot, { ...base, extraCosts: 100, target: { kind: 'margin', value: 0.25 } });
    expect(margin.maxBid?.high).toBeCloseTo(4000 * DEFAULT_RECOVERY_RATES.new.high * 0.75 - 100, 2);
    expect(margin.margin?.low).toBeCloseTo(4000 * DEFAULT_RECOVERY_RATES.new.low - 600, 2);
    // Pallets: the extra costs shared by retail (P1 holds a quarter).
    expect(margin.pallets.map((p) => p.extraCosts)).toEqual([25, 75]);
    expect(margin.pallets[0]?.maxBid?.low).toBeCloseTo(1000 * DEFAULT_RECOVERY_RATES.new.low * 0.75 - 25, 2);
    // A lot that misses the target even for free is worth no bid, not a negative one.
    expect(valueLines(lot, { ...base, extraCosts: 1e6 }).maxBid?.high).toBe(0);
  });
});
