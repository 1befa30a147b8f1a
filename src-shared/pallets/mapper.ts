import { createCategoryMatcher } from './categories';
import { parseCondition } from './condition';
import { normaliseEan, isAsin, isFnsku } from './ean';
import type { CanonicalField, CellValue } from './fields';
import { headerCandidates, headerCurrency } from './header-vocab';
import { normaliseCurrency, parseNumber, parseVatRate, quantityText, KNOWN_CURRENCIES } from './numbers';
import { cellText, cleanText, foldWords, hash53, isBlankCell } from './text';

export type MappingSource = 'header' | 'values' | 'header+values' | 'override' | 'none';

export interface ColumnMappingEntry {
  index: number;
  header: string;
  field: CanonicalField | null;
  /** 0..1 */
  confidence: number;
  source: MappingSource;
  /** The column holds line totals (quantity × unit); the normaliser divides by quantity. */
  total: boolean;
  /** A currency named by the header ("Cena netto (PLN)"), used when the cell does not say. */
  currency: string | null;
  reason: string;
  /** Other plausible fields, best first, for the override dropdown. */
  alternatives: { field: CanonicalField; confidence: number }[];
}

export interface ColumnMapping {
  /** Stable id of the header layout; mapping overrides are remembered under it. */
  signature: string;
  columns: ColumnMappingEntry[];
}

export interface MappingOverride {
  signature: string;
  columns: { header: string; field: CanonicalField | null }[];
}

const MIN_CONFIDENCE = 0.35;
const CODE_RE = /^(?=[^ ]*\d)[A-Za-z0-9][A-Za-z0-9\-_./]{2,24}$/;
const MONEY_FIELDS = new Set<CanonicalField>(['price_net', 'price_gross', 'retail_price', 'market_price']);
const SAMPLE_LIMIT = 200;

/** The layout id of a header row: folded names in order. Same supplier template → same signature. */
export function headerSignature(headers: readonly string[]): string {
  return `h1-${headers.length}-${hash53(headers.map(foldWords).join('\u001f'))}`;
}

interface ValueProfile {
  count: number;
  numeric: number;
  integer: number;
  ean: number;
  asin: number;
  fnsku: number;
  lpn: number;
  url: number;
  imageUrl: number;
  currency: number;
  condition: number;
  category: number;
  vat: number;
  /** One token of letters and digits with a digit in it ("GM123456", "A-77/2"): a code, not a name. */
  codeLike: number;
  /** Single grade letters (A–D, N): a condition only under a condition header. */
  gradeLetter: number;
  avgLength: number;
}

const categoryMatcher = createCategoryMatcher();
const KNOWN_CCY = new Set<string>(KNOWN_CURRENCIES);

function profile(values: readonly CellValue[]): ValueProfile {
  const p: ValueProfile = { count: 0, numeric: 0, integer: 0, ean: 0, asin: 0, fnsku: 0, lpn: 0, url: 0, imageUrl: 0, currency: 0, condition: 0, category: 0, vat: 0, codeLike: 0, gradeLetter: 0, avgLength: 0 };
  let length = 0;
  for (const v of values) {
    if (isBlankCell(v) || typeof v === 'boolean') continue;
    p.count++;
    const text = cleanText(cellText(v));
    length += text.length;
    const num = parseNumber(typeof v === 'number' ? v : text, null);
    if (num) {
      p.numeric++;
    }
    // Whole counts as a quantity column holds them: "2 szt." and "1,000" (thousands) count too.
    const count = num && !num.ambiguous ? num : parseNumber(quantityText(text), null);
    if (count && (Number.isInteger(count.value) || count.ambiguous)) p.integer++;
    if (/^\d{7,14}$/.test(text) || typeof v === 'number') {
      const e = normaliseEan(v as string | number);
      if (e?.ok) p.ean++;
    }
    const upper = text.toUpperCase();
    if (isAsin(upper) && /[A-Z]/.test(upper)) p.asin++;
    if (isFnsku(upper)) p.fnsku++;
    if (/^LPN[A-Z0-9]{4,}$/.test(upper)) p.lpn++;
    if (URL_START_RE.test(text)) {
      p.url++;
      if (/\.(?:jpe?g|png|gif|webp|bmp|avif)(?:[?#]\S*)?$/i.test(text) || /\/images?\//i.test(text)) p.imageUrl++;
    }
    // "12,50 zł" names a currency but is an amount: only cells that are nothing but a currency count.
    if (!num && text.length <= 12) {
      const ccy = normaliseCurrency(text);
      if (ccy !== null && KNOWN_CCY.has(ccy)) p.currency++;
    }
    if (!num && text.length > 1 && text.length <= 60 && parseCondition(text).recognised) p.condition++;
    if (/^[a-dn]$/i.test(text)) p.gradeLetter++;
    if (!num && CODE_RE.test(text)) p.codeLike++;
    if (!num && text.length <= 120 && categoryMatcher(text).recognised) p.category++;
    const vat = parseVatRate(typeof v === 'number' ? v : text);
    if (vat !== null && vat <= 27 && (typeof v === 'number' || /%|^\s*\d{1,2}\s*$|^zw|^np/i.test(text))) p.vat++;
  }
  p.avgLength = p.count === 0 ? 0 : length / p.count;
  return p;
}

const NUMERIC_FIELDS = new Set<CanonicalField>(['quantity', 'price_net', 'price_gross', 'retail_price', 'market_price', 'vat_rate']);
/** A web address as manifests write them: spaces and accented letters allowed (the normaliser encodes them). */
export const URL_START_RE = /^(?:https?:\/\/|www\.)[^\s/]+\S*/i;

/** Does the column's content fit the field? 1 fits, 0.5 doubtful, null: no values to judge. */
function fit(field: CanonicalField, p: ValueProfile): number | null {
  if (p.count === 0) return null;
  const share = (n: number) => n / p.count;
  // A field whose parser would reject most of the column's values is never mapped: every line would
  // carry a rejected cell (a lot-title column read as `link`, prose read as quantities).
  if (field === 'quantity') return share(p.integer) >= 0.8 ? 1 : share(p.integer) >= 0.5 ? 0.5 : 0;
  if (field === 'vat_rate') return share(p.vat) >= 0.6 ? 1 : share(p.vat) >= 0.5 ? 0.5 : 0;
  if (NUMERIC_FIELDS.has(field)) return share(p.numeric) >= 0.6 ? 1 : share(p.numeric) >= 0.5 ? 0.5 : 0;
  if (field === 'ean') return share(p.ean) >= 0.5 || share(p.numeric) >= 0.8 ? 1 : 0;
  if (field === 'asin') return share(p.asin) >= 0.5 ? 1 : 0;
  if (field === 'condition') return share(p.condition + p.gradeLetter) >= 0.5 ? 1 : 0;
  if (field === 'name' || field === 'description') return share(p.codeLike) >= 0.8 ? 0.3 : share(p.numeric) >= 0.5 || p.avgLength < 3 ? 0.5 : 1;
  if (field === 'category' || field === 'brand') return share(p.numeric) >= 0.8 ? 0.5 : 1;
  if (field === 'photo_url' || field === 'link') return share(p.url) >= 0.5 ? 1 : 0;
  if (field === 'currency') return share(p.currency) >= 0.6 ? 1 : share(p.currency) >= 0.5 ? 0.5 : 0;
  return 1;
}

/** Fields the values alone suggest, for columns whose header says nothing useful. */
function valueCandidates(p: ValueProfile, header: string): { field: CanonicalField; confidence: number; reason: string }[] {
  if (p.count === 0) return [];
  const share = (n: number) => n / p.count;
  const out: { field: CanonicalField; confidence: number; reason: string }[] = [];
  if (share(p.ean) >= 0.8) out.push({ field: 'ean', confidence: 0.85, reason: 'values are EAN/UPC codes with valid check digits' });
  if (share(p.asin) >= 0.8) out.push({ field: 'asin', confidence: 0.9, reason: 'values look like ASINs' });
  if (share(p.fnsku) >= 0.8) out.push({ field: 'fc_sku', confidence: 0.9, reason: 'values look like FNSKUs' });
  if (share(p.lpn) >= 0.8) out.push({ field: 'code1', confidence: 0.7, reason: 'values look like LPNs (a per-unit label)' });
  if (share(p.imageUrl) >= 0.6) out.push({ field: 'photo_url', confidence: 0.8, reason: 'values are image addresses' });
  else if (share(p.url) >= 0.6) out.push({ field: 'link', confidence: 0.7, reason: 'values are web addresses' });
  if (share(p.codeLike) >= 0.9 && share(p.asin) < 0.5 && share(p.fnsku) < 0.5 && share(p.lpn) < 0.5) out.push({ field: 'sku', confidence: 0.55, reason: 'values are product codes' });
  if (share(p.currency) >= 0.8) out.push({ field: 'currency', confidence: 0.85, reason: 'values are currency codes' });
  if (share(p.condition) >= 0.7) out.push({ field: 'condition', confidence: 0.75, reason: 'values are condition grades' });
  if (share(p.category) >= 0.7 && share(p.condition) < 0.5) out.push({ field: 'category', confidence: 0.5, reason: 'values are category names' });
  // Polish "Stan" is both condition and stock level: whole numbers under it are a quantity.
  if (/^stan\b/.test(foldWords(header)) && share(p.integer) >= 0.8) out.push({ field: 'quantity', confidence: 0.7, reason: '"stan" with whole numbers is a stock quantity' });
  return out;
}

interface Candidate {
  index: number;
  field: CanonicalField;
  confidence: number;
  source: MappingSource;
  total: boolean;
  reason: string;
}

/**
 * Map columns to canonical fields from the header text and a sample of the column's values. Each
 * field goes to at most one column (best confidence first); columns below 0.35 stay unmapped (raw).
 */
export function autoMapColumns(headers: readonly string[], sampleRows: readonly (readonly CellValue[])[]): ColumnMapping {
  const candidates: Candidate[] = [];
  const perColumn: Candidate[][] = headers.map(() => []);
  headers.forEach((header, index) => {
    const values: CellValue[] = [];
    for (let r = 0; r < sampleRows.length && values.length < SAMPLE_LIMIT; r++) values.push(sampleRows[r]?.[index] ?? null);
    const p = profile(values);
    const byField = new Map<CanonicalField, Candidate>();
    for (const h of headerCandidates(header)) {
      const f = fit(h.field, p);
      if (f === 0) continue;
      const confidence = f === null ? h.confidence * 0.9 : f === 1 ? Math.min(0.99, h.confidence + 0.03) : h.confidence * f;
      const reason = h.note ?? (f === null ? 'header name (no values to check)' : f === 1 ? 'header name, values agree' : 'header name, but the values do not look right');
      byField.set(h.field, { index, field: h.field, confidence, source: f === 1 ? 'header+values' : 'header', total: h.total, reason });
    }
    for (const v of valueCandidates(p, header)) {
      const prev = byField.get(v.field);
      if (prev) prev.confidence = Math.min(0.99, Math.max(prev.confidence, v.confidence) + 0.04);
      else byField.set(v.field, { index, field: v.field, confidence: v.confidence, source: 'values', total: false, reason: v.reason });
    }
    for (const c of byField.values()) {
      c.confidence = Math.round(c.confidence * 100) / 100;
      candidates.push(c);
      perColumn[index]?.push(c);
    }
  });

  candidates.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  const chosen = new Map<number, Candidate>();
  const usedFields = new Set<CanonicalField>();
  for (const c of candidates) {
    if (c.confidence < MIN_CONFIDENCE || chosen.has(c.index) || usedFields.has(c.field)) continue;
    chosen.set(c.index, c);
    usedFields.add(c.field);
  }
  // A line-total column ("Ext. Retail") beside its unit column is kept too: it fills or checks the unit value.
  for (const c of candidates) {
    if (!c.total || chosen.has(c.index) || c.confidence < 0.5 || !MONEY_FIELDS.has(c.field)) continue;
    const unit = [...chosen.values()].find((u) => u.field === c.field);
    if (unit && !unit.total && ![...chosen.values()].some((u) => u.field === c.field && u.total)) chosen.set(c.index, c);
  }
  // A manifest with only a "Description" column still needs a name.
  if (!usedFields.has('name')) {
    const desc = [...chosen.values()].find((c) => c.field === 'description');
    if (desc) chosen.set(desc.index, { ...desc, field: 'name', reason: 'the only descriptive column, used as the name' });
  }

  const columns = headers.map((header, index): ColumnMappingEntry => {
    const c = chosen.get(index);
    const alternatives = (perColumn[index] ?? [])
      .filter((a) => a.field !== c?.field)
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, 3)
      .map((a) => ({ field: a.field, confidence: a.confidence }));
    const currency = headerCurrency(header);
    if (!c) return { index, header, field: null, confidence: 0, source: 'none', total: false, currency, reason: 'no field recognised; kept as raw data', alternatives };
    return { index, header, field: c.field, confidence: c.confidence, source: c.source, total: c.total, currency, reason: c.reason, alternatives };
  });
  return { signature: headerSignature(headers), columns };
}

/** Set one column's field by hand; a column that held the field before becomes unmapped. */
export function setColumnField(mapping: ColumnMapping, index: number, field: CanonicalField | null, total?: boolean): ColumnMapping {
  return {
    signature: mapping.signature,
    columns: mapping.columns.map((col) => {
      if (col.index === index) {
        return { ...col, field, confidence: 1, source: field === null ? 'none' : 'override', total: total ?? (field === col.field ? col.total : false), reason: 'chosen by the user' };
      }
      if (field !== null && col.field === field) return { ...col, field: null, confidence: 0, source: 'none', total: false, reason: 'field moved to another column by the user' };
      return col;
    }),
  };
}

/** The remembered form of a mapping: header name → field, applied next time by header name. */
export function mappingToOverride(mapping: ColumnMapping): MappingOverride {
  return { signature: mapping.signature, columns: mapping.columns.map((c) => ({ header: c.header, field: c.field })) };
}

/** Apply a remembered override by header name (in order, so duplicate names line up). */
export function applyMappingOverride(mapping: ColumnMapping, override: MappingOverride): ColumnMapping {
  let result = mapping;
  const used = new Set<number>();
  for (const o of override.columns) {
    const key = foldWords(o.header);
    const col = result.columns.find((c) => !used.has(c.index) && foldWords(c.header) === key);
    if (!col) continue;
    used.add(col.index);
    if (col.field === o.field && col.source !== 'none') continue;
    result = setColumnField(result, col.index, o.field);
  }
  return {
    signature: result.signature,
    columns: result.columns.map((c) => (used.has(c.index) && c.field !== null ? { ...c, source: 'override' as const, confidence: 1, reason: 'remembered from an earlier import' } : c)),
  };
}
