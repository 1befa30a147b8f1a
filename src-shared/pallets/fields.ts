/**
 * Canonical vocabulary of a pallet line. The field keys are fixed by the product (issue 5): every
 * supplier column is mapped onto one of them or kept as raw data.
 */
export const CANONICAL_FIELDS = [
  'name',
  'description',
  'category',
  'brand',
  'ean',
  'sku',
  'asin',
  'quantity',
  'unit',
  'price_net',
  'price_gross',
  'retail_price',
  /** A marketplace's average or median selling price (eBay, Allegro, Amazon): a resale hint, never the cost. */
  'market_price',
  'currency',
  'vat_rate',
  'condition',
  'pallet_id',
  'pack_id',
  'fc_sku',
  'code1',
  'code2',
  'photo_url',
  'link',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

export const CONDITION_GRADES = ['new', 'like_new', 'refurbished', 'used_good', 'used_fair', 'damaged', 'salvage', 'unknown'] as const;
export type ConditionGrade = (typeof CONDITION_GRADES)[number];

export const LINE_STATUSES = ['ok', 'warning', 'blocked'] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** A spreadsheet cell as it crosses the worker boundary: primitives only (dates become ISO text). */
export type CellValue = string | number | boolean | null;

/** Fields whose canonical value is a number. */
export const NUMBER_FIELDS = ['quantity', 'price_net', 'price_gross', 'retail_price', 'market_price', 'vat_rate'] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];
export type TextField = Exclude<CanonicalField, NumberField | 'condition'>;

/** Canonical values of one line. Money is per unit, in `currency`; vat_rate is a percentage (23 = 23 %). */
export interface LineValues {
  name: string | null;
  description: string | null;
  category: string | null;
  brand: string | null;
  ean: string | null;
  sku: string | null;
  asin: string | null;
  quantity: number | null;
  unit: string | null;
  price_net: number | null;
  price_gross: number | null;
  retail_price: number | null;
  market_price: number | null;
  currency: string | null;
  vat_rate: number | null;
  condition: ConditionGrade;
  pallet_id: string | null;
  pack_id: string | null;
  fc_sku: string | null;
  code1: string | null;
  code2: string | null;
  photo_url: string | null;
  link: string | null;
}

/** A fresh values object; every line gets the same shape, which keeps property access monomorphic. */
export function emptyLineValues(): LineValues {
  return {
    name: null,
    description: null,
    category: null,
    brand: null,
    ean: null,
    sku: null,
    asin: null,
    quantity: null,
    unit: null,
    price_net: null,
    price_gross: null,
    retail_price: null,
    market_price: null,
    currency: null,
    vat_rate: null,
    condition: 'unknown',
    pallet_id: null,
    pack_id: null,
    fc_sku: null,
    code1: null,
    code2: null,
    photo_url: null,
    link: null,
  };
}

export function isCanonicalField(value: string): value is CanonicalField {
  return (CANONICAL_FIELDS as readonly string[]).includes(value);
}

export function isNumberField(field: CanonicalField): field is NumberField {
  return (NUMBER_FIELDS as readonly string[]).includes(field);
}

/** Why a cell was not taken at face value. `rejected`: the value is unusable and was dropped;
 * `guessed`: a value was produced, but by an assumption the user should be able to check. */
export const ISSUE_KINDS = ['rejected', 'guessed'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

export const ISSUE_CODES = [
  'not_a_number',
  'negative',
  'not_whole',
  'out_of_range',
  'ambiguous_separator',
  'from_total',
  'missing_assumed_one',
  'ean_checksum',
  'ean_length',
  'ean_scientific',
  'ean_leading_zero',
  'asin_format',
  'unknown_currency',
  'currency_conflict',
  'vat_out_of_range',
  'unknown_condition',
  'condition_guess',
  'unknown_category',
  'category_guess',
  'not_a_url',
  'too_long',
  'total_mismatch',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export interface LineIssue {
  field: CanonicalField;
  kind: IssueKind;
  code: IssueCode;
  /** English sentence for logs and the CLI; the UI translates from `code`. */
  message: string;
  /** The cell as it was in the file (text, bounded). */
  raw: string;
}
