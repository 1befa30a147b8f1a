import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '@shared/contract/errors';
import { setColumnField, mappingToOverride } from '@shared/pallets/mapper';
import { unmappedCells } from '@shared/pallets/normalise';
import type { Rule } from '@shared/pallets/rules';
import { ImportPreviewSchema, ImportRequestSchema, ImportSummarySchema, type ImportProgress } from '@shared/pallets/schemas';
import type { ScoredLine } from '@shared/pallets/scoring';
import { previewImport, runImport } from './import-pipeline';
import { openSpreadsheet } from '../reading/spreadsheet';
import { MemoryPalletStore } from '../store/pallet-store';
import { largeManifestAoa, workbookBytes, writeFixtures, type FixtureName } from '../../../test/helpers/pallet-fixtures';

let dir: string;
let fx: Record<FixtureName, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fm-import-'));
  fx = writeFixtures(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mapped = (r: { mapping: { columns: { header: string; field: string | null }[] } }) => Object.fromEntries(r.mapping.columns.filter((c) => c.field).map((c) => [c.header, c.field]));
const byRow = (lines: readonly ScoredLine[] | null, row: number) => lines?.find((l) => l.row === row);

describe('import pipeline on real manifests', () => {
  it('imports an English B-Stock manifest under a banner (xlsx and xls alike)', async () => {
    for (const name of ['bstock.xlsx', 'bstock.xls'] as const) {
      const r = await runImport({ path: fx[name] });
      expect(r.headerRowNumber).toBe(4);
      expect(mapped(r)).toEqual({ Category: 'category', 'Item Description': 'name', Brand: 'brand', UPC: 'ean', Qty: 'quantity', 'Retail Per Unit': 'retail_price', 'Total Retail': 'retail_price', Condition: 'condition', 'Pallet ID': 'pallet_id' });
      expect(r.stats.lines).toBe(10);
      expect(byRow(r.lines, 5)?.values).toMatchObject({ ean: '027242920613', quantity: 2, retail_price: 349.99, condition: 'used_good', category: 'electronics' });
      // Hazmat is blocked by the shipped template; the line keeps its explanation.
      const hazmat = byRow(r.lines, 11);
      expect(hazmat?.status).toBe('blocked');
      expect(hazmat?.fired[0]?.ruleId).toBe('tpl-blocked-categories');
      // "Total Retail" checks the unit column and stays with the row.
      expect(byRow(r.lines, 6)?.source[6]).toBe(119.97);
      expect(r.mapping.columns[6]).toMatchObject({ field: 'retail_price', total: true });
      expect(r.stats.statuses.blocked).toBe(1);
      expect(r.valuation.totalRetail).toBeGreaterThan(1500);
    }
  });

  it('imports an Amazon liquidation manifest with hostile headers', async () => {
    const r = await runImport({ path: fx['amazon.xlsx'] });
    expect(r.sheet).toBe('Liquidation');
    expect(mapped(r)).toEqual({ LPN: 'code1', ASIN: 'asin', FNSKU: 'fc_sku', EAN: 'ean', 'Item Description': 'name', 'GL Description': 'category', Units: 'quantity', 'Unit Retail': 'retail_price', 'Ext. Retail': 'retail_price', Condition: 'condition' });
    expect(r.mapping.columns.slice(10).map((c) => [c.header, c.field])).toEqual([
      ['__proto__', null],
      ['constructor', null],
    ]);
    const kindle = byRow(r.lines, 5);
    expect(kindle?.source[10]).toBe('{"polluted":true}');
    expect(kindle?.values).toMatchObject({ asin: 'B08N5WRWNW', fc_sku: 'X002ABC124', quantity: 2, condition: 'used_good', category: 'electronics' });
    expect(byRow(r.lines, 9)?.issues.map((i) => i.code)).toContain('ean_checksum');
    const raw = unmappedCells(kindle as ScoredLine, r.mapping);
    expect(raw.get('__proto__')).toBe('{"polluted":true}');
    expect(raw.get('constructor')).toBe('prototype');
    // Ext. Retail is mapped now (it checks Unit Retail); the cell stays in the row's source.
    expect(kindle?.source[r.mapping.columns.findIndex((c) => c.header === 'Ext. Retail')]).toBe(259.98);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(ImportSummarySchema.safeParse(r).success).toBe(true);
  });

  it('imports a Polish manifest: two-row header, "1 234,56 zł", VAT, footer, hyperlink photo', async () => {
    const r = await runImport({ path: fx['polish.xlsx'] });
    expect(r.headerRowNumber).toBe(5);
    expect(mapped(r)).toMatchObject({ 'Nazwa produktu': 'name', 'Kod EAN': 'ean', Ilość: 'quantity', 'Cena netto': 'price_net', 'Cena brutto': 'price_gross', 'Stawka VAT': 'vat_rate', Stan: 'condition', Paleta: 'pallet_id', Zdjęcie: 'photo_url' });
    expect(r.stats).toMatchObject({ rows: 9, lines: 7, skipped: { blank: 1, summary: 1, repeated_header: 0 } });
    expect(byRow(r.lines, 6)?.values).toMatchObject({ price_net: 1234.56, price_gross: 1518.51, quantity: 1, vat_rate: 23, condition: 'new', currency: 'PLN', photo_url: 'https://cdn.example.pl/img/ekspres-1.jpg' });
    const fertiliser = byRow(r.lines, 11);
    expect(fertiliser?.values.vat_rate).toBe(0);
    expect(fertiliser?.issues.map((i) => `${i.field}:${i.kind}:${i.code}`)).toEqual(['ean:rejected:ean_length']);
    expect(byRow(r.lines, 12)?.issues.map((i) => i.code)).toContain('negative');
    expect(byRow(r.lines, 12)?.values.condition).toBe('salvage');
    expect(r.stats.issuesByField).toEqual(expect.arrayContaining([{ field: 'ean', rejected: 1, guessed: 0 }]));
    expect(r.stats.issueSamples).toContainEqual(expect.objectContaining({ row: 11, field: 'ean', kind: 'rejected', code: 'ean_length', raw: '12345' }));
    // "brak" (none) in a price is an empty cell, not a rejected number.
    expect(byRow(r.lines, 11)?.values.price_net).toBeNull();
  });

  it('imports a Polish CSV saved in windows-1250 with semicolons', async () => {
    const r = await runImport({ path: fx['polish.csv'] });
    expect(r.file.format).toBe('csv');
    expect(r.lines?.map((l) => [l.values.name, l.values.price_net, l.values.price_gross])).toEqual([
      ['Żelazko parowe', 1234.56, 1518.51],
      ['Łóżeczko dziecięce', 349, 429.27],
      ['Śrubokręt zestaw', 12.5, 15.38],
    ]);
  });

  it('imports a German ODS manifest with € prices, MwSt and a formula column', async () => {
    const r = await runImport({ path: fx['german.ods'] });
    expect(mapped(r)).toMatchObject({ Artikelnummer: 'sku', Bezeichnung: 'name', Menge: 'quantity', 'Netto-Preis': 'price_net', UVP: 'retail_price', MwSt: 'vat_rate', Zustand: 'condition' });
    expect(byRow(r.lines, 4)?.values).toMatchObject({ price_net: 1234.56, retail_price: 1899, vat_rate: 19, currency: 'EUR', condition: 'used_good', price_gross: 1469.13 });
    expect(byRow(r.lines, 9)?.values).toMatchObject({ price_net: 12, vat_rate: 7, condition: 'salvage' });
    expect(byRow(r.lines, 5)?.source[11]).toBeCloseTo(179.8, 6);
  });
});

describe('import pipeline mechanics', () => {
  it('previews, takes the user\'s mapping, and stores through the PalletStore in batches', async () => {
    const reader = await openSpreadsheet(fx['bstock.xlsx']);
    try {
      const preview = await previewImport(reader, { sampleSize: 3 });
      expect(ImportPreviewSchema.safeParse(preview).success).toBe(true);
      // The confirmed mapping travels back over IPC inside an import request.
      expect(ImportRequestSchema.safeParse({ path: fx['bstock.xlsx'], mapping: preview.mapping, dryRun: true }).success).toBe(true);
      expect(preview.sample).toHaveLength(3);
      expect(preview.dataRows).toBe(10);
      // The user maps "Total Retail" instead of the unit column; the normaliser divides by quantity.
      const retailIdx = preview.mapping.columns.findIndex((c) => c.header === 'Total Retail');
      const mapping = setColumnField(preview.mapping, retailIdx, 'retail_price', true);
      const store = new MemoryPalletStore();
      const r = await runImport({ reader, mapping, store, batchSize: 4, chunkRows: 3 });
      expect(store.info).toMatchObject({ sheet: 'Manifest', headerRowNumber: 4 });
      expect(store.lines).toHaveLength(10);
      expect(store.batches).toBe(3);
      expect(store.summary?.stats.lines).toBe(10);
      expect(r.lines).toBeNull();
      expect(store.lines[0]?.values.retail_price).toBe(349.99);
      expect(mappingToOverride(mapping).columns[retailIdx]).toEqual({ header: 'Total Retail', field: 'retail_price' });
    } finally {
      await reader.close();
    }
  });

  it('applies a remembered override for the same header signature', async () => {
    const first = await runImport({ path: fx['bstock.xlsx'] });
    const override = mappingToOverride(setColumnField(first.mapping, 2, null));
    const second = await runImport({ path: fx['bstock.xlsx'], override });
    expect(second.mapping.columns[2]?.field).toBeNull();
    expect(second.lines?.[0]?.values.brand).toBeNull();
  });

  it('re-importing the same file gives the same content hash; a changed file does not', async () => {
    const a = await runImport({ path: fx['german.ods'] });
    const b = await runImport({ path: fx['german.ods'] });
    expect(a.file.fileHash).toBe(b.file.fileHash);
    const copy = join(dir, 'german-2.xlsx');
    writeFileSync(copy, workbookBytes([{ name: 'X', aoa: [['Name', 'Qty'], ['a', 1]] }], 'xlsx'));
    expect((await runImport({ path: copy })).file.fileHash).not.toBe(a.file.fileHash);
  });

  it('scores with the caller\'s rules and reports progress up to done', async () => {
    const rules: Rule[] = [{ id: 'r1', name: 'Cheap toys', type: 'product', action: 'prefer', weight: 3, enabled: true, scope: 'user', when: { all: [{ field: 'category', op: 'equals', value: 'toys' }, { field: 'retail_price', op: 'lt', value: 100 }] } }];
    const progress: ImportProgress[] = [];
    const r = await runImport({ path: fx['bstock.xlsx'], rules, onProgress: (p) => progress.push(p) });
    expect(byRow(r.lines, 7)).toMatchObject({ score: 65, status: 'ok' });
    expect(r.stats.statuses).toEqual({ ok: 10, warning: 0, blocked: 0 });
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual(['reading', 'parsing', 'mapping', 'processing', 'done']);
    const processing = progress.filter((p) => p.phase === 'processing');
    expect(processing.at(-1)).toMatchObject({ done: 10, total: 10 });
  });

  it('rolls the store back when cancelled mid-import', async () => {
    const big = join(dir, 'big.xlsx');
    writeFileSync(big, workbookBytes([{ name: 'Big', aoa: largeManifestAoa(8000) }], 'xlsx'));
    const controller = new AbortController();
    const store = new MemoryPalletStore();
    let exited = false;
    let err: AppError | null = null;
    try {
      await runImport({
        path: big,
        store,
        signal: controller.signal,
        chunkRows: 500,
        batchSize: 500,
        onWorkerExit: () => (exited = true),
        onProgress: (p) => {
          if (p.phase === 'processing' && p.done >= 1000) controller.abort();
        },
      });
    } catch (e) {
      err = e as AppError;
    }
    expect(err).toMatchObject({ code: 'CANCELLED' });
    expect(store.rolledBack).not.toBeNull();
    expect(store.summary).toBeNull();
    expect(store.lines).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(exited).toBe(true);
  });

  it('fails clearly when no header row exists and when the sheet is unknown', async () => {
    const one = join(dir, 'one-column.xlsx');
    writeFileSync(one, workbookBytes([{ name: 'Notes', aoa: [['just a note'], ['another note']] }], 'xlsx'));
    await expect(runImport({ path: one })).rejects.toMatchObject({ code: 'IMPORT_ERROR', message: 'No header row was found in sheet "Notes": no row in the first 40 has two or more filled cells.' });
    await expect(runImport({ path: fx['amazon.xlsx'], sheet: 'Missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
