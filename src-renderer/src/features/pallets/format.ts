import type { LineStatus } from '../../../../src-shared/pallets/fields';

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

/** A money range with the currency once ("PLN 200,000 – 350,000"); whole units once amounts are large. */
export function formatMoneyRange(range: { low: number; high: number } | null, currency: string | null, language: string): string {
  if (!range) return '—';
  const big = Math.max(Math.abs(range.low), Math.abs(range.high)) >= 1000;
  const digits = big ? 0 : 2;
  const options: Intl.NumberFormatOptions =
    currency && /^[A-Z]{3}$/.test(currency) ? { style: 'currency', currency, maximumFractionDigits: digits, minimumFractionDigits: digits } : { maximumFractionDigits: digits, minimumFractionDigits: digits };
  try {
    const format = new Intl.NumberFormat(language, options);
    const low = Math.min(range.low, range.high);
    const high = Math.max(range.low, range.high);
    if (low === high) return format.format(low);
    // formatRange shares the sign and symbol between both ends ("-PLN 5–3" reads as -5 to +3): spell out negatives.
    return low < 0 ? `${format.format(low)} – ${format.format(high)}` : format.formatRange(low, high);
  } catch {
    return formatRange(range, (v) => formatNumber(v, language, digits));
  }
}

export function formatPercent(fraction: number | null | undefined, language: string): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

export function formatRange(range: { low: number; high: number } | null, format: (v: number) => string): string {
  if (!range) return '—';
  return range.low === range.high ? format(range.low) : `${format(range.low)} – ${format(range.high)}`;
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
