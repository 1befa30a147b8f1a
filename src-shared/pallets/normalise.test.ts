import { describe, expect, it } from 'vitest';
import type { CellValue, NormalisedLine } from './index';
import { autoMapColumns, createLineNormaliser } from './index';

function normaliser(headers: string[], rows: CellValue[][], options = {}) {
  const mapping = autoMapColumns(headers, rows);
  return createLineNormaliser({ mapping, sampleRows: rows, options });
}

function line(result: NormalisedLine | string): NormalisedLine {
  if (typeof result === 'string') throw new Error(`row skipped: ${result}`);
  return result;
}

describe('line normaliser', () => {
  const headers = ['Nazwa', 'Ilość', 'Cena netto', 'Cena brutto', 'Stawka VAT', 'EAN', 'Stan', 'Kategoria', 'Waluta', 'Nieznana kolumna'];
  const rows: CellValue[][] = [
    ['Ekspres', '2 szt.', '1 234,56 zł', null, '23%', '5901234123457', 'Nowy', 'AGD drobne', 'PLN', 'raw-1'],
    ['Wiertarka', 1, null, '429,27', '23%', '5901234123458', 'Używany', 'Narzędzia', 'EUR', 'raw-2'],
    ['Klocki', '-1', 'brak', null, null, 36000291452, 'Sprawdzić?', 'Zzyzx', 'zł', null],
  ];
  const n = normaliser(headers, rows);

  it('produces canonical values and keeps the source row and every raw cell', () => {
    const l = line(n.normalise(rows[0] as CellValue[], 6));
    expect(l.row).toBe(6);
    expect(l.values).toMatchObject({ name: 'Ekspres', quantity: 2, price_net: 1234.56, price_gross: 1518.51, vat_rate: 23, ean: '5901234123457', condition: 'new', category: 'small_appliances', currency: 'PLN' });
    expect(l.source).toEqual(rows[0]);
    expect(l.source[9]).toBe('raw-1');
    expect(l.issues).toEqual([]);
  });

  it('derives net from gross with the line VAT rate, and flags checksum and guesses', () => {
    const l = line(n.normalise(rows[1] as CellValue[], 7));
    expect(l.values.price_net).toBe(349);
    expect(l.values.price_gross).toBe(429.27);
    expect(l.values.ean).toBeNull();
    expect(l.values.condition).toBe('used_good');
    expect(l.values.currency).toBe('EUR');
    expect(l.issues.map((i) => [i.field, i.kind, i.code])).toEqual([
      ['ean', 'rejected', 'ean_checksum'],
      ['condition', 'guessed', 'condition_guess'],
    ]);
  });

  it('gives every rejected or guessed cell a reason with the raw text', () => {
    const l = line(n.normalise(rows[2] as CellValue[], 8));
    const byField = Object.fromEntries(l.issues.map((i) => [i.field, i]));
    expect(byField.quantity).toMatchObject({ kind: 'rejected', code: 'negative', raw: '-1' });
    // "brak" (none) is a placeholder for an empty cell, not a rejected number (issue 14).
    expect(byField.price_net).toBeUndefined();
    expect(byField.ean).toMatchObject({ kind: 'guessed', code: 'ean_leading_zero' });
    expect(byField.condition).toMatchObject({ kind: 'rejected', code: 'unknown_condition', raw: 'Sprawdzić?' });
    expect(byField.category).toMatchObject({ kind: 'guessed', code: 'unknown_category' });
    expect(l.values).toMatchObject({ quantity: null, price_net: null, ean: '036000291452', condition: 'unknown', category: 'other', currency: 'PLN' });
    for (const i of l.issues) expect(i.message.length).toBeGreaterThan(5);
  });

  it('uses the configured VAT rate and default currency', () => {
    const m = normaliser(['Name', 'Net price'], [['Kettle', '100']], { vatRate: 8, defaultCurrency: 'EUR' });
    expect(line(m.normalise(['Kettle', '100'], 2)).values).toMatchObject({ price_net: 100, price_gross: 108, currency: 'EUR' });
  });

  it('takes the currency from the header when cells do not name one', () => {
    const m = normaliser(['Nazwa', 'Cena netto (EUR)'], [['a', '12,50']]);
    expect(line(m.normalise(['Kettle', '12,50'], 2)).values).toMatchObject({ price_net: 12.5, currency: 'EUR' });
  });

  it('reads ambiguous separators with the column style and flags them when the column never says', () => {
    const polish = normaliser(['Name', 'Price'], [['a', '12,50'], ['b', '1,234']]);
    expect(line(polish.normalise(['b', '1,234'], 3)).values.price_net).toBe(1.234);
    const english = normaliser(['Name', 'Price'], [['a', '1,234.50'], ['b', '1,234']]);
    expect(line(english.normalise(['b', '1,234'], 3)).values.price_net).toBe(1234);
    const unknown = normaliser(['Name', 'Price'], [['b', '1,234']]);
    const l = line(unknown.normalise(['b', '1,234'], 2));
    expect(l.issues[0]).toMatchObject({ field: 'price_net', kind: 'guessed', code: 'ambiguous_separator' });
  });

  it('divides line totals by the quantity', () => {
    const m = normaliser(['Item Description', 'Units', 'Ext. Retail'], [['Echo', 2, 79.98]]);
    expect(line(m.normalise(['Echo', 2, 79.98], 4)).values).toMatchObject({ quantity: 2, retail_price: 39.99 });
  });

  it('assumes one unit for a blank quantity (guessed) and rejects fractions', () => {
    const m = normaliser(['Name', 'Qty'], [['a', 1]]);
    const blank = line(m.normalise(['a', null], 2));
    expect(blank.values.quantity).toBe(1);
    expect(blank.issues[0]).toMatchObject({ field: 'quantity', kind: 'guessed', code: 'missing_assumed_one' });
    const frac = line(m.normalise(['a', 2.5], 3));
    expect(frac.values.quantity).toBeNull();
    expect(frac.issues[0]).toMatchObject({ code: 'not_whole' });
    expect(line(m.normalise(['a', '3,0'], 4)).values.quantity).toBe(3);
    expect(line(m.normalise(['a', 1e12], 5)).issues[0]).toMatchObject({ code: 'out_of_range' });
  });

  it('reads a quantity whose separator could be decimal or thousands as thousands (a quantity is whole), flagged', () => {
    const rows: CellValue[][] = [['A', '1,000', '5'], ['B', '2', '7'], ['C', '2,500', '3'], ['D', '1,5', '2']];
    const m = normaliser(['Name', 'Qty', 'Price'], rows);
    const q = rows.map((r, i) => line(m.normalise(r, i + 2)));
    expect(q.map((l) => l.values.quantity)).toEqual([1000, 2, 2500, null]);
    expect(q[0]?.issues[0]).toMatchObject({ field: 'quantity', kind: 'guessed', code: 'ambiguous_separator' });
    expect(q[1]?.issues).toEqual([]);
    expect(q[3]?.issues[0]).toMatchObject({ field: 'quantity', kind: 'rejected', code: 'not_whole' });
    // Prices with decimal commas set the column style; "2,500" pieces still cannot be two and a half.
    const polish = normaliser(['Nazwa', 'Ilość', 'Cena'], [['a', '2,500', '12,50']]);
    expect(line(polish.normalise(['a', '2,500', '12,50'], 2)).values).toMatchObject({ quantity: 2500, price_net: 12.5 });
    expect(line(polish.normalise(['a', '1.000', '12,50'], 3)).values.quantity).toBe(1000);
  });

  it('takes a price without a currency in the currency the column\'s other amounts name, and says when none does', () => {
    const rows: CellValue[][] = [['a', '1.234,56 €'], ['b', '12,50 €'], ['c', '€ 12'], ['d', '99,00']];
    const m = normaliser(['Bezeichnung', 'Netto-Preis'], rows);
    expect(rows.map((r, i) => line(m.normalise(r, i + 2)).values.currency)).toEqual(['EUR', 'EUR', 'EUR', 'EUR']);
    expect(m.assumedCurrency).toBeNull();
    const bare = normaliser(['Name', 'Unit Cost'], [['a', '12.50'], ['b', '3']]);
    expect(bare.assumedCurrency).toBe('PLN');
    expect(line(bare.normalise(['a', '12.50'], 2)).values.currency).toBe('PLN');
    expect(normaliser(['Name', 'Unit Cost (USD)'], [['a', '12.50']]).assumedCurrency).toBeNull();
    expect(normaliser(['Name', 'Unit Cost', 'Currency'], [['a', '12.50', 'USD']]).assumedCurrency).toBeNull();
  });

  it('skips blank rows, summary rows and repeated header rows', () => {
    const m = normaliser(['Nazwa', 'Ilość', 'Cena'], [['a', 1, 2]]);
    expect(m.normalise([null, '', '  '], 2)).toBe('blank');
    expect(m.normalise(['Razem', 22, '4 271,55 zł'], 3)).toBe('summary');
    expect(m.normalise(['Nazwa', 'Ilość', 'Cena'], 4)).toBe('repeated_header');
  });

  it('treats a summary row without a product as a summary', () => {
    const m = normaliser(['Lp.', 'Nazwa', 'Ilość'], [[1, 'a', 1]]);
    expect(m.normalise(['Razem', null, 22], 9)).toBe('summary');
    expect(m.normalise(['Total:', null, 22], 9)).toBe('summary');
    expect(m.normalise([1, 'Total Wireless headphones', 1], 9)).not.toBe('summary');
  });

  it('rejects non-URLs in link columns and normalises units', () => {
    const m = normaliser(['Name', 'J.m.', 'Zdjęcie'], [['a', 'szt', 'https://x/a.jpg']]);
    const l = line(m.normalise(['a', 'Stk.', 'see attachment'], 2));
    expect(l.values.unit).toBe('pcs');
    expect(l.values.photo_url).toBeNull();
    expect(l.issues[0]).toMatchObject({ field: 'photo_url', code: 'not_a_url' });
  });
});
