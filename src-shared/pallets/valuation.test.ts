import { describe, expect, it } from 'vitest';
import { emptyLineValues, type LineStatus, type LineValues } from './fields';
import { DEFAULT_RECOVERY_RATES, valueLines, type ValuedLine } from './valuation';

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
});
