import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellValue } from '@shared/pallets/fields';
import { openSpreadsheet } from '@main/pallets/reading/spreadsheet';
import { NS, sheetOf, workbook, writeHostileFiles } from './hostile-xlsx';

/*
 * Hostile spreadsheets, mostly .xlsx (issue 13 item 3). Before the bounds, a 1.2 MB file holding one 1.2 GB string,
 * a zip bomb and 1.2 G characters of shared strings ran for minutes, an 8 MB shared string took 8 s,
 * hyperlinks over the whole sheet never finished in SheetJS. Each file must end, imported or refused in
 * one clear sentence, within the test's timeout (20 s, the bound; no timing assertion) and within the
 * worker's resource limits (its V8 heap is capped; peak RSS of this run is in the session report).
 */

const dir = mkdtempSync(join(tmpdir(), 'fm-hostile-xlsx-'));
let paths: Record<string, string> = {};
beforeAll(() => {
  paths = writeHostileFiles(dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IMPORTED = 'imported';
const expected: Record<string, RegExp | typeof IMPORTED> = {
  'one-8mb-shared-string.xlsx': /^The spreadsheet holds a text longer than 2 MB\.$/,
  'nested-in-shared-string.xlsx': /nests elements more than 64 deep/,
  // Nesting the streaming reader never reads with patterns (after a plain string's text, before the
  // sheet's rows) is skipped in one pass and the file imports; nesting it would read is refused.
  'nested-rph-in-shared-string.xlsx': IMPORTED,
  'nested-in-cell.xlsx': /nests elements more than 64 deep/,
  'nested-before-sheet-data.xlsx': IMPORTED,
  'unclosed-nesting.xlsx': /nests elements more than 64 deep/,
  'cell-of-1.2gb.xlsx': /^The spreadsheet unpacks to more than 512 MB/,
  'value-of-1.2gb.xlsx': /^The spreadsheet unpacks to more than 512 MB/,
  'many-30k-strings.xlsx': /^The spreadsheet unpacks to more than 512 MB/,
  'cell-of-400mb.xlsx': /^A row of the sheet "Sheet1" is larger than 16 MB\.$/,
  'shared-strings-of-400mb.xlsx': /^The spreadsheet's shared text is larger than 128 MB\.$/,
  'rows-of-blanks-480mb.xlsx': IMPORTED,
  'sheet-lying-size.xlsx': /^The file is damaged and cannot be read as a spreadsheet/,
  'fallback-300mb.xlsx': /^The spreadsheet unpacks to more than 192 MB/,
  'fallback-hyperlinks.xlsx': /^The spreadsheet's hyperlinks cover more than 2,000,000 cells\.$/,
  'fallback-nested.xlsx': /nests elements more than 64 deep/,
  'zip-bomb.xlsx': /^The spreadsheet unpacks to more than 512 MB/,
  'zip-bomb-lying-size.xlsx': /^The file is a ZIP archive, not a spreadsheet\.$/,
  'rows-of-blanks.xlsx': /^The spreadsheet unpacks to more than 512 MB/,
  'huge-declared-extent.xlsx': /^The sheet "Sheet1" has 1,048,576 rows; the limit is 300,000\.$/,
  'huge-row-number.xlsx': /^The sheet "Sheet1" has 999,999,999 rows; the limit is 300,000\.$/,
  'wide-merge-only.xlsx': IMPORTED,
  'many-hyperlinks.xlsx': IMPORTED,
  'valid.xlsx': IMPORTED,
  'broken-cut.xlsx': /^The file is damaged and cannot be read as a spreadsheet/,
  'broken-directory.xlsx': /^The file is damaged and cannot be read as a spreadsheet/,
  'broken-random.xlsx': /^The file is damaged and cannot be read as a spreadsheet/,
  // Read by SheetJS itself.
  'repeated-cells.ods': /^The spreadsheet declares more than 10,000,000 cells\.$/,
  'repeated-cells.fods': /^The spreadsheet declares more than 10,000,000 cells\.$/,
  'merges.html': /^The spreadsheet has too many merged cells for its size\.$/,
};

/** Open, read the head and stream every row of the first sheet, as an import does; or the error. */
async function outcome(path: string): Promise<{ rows: CellValue[][] } | { error: string }> {
  try {
    const reader = await openSpreadsheet(path);
    try {
      const sheet = reader.file.sheets[0]?.name ?? '';
      await reader.head(sheet, 30);
      const rows: CellValue[][] = [];
      for await (const chunk of reader.rows(sheet, 0, { release: true })) rows.push(...chunk.rows);
      return { rows };
    } finally {
      await reader.close();
    }
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

describe('hostile .xlsx files', () => {
  it('the generator makes every file the expectations name', () => {
    expect(Object.keys(paths).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))('%s ends, imported or refused in one clear sentence', { timeout: 20_000 }, async (name) => {
    const result = await outcome(paths[name] ?? '');
    const want = expected[name];
    if (want === IMPORTED) {
      expect(result).not.toHaveProperty('error');
      return;
    }
    expect(result).toHaveProperty('error');
    const message = 'error' in result ? result.error : '';
    expect(message).toMatch(want ?? /never/);
    // One sentence: no line break, ends with a full stop, no second sentence, no stack or error name.
    expect(message).toMatch(/^[A-Z][^\n]*\.$/);
    expect(message).not.toMatch(/\.\s+[A-Z]|Error:/);
  });

  it('a file within the caps that needs more memory than the worker has fails its import, not the app', { timeout: 20_000 }, async () => {
    // 60 MB of shared strings is within the caps; a 32 MB heap cannot hold them.
    const path = join(dir, 'needs-memory.xlsx');
    writeFileSync(path, workbook(sheetOf({ text: '<row r="2"><c r="A2" t="s"><v>0</v></c></row>' }), [{ text: `<sst xmlns="${NS}">` }, { text: `<si><t>${'c'.repeat(30_000)}</t></si>`.repeat(35), times: 60 }, { text: '</sst>' }]));
    const error = await openSpreadsheet(path, { resourceLimits: { maxOldGenerationSizeMb: 32 } }).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toBe('The spreadsheet is too large to read in the memory available.');
  });

  it('reads the valid file exactly', { timeout: 20_000 }, async () => {
    expect(await outcome(paths['valid.xlsx'] ?? '')).toEqual({ rows: [['Name', 'Qty'], ['Kettle', 3]] });
  });
});
