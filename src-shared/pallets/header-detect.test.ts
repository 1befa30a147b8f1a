import { describe, expect, it } from 'vitest';
import type { CellValue } from './fields';
import { detectHeaderRow, headersAt } from './header-detect';

describe('header row detection', () => {
  it('skips a title banner, an info line and blank rows', () => {
    const rows: CellValue[][] = [
      ['B-Stock Supplies — Lot #884213', null, null, null],
      ['Auction closes 2026-11-30', null, null, 'Page 1'],
      [],
      ['Category', 'Item Description', 'Qty', 'Retail Per Unit'],
      ['Electronics', 'Headphones', 2, 349.99],
      ['Toys', 'Fire station', 1, 89.99],
    ];
    const d = detectHeaderRow(rows, [{ s: { r: 0, c: 0 }, e: { r: 0, c: 3 } }]);
    expect(d?.headerRow).toBe(3);
    expect(d?.headers).toEqual(['Category', 'Item Description', 'Qty', 'Retail Per Unit']);
    expect(d?.confidence).toBeGreaterThan(0.7);
  });

  it('prefers a row of column names over a row of data with more cells', () => {
    const rows: CellValue[][] = [
      ['Bezeichnung', 'Menge', 'Zustand'],
      ['Kaffeevollautomat', 1, 'B-Ware'],
    ];
    expect(detectHeaderRow(rows)?.headerRow).toBe(0);
  });

  it('builds a two-row header from a merged group label ("Cena" over netto | brutto)', () => {
    const rows: CellValue[][] = [
      ['Manifest palety 12/2026'],
      ['Lp.', 'Nazwa', 'Ilość', 'Cena', null, 'Stan'],
      [null, null, null, 'netto', 'brutto', null],
      [1, 'Ekspres', 1, '1 234,56', '1 518,51', 'Nowy'],
      [2, 'Wiertarka', 2, '349,00', '429,27', 'Używany'],
    ];
    const merges = [
      { s: { r: 0, c: 0 }, e: { r: 0, c: 5 } },
      { s: { r: 1, c: 3 }, e: { r: 1, c: 4 } },
      { s: { r: 1, c: 0 }, e: { r: 2, c: 0 } },
    ];
    const d = detectHeaderRow(rows, merges);
    expect(d?.headerRow).toBe(2);
    expect(d?.headers).toEqual(['Lp.', 'Nazwa', 'Ilość', 'Cena netto', 'Cena brutto', 'Stan']);
  });

  it('names blank header cells by column letter and de-duplicates names', () => {
    const rows: CellValue[][] = [
      ['Name', null, 'Price', 'Price'],
      ['a', 'x', 1, 2],
    ];
    expect(detectHeaderRow(rows)?.headers).toEqual(['Name', 'Column B', 'Price', 'Price (2)']);
  });

  it('keeps hostile header names as plain strings', () => {
    const rows: CellValue[][] = [
      ['__proto__', 'constructor', 'Name'],
      ['x', 'y', 'z'],
    ];
    const d = detectHeaderRow(rows);
    expect(d?.headers).toEqual(['__proto__', 'constructor', 'Name']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns null when no row has two filled cells', () => {
    expect(detectHeaderRow([['only a title'], [], ['another line']])).toBeNull();
  });

  it('accepts a header row chosen by hand', () => {
    const rows: CellValue[][] = [['t'], ['a', 'b'], ['1', '2']];
    expect(headersAt(rows, 1)).toMatchObject({ headerRow: 1, confidence: 1, headers: ['a', 'b'] });
  });
});
