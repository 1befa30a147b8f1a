import type { ConditionGrade, LineStatus, LineValues } from './fields';

export interface Range {
  low: number;
  high: number;
}

export interface ValuationOptions {
  /** Share of retail recovered on resale, by condition. */
  recoveryRates: Record<ConditionGrade, Range>;
  /** Multipliers on the condition rate per category key (electronics sell closer to retail than fashion). */
  categoryFactors: { category: string; factor: number }[];
  /** Share of units expected to be unsellable whatever the manifest says (0..1). */
  wasteFactor: number;
  /** Manifest quantities are trusted to ± this share (0..1): widens the resale range. */
  quantityVariance: number;
  /** Blocked lines earn nothing on resale (their cost is still paid with the pallet). */
  excludeBlocked: boolean;
  /** Price paid per pallet (by pallet_id). */
  palletPrices: { palletId: string; price: number }[];
  /** Price paid for the whole analysis; shared between pallets by retail value when they have no own price. */
  analysisPrice: number | null;
  /** auto: pallet/analysis price when known, else line prices. */
  costBasis: 'auto' | 'pallet_price' | 'line_prices';
  /** Costs besides the price of the goods (transport, fees), in the analysis's currency; shared between pallets by retail value. */
  extraCosts: number;
  /** What a lot must earn to be worth its price: the max bid is the highest price that still earns it. */
  target: BidTarget;
}

/** A target return: ROI is margin over what was spent, margin is margin over resale (both as shares, 0.3 = 30 %). */
export interface BidTarget {
  kind: 'roi' | 'margin';
  value: number;
}

/**
 * Unknown is not zero. A line without a retail price has an unknown resale value, not a value of 0: resale
 * and retail are the sum over the lines that have one (the known part), and margin, ROI and max bid are
 * stated only when the known part holds at least this share of the units (quantity). Below it the unknown
 * part could change the verdict either way, so those figures are unknown (null), never a guess. 80 %:
 * with a fifth of the units unvalued, the unvalued part alone could be worth more than a typical margin.
 */
export const MIN_VALUED_SHARE = 0.8;

export const DEFAULT_BID_TARGET: BidTarget = { kind: 'roi', value: 0.3 };

export const DEFAULT_RECOVERY_RATES: Record<ConditionGrade, Range> = {
  new: { low: 0.45, high: 0.65 },
  like_new: { low: 0.4, high: 0.55 },
  refurbished: { low: 0.3, high: 0.45 },
  used_good: { low: 0.25, high: 0.4 },
  used_fair: { low: 0.15, high: 0.28 },
  damaged: { low: 0.05, high: 0.15 },
  salvage: { low: 0, high: 0.05 },
  unknown: { low: 0.15, high: 0.35 },
};

export const DEFAULT_VALUATION_OPTIONS: ValuationOptions = {
  recoveryRates: DEFAULT_RECOVERY_RATES,
  categoryFactors: [],
  wasteFactor: 0.05,
  quantityVariance: 0.05,
  excludeBlocked: true,
  palletPrices: [],
  analysisPrice: null,
  costBasis: 'auto',
  extraCosts: 0,
  target: DEFAULT_BID_TARGET,
};

export type CostSource = 'pallet_price' | 'analysis_price' | 'line_prices' | 'none';

export interface ValuationTotals {
  lines: number;
  units: number;
  blockedLines: number;
  linesWithoutRetail: number;
  linesWithoutCost: number;
  /** Lines with a retail price (their resale is known; blocked ones are known to earn nothing). */
  linesValued: number;
  /** Units (quantity) of the valued lines: margin, ROI and max bid need MIN_VALUED_SHARE of `units`. */
  unitsValued: number;
  /** Transport, fees: spent besides `cost` (the analysis's share for a pallet). */
  extraCosts: number;
  /** Highest price to pay for the target, from the low and high resale; null while the known part is too small. */
  maxBid: { target: BidTarget; low: number; high: number } | null;
  /** Σ quantity × unit retail over every line with a retail price. */
  totalRetail: number;
  /** Σ quantity × net unit price over lines with a price. */
  lineCost: number;
  cost: number | null;
  costSource: CostSource;
  resale: Range;
  margin: Range | null;
  /** resale − cost − extra costs; null without a cost or while the known part is too small (MIN_VALUED_SHARE). */
  /** margin / resale */
  marginPct: Range | null;
  /** margin / cost */
  roi: Range | null;
  currency: string | null;
  /** Every currency seen when there is more than one (values are then not comparable). */
  mixedCurrencies: string[];
}

export interface PalletValuation extends ValuationTotals {
  palletId: string | null;
}

export interface AnalysisValuation extends ValuationTotals {
  pallets: PalletValuation[];
}

export interface ValuedLine {
  values: LineValues;
  status: LineStatus;
}

interface Acc {
  lines: number;
  units: number;
  blockedLines: number;
  linesWithoutRetail: number;
  linesWithoutCost: number;
  linesValued: number;
  unitsValued: number;
  totalRetail: number;
  lineCost: number;
  resaleLow: number;
  resaleHigh: number;
  currencies: Map<string, number>;
}

const newAcc = (): Acc => ({ lines: 0, units: 0, blockedLines: 0, linesWithoutRetail: 0, linesWithoutCost: 0, linesValued: 0, unitsValued: 0, totalRetail: 0, lineCost: 0, resaleLow: 0, resaleHigh: 0, currencies: new Map() });

const money = (n: number) => Math.round(n * 100) / 100;
/** "PAL-2" before "PAL-10". One collator: localeCompare with options builds a new one per call (~µs each). */
const PALLET_ORDER = new Intl.Collator(undefined, { numeric: true });
const ratio = (n: number) => Math.round(n * 10_000) / 10_000;

export interface ResolvedValuationOptions {
  o: ValuationOptions;
  /** Category factor by category key (the last entry wins). */
  factors: Map<string, number>;
  /** Own price by pallet id (the last entry wins). */
  palletPrices: Map<string, number>;
  /** Waste and quantity variance clamped to 0..1. */
  waste: number;
  variance: number;
}

/** Options as the valuation applies them: defaults filled in, lists keyed, shares clamped (also used by the dashboard's SQL). */
export function resolveValuationOptions(opts: Partial<ValuationOptions> = {}): ResolvedValuationOptions {
  const o: ValuationOptions = { ...DEFAULT_VALUATION_OPTIONS, ...opts, recoveryRates: { ...DEFAULT_RECOVERY_RATES, ...opts.recoveryRates }, extraCosts: Number.isFinite(opts.extraCosts) ? Math.max(0, opts.extraCosts ?? 0) : 0, target: validTarget(opts.target) };
  return {
    o,
    factors: new Map(o.categoryFactors.map((f) => [f.category, f.factor])),
    palletPrices: new Map(o.palletPrices.map((p) => [p.palletId, p.price])),
    waste: clamp01(o.wasteFactor),
    variance: clamp01(o.quantityVariance),
  };
}

/**
 * Streaming valuation: feed lines one by one (during import or from a DB cursor), read per-pallet and
 * per-analysis totals at the end. Expected resale is a range:
 *   units × unit retail × recovery(condition) × factor(category) × (1 − waste) × (1 ∓ quantity variance).
 */
export function createValuation(opts: Partial<ValuationOptions> = {}): { add(line: ValuedLine): void; result(): AnalysisValuation } {
  const { o, factors, palletPrices, waste, variance } = resolveValuationOptions(opts);
  const pallets = new Map<string | null, Acc>();

  function add(acc: Acc, line: ValuedLine): void {
    const v = line.values;
    const units = v.quantity ?? 1;
    acc.lines++;
    acc.units += units;
    if (v.currency !== null) acc.currencies.set(v.currency, (acc.currencies.get(v.currency) ?? 0) + 1);
    if (v.price_net === null) acc.linesWithoutCost++;
    else acc.lineCost += units * v.price_net;
    if (line.status === 'blocked') acc.blockedLines++;
    if (v.retail_price === null) {
      acc.linesWithoutRetail++;
      return;
    }
    const retail = units * v.retail_price;
    acc.linesValued++;
    acc.unitsValued += units;
    acc.totalRetail += retail;
    if (o.excludeBlocked && line.status === 'blocked') return;
    const rate = o.recoveryRates[v.condition];
    const factor = v.category === null ? 1 : (factors.get(v.category) ?? 1);
    const base = retail * factor * (1 - waste);
    acc.resaleLow += base * rate.low * (1 - variance);
    acc.resaleHigh += base * rate.high * (1 + variance);
  }

  function totals(acc: Acc, cost: number | null, costSource: CostSource, extra: number): ValuationTotals {
    const resale = { low: money(acc.resaleLow), high: money(acc.resaleHigh) };
    const known = acc.linesValued > 0 && acc.unitsValued >= MIN_VALUED_SHARE * acc.units;
    const spent = cost === null ? null : cost + extra;
    const margin = spent === null || !known ? null : { low: money(acc.resaleLow - spent), high: money(acc.resaleHigh - spent) };
    const currencies = [...acc.currencies.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    // Never below 0: a lot that misses the target even for free is worth no bid.
    const bid = (r: number) => Math.max(0, money((o.target.kind === 'roi' ? r / (1 + o.target.value) : r * (1 - o.target.value)) - extra));
    return {
      lines: acc.lines,
      units: acc.units,
      blockedLines: acc.blockedLines,
      linesWithoutRetail: acc.linesWithoutRetail,
      linesWithoutCost: acc.linesWithoutCost,
      linesValued: acc.linesValued,
      unitsValued: acc.unitsValued,
      extraCosts: money(extra),
      maxBid: known ? { target: o.target, low: bid(acc.resaleLow), high: bid(acc.resaleHigh) } : null,
      totalRetail: money(acc.totalRetail),
      lineCost: money(acc.lineCost),
      cost: cost === null ? null : money(cost),
      costSource,
      resale,
      margin,
      marginPct: margin === null || spent === null || acc.resaleLow <= 0 || acc.resaleHigh <= 0 ? null : { low: ratio((acc.resaleLow - spent) / acc.resaleLow), high: ratio((acc.resaleHigh - spent) / acc.resaleHigh) },
      roi: margin === null || spent === null || spent <= 0 ? null : { low: ratio((acc.resaleLow - spent) / spent), high: ratio((acc.resaleHigh - spent) / spent) },
      currency: currencies[0] ?? null,
      mixedCurrencies: currencies.length > 1 ? currencies : [],
    };
  }

  return {
    add(line) {
      const key = line.values.pallet_id;
      let acc = pallets.get(key);
      if (!acc) {
        acc = newAcc();
        pallets.set(key, acc);
      }
      add(acc, line);
    },
    result() {
      const usePalletPrice = o.costBasis !== 'line_prices';
      const useLinePrices = o.costBasis !== 'pallet_price';
      const unpriced = [...pallets].filter(([id]) => id === null || !palletPrices.has(id));
      const unpricedRetail = unpriced.reduce((s, [, a]) => s + a.totalRetail, 0);
      const pricedSum = [...pallets].reduce((s, [id]) => s + (id !== null ? (palletPrices.get(id) ?? 0) : 0), 0);
      const allRetail = [...pallets.values()].reduce((s, a) => s + a.totalRetail, 0);
      const remainder = o.analysisPrice === null ? null : Math.max(0, o.analysisPrice - pricedSum);
      const palletResults: PalletValuation[] = [...pallets].map(([palletId, acc]) => {
        let cost: number | null = null;
        let source: CostSource = 'none';
        const own = palletId === null ? undefined : palletPrices.get(palletId);
        if (usePalletPrice && own !== undefined) {
          cost = own;
          source = 'pallet_price';
        } else if (usePalletPrice && remainder !== null) {
          // By retail value; with no retail to go by, evenly between the pallets that have no price of their own.
          cost = unpricedRetail > 0 ? (remainder * acc.totalRetail) / unpricedRetail : remainder / Math.max(1, unpriced.length);
          source = 'analysis_price';
        } else if (useLinePrices && acc.lines > acc.linesWithoutCost) {
          cost = acc.lineCost;
          source = 'line_prices';
        }
        const extra = o.extraCosts <= 0 ? 0 : allRetail > 0 ? (o.extraCosts * acc.totalRetail) / allRetail : o.extraCosts / pallets.size;
        return { palletId, ...totals(acc, cost, source, extra) };
      });
      palletResults.sort((a, b) => PALLET_ORDER.compare(a.palletId ?? '', b.palletId ?? ''));
      let cost: number | null = null;
      let source: CostSource = 'none';
      if (usePalletPrice && o.analysisPrice !== null) {
        cost = o.analysisPrice;
        source = 'analysis_price';
      } else if (palletResults.length > 0 && palletResults.every((p) => p.cost !== null)) {
        // Only when every pallet has a cost: a sum that leaves one out would set all the resale against
        // part of the cost and overstate the margin and ROI.
        cost = palletResults.reduce((s, p) => s + (p.cost ?? 0), 0);
        source = palletResults.some((p) => p.costSource === 'pallet_price') ? 'pallet_price' : 'line_prices';
      }
      return { ...totals(mergeAccs(pallets.values()), cost, source, Math.max(0, o.extraCosts)), pallets: palletResults };
    },
  };
}

/** Analysis totals are the sum of the pallets' (one accumulator per line instead of two). */
function mergeAccs(accs: Iterable<Acc>): Acc {
  const all = newAcc();
  for (const a of accs) {
    all.lines += a.lines;
    all.units += a.units;
    all.blockedLines += a.blockedLines;
    all.linesWithoutRetail += a.linesWithoutRetail;
    all.linesWithoutCost += a.linesWithoutCost;
    all.linesValued += a.linesValued;
    all.unitsValued += a.unitsValued;
    all.totalRetail += a.totalRetail;
    all.lineCost += a.lineCost;
    all.resaleLow += a.resaleLow;
    all.resaleHigh += a.resaleHigh;
    for (const [c, n] of a.currencies) all.currencies.set(c, (all.currencies.get(c) ?? 0) + n);
  }
  return all;
}

/** A margin of 100 % or more, or a ROI of −100 % or less, has no price that earns it: the default then. */
function validTarget(t: BidTarget | undefined): BidTarget {
  if (!t || !Number.isFinite(t.value)) return DEFAULT_BID_TARGET;
  if (t.kind === 'margin' ? t.value >= 1 : t.value <= -1) return DEFAULT_BID_TARGET;
  return { kind: t.kind, value: t.value };
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

/** Convenience for arrays. */
export function valueLines(lines: Iterable<ValuedLine>, opts: Partial<ValuationOptions> = {}): AnalysisValuation {
  const v = createValuation(opts);
  for (const l of lines) v.add(l);
  return v.result();
}
