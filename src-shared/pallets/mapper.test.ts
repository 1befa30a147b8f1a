import { describe, expect, it } from 'vitest';
import type { CanonicalField, CellValue } from './fields';
import { applyMappingOverride, autoMapColumns, headerSignature, mappingToOverride, setColumnField, type ColumnMapping } from './mapper';

function fields(m: ColumnMapping): Record<string, CanonicalField | null> {
  return Object.fromEntries(m.columns.map((c) => [c.header, c.field]));
}

describe('column auto-mapper', () => {
  it('maps a column of currency codes to currency, never a column of amounts that name a currency', () => {
    const headers = ['Towar', 'Szt', 'Wartość', 'Kol'];
    const rows: CellValue[][] = [['Kubek', 2, '12,50 zł', 'PLN'], ['Talerz', 1, '7,00 zł', 'PLN'], ['Miska', 3, '1 234,56 zł', 'EUR']];
    const m = autoMapColumns(headers, rows);
    expect(m.columns.find((c) => c.header === 'Wartość')?.field).not.toBe('currency');
    expect(m.columns.find((c) => c.header === 'Kol')?.field).toBe('currency');
  });

  it('trusts a quantity header whose counts carry a unit ("2 szt.") or a thousands separator ("1,000")', () => {
    const pl = autoMapColumns(['Nazwa', 'Ilość', 'Cena'], [['Kubek', '2 szt.', '12,50'], ['Talerz', '1 szt.', '7,00'], ['Miska', '3 szt.', '1,00']]);
    expect(pl.columns[1]).toMatchObject({ field: 'quantity' });
    expect(pl.columns[1]?.confidence).toBeGreaterThan(0.9);
    const en = autoMapColumns(['Name', 'Qty', 'Price'], [['A', '1,000', '5'], ['B', '2', '7'], ['C', '2,500', '3']]);
    expect(en.columns[1]?.confidence).toBeGreaterThan(0.9);
    // Fractions are not counts: the header alone carries the mapping, with less confidence.
    const frac = autoMapColumns(['Name', 'Qty', 'Price'], [['A', '1,5', '5'], ['B', '2,25', '7'], ['C', '0,5', '3']]);
    expect(frac.columns[1]?.confidence).toBeLessThan(0.6);
  });

  it('maps an English B-Stock manifest', () => {
    const headers = ['Category', 'Item Description', 'Brand', 'UPC', 'Qty', 'Retail Per Unit', 'Total Retail', 'Condition', 'Pallet ID'];
    const rows: CellValue[][] = [['Electronics', 'Headphones', 'Sony', 27242920613, 2, 349.99, 699.98, 'Used - Good', 'PAL-1']];
    expect(fields(autoMapColumns(headers, rows))).toEqual({
      Category: 'category',
      'Item Description': 'name',
      Brand: 'brand',
      UPC: 'ean',
      Qty: 'quantity',
      'Retail Per Unit': 'retail_price',
      // A line-total column beside its unit column is mapped too (it fills or checks the unit value).
      'Total Retail': 'retail_price',
      Condition: 'condition',
      'Pallet ID': 'pallet_id',
    });
  });

  it('maps an Amazon liquidation manifest (ASIN, FNSKU, LPN, GL Description, Ext. Retail)', () => {
    const headers = ['LPN', 'ASIN', 'FNSKU', 'Item Description', 'GL Description', 'Units', 'Ext. Retail', 'Condition'];
    const rows: CellValue[][] = [['LPNRR1234567', 'B07XJ8C8F5', 'X002ABC123', 'Echo Dot', 'Electronics', 2, 79.98, 'Used - Like New']];
    const m = autoMapColumns(headers, rows);
    expect(fields(m)).toEqual({ LPN: 'code1', ASIN: 'asin', FNSKU: 'fc_sku', 'Item Description': 'name', 'GL Description': 'category', Units: 'quantity', 'Ext. Retail': 'retail_price', Condition: 'condition' });
    // Ext. Retail is a line total: the normaliser divides it by the quantity.
    expect(m.columns.find((c) => c.header === 'Ext. Retail')?.total).toBe(true);
  });

  it('maps a Polish manifest, including abbreviations', () => {
    const headers = ['Lp.', 'Nazwa', 'Kategoria', 'Marka', 'EAN-13', 'Ilość', 'J.m.', 'Cena netto (PLN)', 'Cena brutto', 'Stawka VAT', 'Stan', 'Paleta', 'Zdjęcie', 'Link'];
    const rows: CellValue[][] = [[1, 'Ekspres', 'AGD', 'Philips', '5901234123457', 1, 'szt', '1 234,56 zł', '1 518,51 zł', '23%', 'Nowy', 'P-1', 'https://x.pl/a.jpg', 'https://x.pl/p/1']];
    const m = autoMapColumns(headers, rows);
    expect(fields(m)).toEqual({
      'Lp.': null,
      Nazwa: 'name',
      Kategoria: 'category',
      Marka: 'brand',
      'EAN-13': 'ean',
      Ilość: 'quantity',
      'J.m.': 'unit',
      'Cena netto (PLN)': 'price_net',
      'Cena brutto': 'price_gross',
      'Stawka VAT': 'vat_rate',
      Stan: 'condition',
      Paleta: 'pallet_id',
      Zdjęcie: 'photo_url',
      Link: 'link',
    });
    expect(m.columns.find((c) => c.field === 'price_net')?.currency).toBe('PLN');
  });

  it('maps a German manifest', () => {
    const headers = ['Artikelnummer', 'Bezeichnung', 'Warengruppe', 'Hersteller', 'GTIN', 'Menge', 'Netto-Preis', 'UVP', 'MwSt', 'Zustand', 'Palettennummer'];
    const rows: CellValue[][] = [['A-1', 'Kaffeevollautomat', 'Haushaltsgeräte', 'Siemens', 4242003864821, 1, '1.234,56 €', '1.899,00 €', '19%', 'B-Ware', 'PAL-4711']];
    expect(fields(autoMapColumns(headers, rows))).toEqual({
      Artikelnummer: 'sku',
      Bezeichnung: 'name',
      Warengruppe: 'category',
      Hersteller: 'brand',
      GTIN: 'ean',
      Menge: 'quantity',
      'Netto-Preis': 'price_net',
      UVP: 'retail_price',
      MwSt: 'vat_rate',
      Zustand: 'condition',
      Palettennummer: 'pallet_id',
    });
  });

  it('recognises an EAN column by its values when the header says nothing', () => {
    const rows: CellValue[][] = [['5901234123457'], ['4006381333931'], [5702016912494], ['96385074']];
    const m = autoMapColumns(['Code'], rows);
    expect(m.columns[0]).toMatchObject({ field: 'ean', source: 'values' });
    expect(m.columns[0]?.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('lowers confidence when values contradict the header', () => {
    const good = autoMapColumns(['EAN'], [['5901234123457'], ['4006381333931']]).columns[0];
    const bad = autoMapColumns(['Qty'], [['lots'], ['some']]).columns[0];
    expect(good?.confidence).toBeGreaterThan(0.95);
    expect(bad?.confidence ?? 0).toBeLessThan(0.6);
  });

  it('reads Polish "Stan" with whole numbers as stock quantity, not condition', () => {
    const m = autoMapColumns(['Nazwa', 'Stan'], [['Ekspres', 5], ['Wiertarka', 12], ['Klocki', 1]]);
    expect(fields(m)).toEqual({ Nazwa: 'name', Stan: 'quantity' });
  });

  it('uses a lone description column as the name', () => {
    expect(fields(autoMapColumns(['Description', 'Qty'], [['Kettle', 1]]))).toEqual({ Description: 'name', Qty: 'quantity' });
  });

  it('assigns generic code columns to code1 then code2', () => {
    expect(fields(autoMapColumns(['Name', 'Code', 'Nr'], [['Kettle', 'X1', 'Y1']]))).toEqual({ Name: 'name', Code: 'code1', Nr: 'code2' });
  });

  it('keeps __proto__ and constructor headers as unmapped raw columns', () => {
    const m = autoMapColumns(['__proto__', 'constructor', 'Name'], [['{"a":1}', 'x', 'Kettle']]);
    expect(m.columns.map((c) => c.field)).toEqual([null, null, 'name']);
  });
});

describe('signatures and overrides', () => {
  it('gives the same signature to the same layout regardless of case or accents', () => {
    expect(headerSignature(['Ilość', 'Nazwa'])).toBe(headerSignature(['ILOSC', 'nazwa']));
    expect(headerSignature(['Nazwa', 'Ilość'])).not.toBe(headerSignature(['Ilość', 'Nazwa']));
  });

  it('moves a field by hand and remembers it for the next import', () => {
    const headers = ['Name', 'Price', 'Cost'];
    const rows: CellValue[][] = [['Kettle', 10, 4]];
    const auto = autoMapColumns(headers, rows);
    // "Cost" is the stronger net-price header; "Price" is left with price_net as an alternative.
    expect(fields(auto)).toEqual({ Name: 'name', Price: null, Cost: 'price_net' });
    expect(auto.columns[1]?.alternatives[0]?.field).toBe('price_net');
    const edited = setColumnField(setColumnField(auto, 1, 'retail_price'), 2, 'price_net');
    expect(fields(edited)).toEqual({ Name: 'name', Price: 'retail_price', Cost: 'price_net' });
    const remembered = mappingToOverride(edited);
    const next = applyMappingOverride(autoMapColumns(headers, rows), remembered);
    expect(fields(next)).toEqual({ Name: 'name', Price: 'retail_price', Cost: 'price_net' });
    expect(next.columns[1]).toMatchObject({ source: 'override', confidence: 1 });
  });

  it('unmaps a column by hand', () => {
    const m = setColumnField(autoMapColumns(['Name', 'Qty'], [['Kettle', 1]]), 1, null);
    expect(fields(m)).toEqual({ Name: 'name', Qty: null });
  });
});
