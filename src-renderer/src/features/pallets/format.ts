import type { LineStatus } from '@shared/pallets/fields';

export const STATUS_COLOR: Record<LineStatus, string> = { ok: 'teal', warning: 'yellow', blocked: 'red' };
/** Chart colours (Mantine palette keys) for the same statuses. */
export const STATUS_CHART_COLOR: Record<LineStatus, string> = { ok: 'teal.6', warning: 'yellow.6', blocked: 'red.6' };

export function formatNumber(value: number | null | undefined, language: string, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}

/** Money with its currency when the code is a real ISO code; a plain number otherwise. */
export function formatMoney(value: number | null | undefined, currency: string | null, language: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
    } catch {
      // An unknown code: fall through to the plain number.
    }
  }
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(value);
}

/** Between the two ends of a range: it stays with the low end, a line may break only after it. */
export const RANGE_SEPARATOR = '\u00a0– ';

/**
 * One value of a range that never breaks inside: a real minus sign (browsers break after a hyphen, so
 * "-PLN 9,306" split into "-" and "PLN 9,306", and "– -" read as a dash pair) and non-breaking spaces.
 */
function unbreakable(text: string): string {
  return text.replace(/-/g, '\u2212').replace(/ /g, '\u00a0');
}

/**
 * A money range as the text of each end ("PLN 200,000–350,000" as one part when it shares the currency;
 * both ends spelled out when the low end is negative). Whole units once amounts are large.
 */
export function moneyRangeParts(range: { low: number; high: number } | null, currency: string | null, language: string): string[] {
  if (!range) return ['—'];
  const big = Math.max(Math.abs(range.low), Math.abs(range.high)) >= 1000;
  const digits = big ? 0 : 2;
  const options: Intl.NumberFormatOptions =
    currency && /^[A-Z]{3}$/.test(currency) ? { style: 'currency', currency, maximumFractionDigits: digits, minimumFractionDigits: digits } : { maximumFractionDigits: digits, minimumFractionDigits: digits };
  try {
    const format = new Intl.NumberFormat(language, options);
    const low = Math.min(range.low, range.high);
    const high = Math.max(range.low, range.high);
    if (low === high) return [unbreakable(format.format(low))];
    // formatRange shares the sign and symbol between both ends ("-PLN 5–3" reads as -5 to +3): spell out negatives.
    return low < 0 ? [unbreakable(format.format(low)), unbreakable(format.format(high))] : [unbreakable(format.formatRange(low, high))];
  } catch {
    return rangeParts(range, (v) => formatNumber(v, language, digits));
  }
}

/** A money range as one string that breaks, if at all, only after the separator. */
export function formatMoneyRange(range: { low: number; high: number } | null, currency: string | null, language: string): string {
  return moneyRangeParts(range, currency, language).join(RANGE_SEPARATOR);
}

export function formatPercent(fraction: number | null | undefined, language: string): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

/** The ends of a range, each formatted and unbreakable; one part when both ends are equal. */
export function rangeParts(range: { low: number; high: number } | null, format: (v: number) => string): string[] {
  if (!range) return ['—'];
  return range.low === range.high ? [unbreakable(format(range.low))] : [unbreakable(format(range.low)), unbreakable(format(range.high))];
}

export function formatRange(range: { low: number; high: number } | null, format: (v: number) => string): string {
  return rangeParts(range, format).join(RANGE_SEPARATOR);
}

export function formatDate(ms: number, language: string): string {
  return new Date(ms).toLocaleString(language, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatBytes(bytes: number, language: string): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, language, 1)} KB`;
  return `${formatNumber(bytes / 1024 / 1024, language, 1)} MB`;
}

export function cellText(value: string | number | boolean | null): string {
  if (value === null) return '';
  return typeof value === 'string' ? value : String(value);
}
