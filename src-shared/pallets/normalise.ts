import { createCategoryMatcher, type CategoryResult } from './categories';
import { blockCurrency, columnCurrency, dominantCurrency, type DetectedCurrency } from './currency-detect';
import { parseCondition, type ConditionResult } from './condition';
import { normaliseEan, isAsin } from './ean';
import { emptyLineValues, type CanonicalField, type CellValue, type IssueCode, type IssueKind, type LineIssue, type LineValues } from './fields';
import { URL_START_RE, type ColumnMapping, type ColumnMappingEntry } from './mapper';
import { DEFAULT_VAT_RATE, grossFromNet, inferDecimalSeparator, netFromGross, normaliseCurrency, parseNumber, parseVatRate, quantityText, roundMoney, type DecimalSeparator } from './numbers';
import { BoundedMemo, cellText, cleanText, clip, encodeUrl, foldWords, isBlankCell } from './text';

export interface NormaliseOptions {
  /** VAT percentage used for net ↔ gross when the line has none (default 23). */
  vatRate: number;
  /** Currency when neither a currency column, the cell nor the header names one (default PLN). */
  defaultCurrency: string | null;
  /** Force the decimal separator instead of inferring it per column. */
  decimalSeparator: DecimalSeparator | null;
  /** The user's own category synonyms, added to the shipped table. */
  categorySynonyms: ReadonlyArray<{ category: string; synonyms: readonly string[] }>;
  /** The currency of this supplier's last import: used when the file itself names none. */
  supplierCurrency: string | null;
  /** The currency the user chose for this file: wins over every sheet-level detection (a cell naming its own currency keeps it). */
  userCurrency: string | null;
}

export const DEFAULT_NORMALISE_OPTIONS: NormaliseOptions = { vatRate: DEFAULT_VAT_RATE, defaultCurrency: 'PLN', decimalSeparator: null, categorySynonyms: [], supplierCurrency: null, userCurrency: null };

export interface NormalisedLine {
  /** Row number as the spreadsheet shows it (1-based). */
  row: number;
  values: LineValues;
  issues: readonly LineIssue[];
  /** Every cell of the source row in column order (mapped and unmapped): nothing is dropped. */
  source: readonly CellValue[];
}

export type SkipReason = 'blank' | 'summary' | 'repeated_header';

export type { DetectedCurrency } from './currency-detect';

export interface LineNormaliser {
  normalise(cells: readonly CellValue[], row: number): NormalisedLine | SkipReason;
  /**
   * The default currency when neither a currency column, the headers nor the sample's amounts name one:
   * every price of the sheet is then taken in a currency the file never stated (worth a warning).
   */
  readonly assumedCurrency: string | null;
  /** The sheet's currency and where it was found (per-line cells or a currency column may still differ). */
  readonly detectedCurrency: DetectedCurrency | null;
}

const NO_ISSUES: readonly LineIssue[] = Object.freeze([]);
const MAX_QUANTITY = 1_000_000_000;
const TEXT_LIMIT = 2000;
const SUMMARY_WORDS = 'suma|razem|total|totals|grand total|subtotal|gesamt|gesamtsumme|summe|insgesamt|lacznie|ogolem|sum|celkem|celkom|spolu|soucet|sucet|celkova suma|celkem za paletu';
const SUMMARY_WORD_RE = new RegExp(`^(?:${SUMMARY_WORDS})$`);
const SUMMARY_RE = new RegExp(`^(?:${SUMMARY_WORDS})(?: |$)`);

const MESSAGES: Record<IssueCode, string> = {
  not_a_number: 'Not a number.',
  negative: 'Negative values are not allowed here.',
  not_whole: 'A quantity must be a whole number.',
  out_of_range: 'The value is implausibly large.',
  ambiguous_separator: 'The separator could be decimal or thousands; read as decimal for this column.',
  from_total: 'Unit value derived from a line total with an assumed quantity.',
  missing_assumed_one: 'Quantity missing; assumed 1.',
  ean_checksum: 'EAN check digit is wrong.',
  ean_length: 'Not a valid EAN length.',
  ean_scientific: 'EAN was saved in scientific notation and its digits are lost.',
  ean_leading_zero: 'A leading zero lost by the spreadsheet was restored.',
  asin_format: 'Not a valid ASIN (B0 + 8 letters/digits, or ISBN-10).',
  unknown_currency: 'Currency not recognised.',
  currency_conflict: 'The price names a different currency than the currency column.',
  vat_out_of_range: 'Not a VAT rate between 0 and 100 %.',
  unknown_condition: 'Condition not recognised; set to unknown.',
  condition_guess: 'Condition grade inferred from a convention, or the worst of several grades the text names.',
  unknown_category: 'Category not recognised; set to other.',
  category_guess: 'Category inferred from a partial match.',
  not_a_url: 'Not a web address.',
  total_mismatch: 'The line total does not equal quantity × unit value; the unit value was kept.',
  too_long: 'Text shortened to 2000 characters.',
};

/** Work area for one line; handlers write here. */
interface Draft {
  values: LineValues;
  issues: LineIssue[] | null;
  totals: { field: MoneyField; value: number }[] | null;
  cellCurrency: string | null;
  quantityGuessed: boolean;
}

type Handler = (v: CellValue, d: Draft) => void;

function addIssue(d: Draft, field: CanonicalField, kind: IssueKind, code: IssueCode, v: CellValue, message = MESSAGES[code]): void {
  (d.issues ??= []).push({ field, kind, code, message, raw: clip(cellText(v)) });
}

function text(v: CellValue): string {
  return typeof v === 'string' ? cleanText(v) : cellText(v);
}

const UNIT_WORDS = new Map<string, string>([
  ['szt', 'pcs'], ['sztuka', 'pcs'], ['sztuk', 'pcs'], ['pcs', 'pcs'], ['pc', 'pcs'], ['piece', 'pcs'], ['pieces', 'pcs'], ['stk', 'pcs'], ['st', 'pcs'], ['stuck', 'pcs'], ['ea', 'pcs'], ['each', 'pcs'], ['unit', 'pcs'], ['units', 'pcs'],
  ['kpl', 'set'], ['komplet', 'set'], ['set', 'set'], ['satz', 'set'],
  ['op', 'pack'], ['opak', 'pack'], ['opakowanie', 'pack'], ['pack', 'pack'], ['pck', 'pack'], ['pkg', 'pack'], ['packung', 'pack'],
  ['para', 'pair'], ['pair', 'pair'], ['paar', 'pair'], ['pr', 'pair'],
  ['kg', 'kg'], ['g', 'g'], ['l', 'l'], ['ltr', 'l'], ['m', 'm'], ['mb', 'm'], ['m2', 'm2'], ['m3', 'm3'],
]);

function parseQuantity(v: CellValue, hint: DecimalSeparator | null): { value: number; grouped?: true } | { code: IssueCode } {
  let n: number;
  let grouped = false;
  if (typeof v === 'number') n = v;
  else {
    const s = quantityText(cleanText(String(v)));
    const p = parseNumber(s, hint);
    if (!p) return { code: 'not_a_number' };
    n = p.value;
    // A quantity is whole: "1,000" or "2.500" (one separator, three digits after it) is a thousands
    // grouping, not 1 or 2.5, whatever decimal style the file's prices use; flagged, as both readings exist.
    const asGroup = parseNumber(s, s.includes(',') ? '.' : ',');
    if (asGroup && asGroup.value !== n && Number.isInteger(asGroup.value)) {
      n = asGroup.value;
      grouped = true;
    }
  }
  if (!Number.isFinite(n)) return { code: 'not_a_number' };
  if (n < 0) return { code: 'negative' };
  const rounded = Math.round(n);
  if (Math.abs(n - rounded) > 1e-9) return { code: 'not_whole' };
  if (rounded > MAX_QUANTITY) return { code: 'out_of_range' };
  return grouped ? { value: rounded, grouped } : { value: rounded };
}

/**
 * Build the per-row normaliser for one sheet layout. Column parsers, decimal separators and memo
 * tables are prepared once; `normalise` then runs per row with no per-cell closures.
 */
export function createLineNormaliser(args: {
  mapping: ColumnMapping;
  sampleRows?: readonly (readonly CellValue[])[];
  /** Rows above the data (title block, header row): a "Currency: CZK" or "$18,442.10" there names the currency. */
  titleRows?: readonly (readonly CellValue[])[];
  options?: Partial<NormaliseOptions>;
}): LineNormaliser {
  const options: NormaliseOptions = { ...DEFAULT_NORMALISE_OPTIONS, ...args.options };
  const samples = args.sampleRows ?? [];
  const mapped = args.mapping.columns.filter((c): c is ColumnMappingEntry & { field: CanonicalField } => c.field !== null);

  const stringSamples = (index: number): string[] => samples.map((r) => r[index]).filter((v): v is string => typeof v === 'string');
  const fileHint = options.decimalSeparator ?? inferDecimalSeparator(mapped.filter((c) => isNumeric(c.field)).flatMap((c) => stringSamples(c.index)));
  const hintFor = (index: number): DecimalSeparator | null => options.decimalSeparator ?? inferDecimalSeparator(stringSamples(index)) ?? fileHint;

  const conditionMemo = new BoundedMemo<ConditionResult>();
  const categoryMemo = new BoundedMemo<CategoryResult>();
  const categoryMatcher = createCategoryMatcher(options.categorySynonyms);
  const currencyColumn = mapped.find((c) => c.field === 'currency');
  const quantityColumn = mapped.find((c) => c.field === 'quantity');
  const headerCurrency = mapped.find((c) => c.currency !== null && isMoney(c.field))?.currency ?? null;
  // A bare "99,00" among "12,50 €" cells is in euros too, not in the default currency.
  const sampleCurrency = dominantCurrency(mapped.filter((c) => isMoney(c.field)).flatMap((c) => stringSamples(c.index)));
  const titleCurrency = headerCurrency === null && sampleCurrency === null ? blockCurrency(args.titleRows ?? []) : null;
  const detectedCurrency: DetectedCurrency | null = currencyColumn
    ? null
    : headerCurrency !== null
      ? { code: headerCurrency, source: 'header' }
      : sampleCurrency !== null
        ? { code: sampleCurrency, source: 'cells' }
        : titleCurrency !== null
          ? { code: titleCurrency, source: 'title' }
          : options.supplierCurrency !== null
            ? { code: options.supplierCurrency, source: 'supplier' }
            : null;
  const fallbackCurrency = options.userCurrency ?? detectedCurrency?.code ?? options.defaultCurrency;
  const currencyNamed = currencyColumn !== undefined || detectedCurrency !== null || options.userCurrency !== null;

  const handlers: { index: number; handle: Handler }[] = mapped.map((col) => ({ index: col.index, handle: handlerFor(col, hintFor(col.index)) }));
  const headerKeys = args.mapping.columns.map((c) => foldWords(c.header));
  const headerLengths = args.mapping.columns.map((c) => c.header.trim().length);
  const nameLike = mapped.filter((c) => c.field === 'name' || c.field === 'sku' || c.field === 'ean' || c.field === 'asin').map((c) => c.index);
  const firstMapped = mapped[0]?.index ?? -1;
  const currencyMemo = new BoundedMemo<string | null>();

  function handlerFor(col: ColumnMappingEntry & { field: CanonicalField }, hint: DecimalSeparator | null): Handler {
    const field = col.field;
    switch (field) {
      case 'quantity':
        return (v, d) => {
          const q = parseQuantity(v, hint);
          if (!('value' in q)) return addIssue(d, field, 'rejected', q.code, v);
          d.values.quantity = q.value;
          if (q.grouped) addIssue(d, field, 'guessed', 'ambiguous_separator', v, 'The separator could be decimal or thousands; a quantity is whole, so read as thousands.');
        };
      case 'price_net':
      case 'price_gross':
      case 'retail_price':
      case 'market_price':
        return (v, d) => {
          const p = parseNumber(scalar(v), hint);
          if (!p) return addIssue(d, field, 'rejected', 'not_a_number', v);
          if (p.value < 0) return addIssue(d, field, 'rejected', 'negative', v);
          if (p.ambiguous) addIssue(d, field, 'guessed', 'ambiguous_separator', v);
          if (p.currency !== null) d.cellCurrency ??= p.currency;
          if (col.total) (d.totals ??= []).push({ field, value: p.value });
          else d.values[field] = p.value;
        };
      case 'vat_rate':
        return (v, d) => {
          const r = parseVatRate(scalar(v));
          if (r === null) addIssue(d, field, 'rejected', 'vat_out_of_range', v);
          else d.values.vat_rate = r;
        };
      case 'ean':
        return (v, d) => {
          const r = normaliseEan(scalar(v));
          if (r === null) return;
          if (!r.ok) return addIssue(d, field, 'rejected', r.code, v, r.message);
          d.values.ean = r.value;
          if (r.guessed) addIssue(d, field, 'guessed', r.guessed.code, v, r.guessed.message);
        };
      case 'asin':
        return (v, d) => {
          const s = text(v).toUpperCase();
          if (isAsin(s)) d.values.asin = s;
          else addIssue(d, field, 'rejected', 'asin_format', v);
        };
      case 'condition':
        return (v, d) => {
          const r = typeof v === 'string' ? conditionMemo.get(v, parseCondition) : parseCondition(text(v));
          d.values.condition = r.grade;
          if (!r.recognised) addIssue(d, field, 'rejected', 'unknown_condition', v);
          else if (r.guessed) addIssue(d, field, 'guessed', 'condition_guess', v);
        };
      case 'category':
        return (v, d) => {
          const r = typeof v === 'string' ? categoryMemo.get(v, categoryMatcher) : categoryMatcher(text(v));
          d.values.category = r.category;
          if (!r.recognised) addIssue(d, field, 'guessed', 'unknown_category', v);
        };
      case 'currency':
        return (v, d) => {
          const c = currencyMemo.get(text(v), normaliseCurrency);
          if (c === null) addIssue(d, field, 'rejected', 'unknown_currency', v);
          else d.values.currency = c;
        };
      case 'unit':
        return (v, d) => {
          const f = foldWords(text(v));
          d.values.unit = UNIT_WORDS.get(f) ?? f.slice(0, TEXT_LIMIT);
        };
      case 'photo_url':
      case 'link':
        return (v, d) => {
          const s = text(v);
          if (s.length > TEXT_LIMIT) addIssue(d, field, 'rejected', 'too_long', v, 'Web address longer than 2000 characters.');
          else if (!URL_START_RE.test(s)) addIssue(d, field, 'rejected', 'not_a_url', v);
          else {
            // Spaces and accented letters are common in suppliers' links: stored percent-encoded.
            const encoded = encodeUrl(s);
            if (encoded === null) addIssue(d, field, 'rejected', 'not_a_url', v);
            else d.values[field] = encoded;
          }
        };
      case 'fc_sku':
        return (v, d) => {
          d.values.fc_sku = text(v).toUpperCase().slice(0, TEXT_LIMIT);
        };
      default:
        return (v, d) => {
          let s = text(v);
          if (s.length > TEXT_LIMIT) {
            s = s.slice(0, TEXT_LIMIT);
            addIssue(d, field, 'guessed', 'too_long', v);
          }
          d.values[field] = s;
        };
    }
  }

  function isRepeatedHeader(cells: readonly CellValue[]): boolean {
    // Cheap reject first (this runs on every row): a repeated header repeats the first mapped name.
    const first = cells[firstMapped];
    if (typeof first !== 'string' || Math.abs(first.trim().length - (headerLengths[firstMapped] ?? -99)) > 2) return false;
    let same = 0;
    for (const c of mapped) {
      const v = cells[c.index];
      if (typeof v === 'string' && foldWords(v) === headerKeys[c.index]) same++;
    }
    return mapped.length > 0 && same >= Math.max(2, mapped.length * 0.6);
  }

  function isSummary(cells: readonly CellValue[]): boolean {
    let word = false;
    for (const i of nameLike) {
      const v = cells[i] ?? null;
      if (isBlankCell(v)) continue;
      // "Razem" / "Total" alone in the name column is a footer, not a product.
      if (typeof v === 'string' && v.length <= 20 && SUMMARY_WORD_RE.test(foldWords(v))) word = true;
      else return false;
    }
    if (word) return true;
    for (const v of cells) {
      if (typeof v === 'string' && v.trim() !== '') return SUMMARY_RE.test(foldWords(v));
    }
    return false;
  }

  return {
    assumedCurrency: currencyNamed ? null : options.defaultCurrency,
    detectedCurrency: currencyColumn ? columnCurrency(stringSamples(currencyColumn.index)) : detectedCurrency,
    normalise(cells, row) {
      let blank = true;
      for (let i = 0; i < cells.length; i++) {
        if (!isBlankCell(cells[i] ?? null)) {
          blank = false;
          break;
        }
      }
      if (blank) return 'blank';
      if (isSummary(cells)) return 'summary';
      if (isRepeatedHeader(cells)) return 'repeated_header';

      const d: Draft = { values: emptyLineValues(), issues: null, totals: null, cellCurrency: null, quantityGuessed: false };
      for (let h = 0; h < handlers.length; h++) {
        const entry = handlers[h] as { index: number; handle: Handler };
        const v = cells[entry.index] ?? null;
        if (!isBlankCell(v)) entry.handle(v, d);
      }
      const values = d.values;
      if (values.quantity === null) {
        if (quantityColumn) {
          const raw = cells[quantityColumn.index] ?? null;
          if (isBlankCell(raw)) {
            addIssue(d, 'quantity', 'guessed', 'missing_assumed_one', raw);
            values.quantity = 1;
            d.quantityGuessed = true;
          }
        } else values.quantity = 1;
      }
      if (d.totals !== null) {
        for (const t of d.totals) {
          const q = values.quantity;
          const unit = values[t.field];
          if (unit !== null) {
            // Both given: the total checks the unit value (a cent per unit of rounding allowed).
            if (q !== null && q > 0 && Math.abs(unit * q - t.value) > Math.max(0.011 * q, t.value * 0.005)) addIssue(d, t.field, 'guessed', 'total_mismatch', t.value);
            continue;
          }
          if (q !== null && q > 0) {
            values[t.field] = roundMoney(t.value / q);
            if (d.quantityGuessed) addIssue(d, t.field, 'guessed', 'from_total', t.value);
          }
        }
      }
      if (currencyColumn && values.currency !== null && d.cellCurrency !== null && d.cellCurrency !== values.currency) {
        addIssue(d, 'currency', 'guessed', 'currency_conflict', cells[currencyColumn.index] ?? null);
      }
      values.currency ??= d.cellCurrency ?? fallbackCurrency;
      const vat = values.vat_rate ?? options.vatRate;
      if (values.price_net === null && values.price_gross !== null) values.price_net = netFromGross(values.price_gross, vat);
      else if (values.price_gross === null && values.price_net !== null) values.price_gross = grossFromNet(values.price_net, vat);
      return { row, values, issues: d.issues ?? NO_ISSUES, source: cells };
    },
  };
}

type MoneyField = 'price_net' | 'price_gross' | 'retail_price' | 'market_price';

/** Cells reaching a handler are never blank; booleans are read as their text. */
function scalar(v: CellValue): string | number {
  return typeof v === 'boolean' ? String(v) : (v ?? '');
}

function isNumeric(field: CanonicalField): boolean {
  return field === 'quantity' || isMoney(field) || field === 'vat_rate';
}

function isMoney(field: CanonicalField): field is MoneyField {
  return field === 'price_net' || field === 'price_gross' || field === 'retail_price' || field === 'market_price';
}

/** The unmapped cells of a line by header name (a Map, so "__proto__" or "constructor" are just keys). */
export function unmappedCells(line: Pick<NormalisedLine, 'source'>, mapping: ColumnMapping): Map<string, CellValue> {
  const out = new Map<string, CellValue>();
  for (const c of mapping.columns) if (c.field === null) out.set(c.header, line.source[c.index] ?? null);
  return out;
}
