import { afterAll, describe, expect, it } from 'vitest';
import { importKnowledge } from '@main/knowledge/import-export';
import { createTempCore } from '../helpers/temp-core';
import { hostileFiles } from './hostile-xlsx';

/*
 * Knowledge .xlsx import (issue 13 item 4): SheetJS ran on the main thread, so a 1.1 MB file froze the
 * core for 10 s and took 2.15 GB, and hyperlinks over a whole sheet never finished. The file is now
 * parsed in the spreadsheet worker with the pallet import's bounds: each hostile file is refused in one
 * sentence within the test's timeout (the bound; no timing assertion) and nothing is imported.
 */

const core = createTempCore();
afterAll(() => core.close());
const files = hostileFiles();

const cases: [string, RegExp][] = [
  ['shared-strings-of-400mb.xlsx', /^The spreadsheet's shared text is larger than 128 MB\.$/],
  ['many-30k-strings.xlsx', /^The spreadsheet unpacks to more than 512 MB/],
  ['one-8mb-shared-string.xlsx', /^The spreadsheet holds a text longer than 2 MB\.$/],
  ['nested-in-cell.xlsx', /nests elements more than 64 deep/],
  ['fallback-hyperlinks.xlsx', /^The spreadsheet's hyperlinks cover more than 2,000,000 cells\.$/],
  ['fallback-300mb.xlsx', /^The spreadsheet unpacks to more than 192 MB/],
  ['cell-of-400mb.xlsx', /^A row of the sheet "Sheet1" is larger than 16 MB\.$/],
  ['broken-directory.xlsx', /^The file is damaged and cannot be read as a spreadsheet/],
];

describe('hostile knowledge spreadsheets', () => {
  it.each(cases)('%s is refused in one sentence', { timeout: 20_000 }, async (name, message) => {
    const bytes = files[name]?.() ?? Buffer.alloc(0);
    const error = await importKnowledge(core.db, 'xlsx', new Uint8Array(bytes)).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(message);
    expect(error?.message).toMatch(/^[A-Z][^\n]*\.$/);
  });

  it('a hostile row count is refused by the row limit, not read', { timeout: 20_000 }, async () => {
    const error = await importKnowledge(core.db, 'xlsx', new Uint8Array(files['huge-row-number.xlsx']?.() ?? Buffer.alloc(0))).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toBe('The sheet "Sheet1" has 999,999,999 rows; the limit is 20,000.');
  });
});
