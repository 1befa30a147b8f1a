import type { BidTarget, ValuationTotals } from './valuation';

/**
 * The valuation as one flat record for the CLI's JSON and the export's summary sheet: every figure that is
 * unknown is null, never 0 (see MIN_VALUED_SHARE in valuation.ts). Retail and resale are of the valued
 * lines, and unknown when no line has a retail price.
 */
export interface ValuationSummary {
  currency: string | null;
  lines: number;
  linesValued: number;
  retail: number | null;
  cost: number | null;
  extraCosts: number;
  resaleLow: number | null;
  resaleHigh: number | null;
  marginLow: number | null;
  marginHigh: number | null;
  roiLow: number | null;
  roiHigh: number | null;
  /** `target` is the target's value (0.3 = 30 %); `targetKind` says whether it is a ROI or a margin. */
  maxBid: { target: number; targetKind: BidTarget['kind']; low: number | null; high: number | null };
}

export function valuationSummary(v: ValuationTotals, target: BidTarget, currency: string | null = v.currency): ValuationSummary {
  const valued = v.linesValued > 0;
  return {
    currency,
    lines: v.lines,
    linesValued: v.linesValued,
    retail: valued ? v.totalRetail : null,
    cost: v.cost,
    extraCosts: v.extraCosts,
    resaleLow: valued ? v.resale.low : null,
    resaleHigh: valued ? v.resale.high : null,
    marginLow: v.margin?.low ?? null,
    marginHigh: v.margin?.high ?? null,
    roiLow: v.roi?.low ?? null,
    roiHigh: v.roi?.high ?? null,
    maxBid: { target: target.value, targetKind: target.kind, low: v.maxBid?.low ?? null, high: v.maxBid?.high ?? null },
  };
}
