import { describe, expect, it } from 'vitest';
import type { CellValue } from './fields';
import { detectHeaderRow } from './header-detect';
import { headerCandidates, headerCurrency } from './header-vocab';
import { autoMapColumns } from './mapper';
import { createLineNormaliser } from './normalise';
import { isBlankCell } from './text';

/* Issue 14 item 6: what real published manifests do that tidy files do not. */

const fields = (m: ReturnType<typeof autoMapColumns>) => Object.fromEntries(m.columns.map((c) => [c.header, c.field]));
const top = (h: string) => headerCandidates(h)[0]?.field ?? null;

describe('real-world manifests', () => {
  it('maps Czech and Slovak headers', () => {
    expect(['Kód', 'Název', 'Počet', 'MOC s DPH', 'Stav', 'Kategorie', 'Značka', 'EAN'].map(top)).toEqual(['sku', 'name', 'quantity', 'retail_price', 'condition', 'category', 'brand', 'ean']);
    expect(['Kód produktu', 'Názov', 'Počet kusov', 'Množství', 'Ks', 'Maloobchodní cena', 'Číslo palety'].map(top)).toEqual(['sku', 'name', 'quantity', 'quantity', 'quantity', 'retail_price', 'pallet_id']);
  });

  it('reads a currency glued to a header and still maps the header', () => {
    expect(headerCurrency('PreisEUR')).toBe('EUR');
    expect(headerCurrency('Price (USD)')).toBe('USD');
    expect(headerCurrency('Cena_CZK')).toBe('CZK');
    expect(headerCurrency('RRP £')).toBe('GBP');
    expect(headerCurrency('Couleur')).toBeNull();
    expect(headerCurrency('Hersteller')).toBeNull();
    expect(top('PreisEUR')).toBe('price_net');
    expect(headerCandidates('Price (USD)')[0]).toMatchObject({ field: 'price_net' });
  });

  it('treats placeholders as empty cells, not rejected values', () => {
    for (const v of ['N/A', 'n/a', '-', '—', 'brak', 'none', '\n', ' NONE ']) expect(isBlankCell(v)).toBe(true);
    for (const v of ['0', 'A', 'B-Ware', 'Nawóz']) expect(isBlankCell(v)).toBe(false);
    const m = autoMapColumns(['Name', 'EAN', 'Qty', 'Price'], [['a', '5901234123457', 1, 2], ['b', 'N/A', '-', '—']]);
    const line = createLineNormaliser({ mapping: m }).normalise(['c', 'N/A', '-', 'brak'], 3);
    expect(typeof line === 'object' ? line.issues.filter((i) => i.kind === 'rejected') : line).toEqual([]);
  });

  it('stores web addresses with spaces or accented letters percent-encoded', () => {
    const rows: CellValue[][] = [['https://cdn.example.pl/zdjęcia/Głośnik JBL.jpg'], ['https://cdn.example.pl/a b.jpg']];
    const m = autoMapColumns(['Zdjęcie'], rows);
    expect(m.columns[0]?.field).toBe('photo_url');
    const line = createLineNormaliser({ mapping: m }).normalise(rows[0] as CellValue[], 2);
    expect(typeof line === 'object' && line.values.photo_url).toBe('https://cdn.example.pl/zdj%C4%99cia/G%C5%82o%C5%9Bnik%20JBL.jpg');
  });

  it('never maps a column whose values the field would mostly reject (a lot title is not a link)', () => {
    const rows: CellValue[][] = Array.from({ length: 10 }, (_, i) => [`Mixed lot ${i} of home goods`, `Item ${i}`]);
    const listing = fields(autoMapColumns(['Listing', 'Product Name'], rows));
    expect([listing.Listing === 'link', listing['Product Name']]).toEqual([false, 'name']);
    expect(fields(autoMapColumns(['Lot Title', 'Qty'], [['Lot 4471, 1 pallet, 120 units', 1]]))).toEqual({ 'Lot Title': null, Qty: 'quantity' });
  });

  it('maps marketplace prices to market_price, an LPN to a per-unit code, and ext. retail beside unit retail', () => {
    const rows: CellValue[][] = [['B07XJ8C8F5', 'LPNRR123456789', 2, 10, 20, 7.5], ['B07XJ8C8F6', 'LPNRR123456790', 1, 30, 31, 20]];
    const m = autoMapColumns(['ASIN', 'LPN', 'Units', 'Unit Retail', 'Ext. Retail', 'eBay Avg Sold Price'], rows);
    expect(fields(m)).toEqual({ ASIN: 'asin', LPN: 'code1', Units: 'quantity', 'Unit Retail': 'retail_price', 'Ext. Retail': 'retail_price', 'eBay Avg Sold Price': 'market_price' });
    const n = createLineNormaliser({ mapping: m, sampleRows: rows });
    const ok = n.normalise(rows[0] as CellValue[], 2);
    expect(typeof ok === 'object' && ok.values).toMatchObject({ retail_price: 10, market_price: 7.5, pallet_id: null, code1: 'LPNRR123456789', price_net: null });
    const off = n.normalise(rows[1] as CellValue[], 3);
    expect(typeof off === 'object' && off.issues.map((i) => i.code)).toEqual(['total_mismatch']);
    // Without a unit value the total fills it.
    const fill = n.normalise(['B07XJ8C8F7', 'LPNRR1', 4, null, 40, null], 4);
    expect(typeof fill === 'object' && fill.values.retail_price).toBe(10);
  });

  it('skips Czech totals rows and keeps a summary block beside the header out of the header', () => {
    const rows: CellValue[][] = [['Kod', 'Nazev', 'Ks', 'Cena', null, 'Total MSRP', '$9,120.00']];
    for (let i = 0; i < 8; i++) rows.push([`P${i}00`, `Výrobek ${i}`, 1, 100, null, i === 0 ? 'Units' : null, i === 0 ? 8 : null]);
    rows.push(['Celkem', null, 8, 800]);
    const h = detectHeaderRow(rows);
    expect(h?.headers).toEqual(['Kod', 'Nazev', 'Ks', 'Cena', 'Column E', 'Column F', 'Column G']);
    const m = autoMapColumns(h?.headers ?? [], rows.slice(1));
    const n = createLineNormaliser({ mapping: m, sampleRows: rows.slice(1), titleRows: rows.slice(0, 1) });
    expect(n.normalise(rows[9] as CellValue[], 10)).toBe('summary');
    expect(n.detectedCurrency).toEqual({ code: 'USD', source: 'title' });
  });

  it('detects the currency from cells, headers, the title block, then the supplier, else asks', () => {
    const map = (h: string) => autoMapColumns(['Name', h], [['x', 1]]);
    expect(createLineNormaliser({ mapping: map('PreisEUR') }).detectedCurrency).toEqual({ code: 'EUR', source: 'header' });
    expect(createLineNormaliser({ mapping: map('Price'), sampleRows: [['x', '12,50 zł']] }).detectedCurrency).toEqual({ code: 'PLN', source: 'cells' });
    expect(createLineNormaliser({ mapping: map('Price'), titleRows: [['Měna:', 'CZK']] }).detectedCurrency).toEqual({ code: 'CZK', source: 'title' });
    const supplier = createLineNormaliser({ mapping: map('Price'), options: { supplierCurrency: 'GBP' } });
    expect([supplier.detectedCurrency, supplier.assumedCurrency]).toEqual([{ code: 'GBP', source: 'supplier' }, null]);
    const none = createLineNormaliser({ mapping: map('Price') });
    expect([none.detectedCurrency, none.assumedCurrency]).toEqual([null, 'PLN']);
  });
});
