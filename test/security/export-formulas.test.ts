import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { emptyLineValues } from '@shared/pallets/fields';
import { couldRunAsFormula, exportToXlsx, neutraliseForCsv, type ExportLine } from '@main/pallets/export/xlsx-writer';
import { tempDir } from '../helpers/temp-core';

/** Texts that Excel or LibreOffice would read as a formula if typed or pasted as they are. */
const HOSTILE = ['=1+1', '\n=1+1', '\r\n=HYPERLINK("http://evil.example","x")', '  =1+1', '\t@SUM(A1)', '\u00a0+1', '\ufeff-2+3', '\u200b=1', '＝1+1', "=cmd|' /C calc'!A0"];
const HARMLESS = ['Kettle', 'Kettle = 2 pcs', 'e-mail', '5901234123457'];

function zipPart(file: string, name: string): string {
  const container = XLSX.CFB.read(fs.readFileSync(file), { type: 'buffer' });
  const entry = XLSX.CFB.find(container, `/${name}`);
  if (!entry?.content) throw new Error(`${name} is missing`);
  return Buffer.from(entry.content as Uint8Array).toString('utf8');
}

describe('formula injection in exports', () => {
  it('recognises formula starts after leading whitespace and invisible characters, and CSV text gets an apostrophe', () => {
    for (const text of HOSTILE) {
      expect(couldRunAsFormula(text), JSON.stringify(text)).toBe(true);
      expect(neutraliseForCsv(text)).toBe(`'${text}`);
    }
    for (const text of HARMLESS) expect(neutraliseForCsv(text)).toBe(text);
  });

  it('.xlsx: every text is a typed shared-string cell, no formula, and the value is kept exactly (no visible apostrophe)', async () => {
    const dir = tempDir('fm-formulas-');
    const out = path.join(dir, 'hostile.xlsx');
    const lines: ExportLine[] = [...HOSTILE, ...HARMLESS].map((text, i) => ({
      row: i + 2,
      source: [text, i],
      values: { ...emptyLineValues(), name: text, quantity: i },
      score: 50,
      status: 'ok',
      fired: [],
      issues: [],
    }));
    await exportToXlsx({ path: out, headers: ['\n=Name', 'Qty'], lines, summary: [['  =label', 1]] });
    for (const sheet of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
      const xml = zipPart(out, sheet);
      expect(xml).not.toMatch(/<f[ >]/);
      expect(xml).not.toMatch(/t="(str|inlineStr)"/);
    }
    const wb = XLSX.read(fs.readFileSync(out), { type: 'buffer', cellFormula: true });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Lines as XLSX.WorkSheet, { header: 1, raw: true });
    expect(rows[0]?.[1]).toBe('\n=Name');
    // XML itself turns a CR into LF (line-end normalisation); everything else comes back as written.
    expect(rows.slice(1).map((r) => r[1])).toEqual([...HOSTILE, ...HARMLESS].map((t) => t.replace(/\r\n?/g, '\n')));
    const summary = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Summary as XLSX.WorkSheet, { header: 1, raw: true });
    expect(summary[0]).toEqual(['  =label', 1]);
  });
});
