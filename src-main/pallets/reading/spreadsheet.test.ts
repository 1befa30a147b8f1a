import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import type { AppError } from '@shared/contract/errors';
import type { ImportProgress } from '@shared/pallets/schemas';
import { defaultWorkerEntry, openSpreadsheet } from './spreadsheet';
import { largeManifestAoa, workbookBytes, writeFixtures, type FixtureName } from '../../../test/helpers/pallet-fixtures';

let dir: string;
let fx: Record<FixtureName, string>;
let big: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fm-sheet-'));
  fx = writeFixtures(dir);
  big = join(dir, 'big.xlsx');
  writeFileSync(big, workbookBytes([{ name: 'Big', aoa: largeManifestAoa(8000) }], 'xlsx'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a failure');
}

describe('spreadsheet worker', () => {
  it('lists sheets, hashes the file and reads values (numbers, dates, formulas, zero-padded codes)', async () => {
    const progress: ImportProgress[] = [];
    const reader = await openSpreadsheet(fx['polish.xlsx'], { onProgress: (p) => progress.push(p) });
    try {
      expect(reader.file).toMatchObject({ fileName: 'polish.xlsx', format: 'xlsx' });
      expect(reader.file.fileHash).toMatch(/^[0-9a-f]{64}$/);
      expect(reader.file.sheets).toEqual([{ index: 0, name: 'Arkusz1', rows: 14, columns: 12, hidden: false }]);
      // The fast .xlsx reader read it, reporting parse progress as the worksheet inflates.
      expect(reader.reader).toBe('fast');
      expect([...new Set(progress.map((p) => p.phase))]).toEqual(['reading', 'parsing']);
      const parsed = progress.filter((p) => p.phase === 'parsing' && p.total !== null).map((p) => p.done / (p.total ?? 1));
      expect(parsed.at(-1)).toBe(1);
      expect(parsed).toEqual([...parsed].sort((a, b) => a - b));
      const head = await reader.head('Arkusz1', 10);
      expect(head.rows[1]).toEqual(['Data dostawy:', '2026-11-22', null, null, null, null, null, null, null, null, null, null]);
      expect(head.rows[5]?.[11]).toBe('https://cdn.example.pl/img/ekspres-1.jpg');
      expect(head.merges).toContainEqual({ s: { r: 3, c: 6 }, e: { r: 3, c: 7 } });
    } finally {
      await reader.close();
    }
    const german = await openSpreadsheet(fx['german.ods']);
    const g = await german.head('Tabelle1', 5);
    await german.close();
    expect(g.rows[3]?.[11]).toBe(1234.56);
    const bstock = await openSpreadsheet(fx['bstock.xlsx']);
    const b = await bstock.head('Manifest', 6);
    await bstock.close();
    expect(b.rows[4]?.[3]).toBe('027242920613');
  });

  it('falls back to SheetJS for an .xlsx the fast reader declines (ISO date cells), with a log line', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Nazwa', 'Data'], ['Ekspres', new Date(Date.UTC(2026, 10, 22))]], { cellDates: true }), 'Arkusz1');
    const path = join(dir, 'iso-dates.xlsx');
    writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer);
    const log: string[] = [];
    const reader = await openSpreadsheet(path, { onLog: (m) => log.push(m) });
    try {
      expect(reader.reader).toBe('sheetjs');
      expect(log.join('\n')).toMatch(/fast .xlsx reader declined the file \(cell type d\)/);
      expect((await reader.head('Arkusz1', 5)).rows).toEqual([
        ['Nazwa', 'Data'],
        ['Ekspres', '2026-11-22'],
      ]);
    } finally {
      await reader.close();
    }
  });

  it('streams rows in chunks with source positions', async () => {
    const reader = await openSpreadsheet(big);
    let rows = 0;
    const starts: number[] = [];
    for await (const chunk of reader.rows('Big', 3, { chunkRows: 2000 })) {
      starts.push(chunk.start);
      rows += chunk.rows.length;
    }
    await reader.close();
    expect(starts).toEqual([3, 2003, 4003, 6003]);
    expect(rows).toBe(8000);
  });

  it('is cancelled by an AbortSignal while parsing, and the worker thread exits', async () => {
    const controller = new AbortController();
    let exited: number | null = null;
    const p = openSpreadsheet(big, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.phase === 'parsing') controller.abort();
      },
      onWorkerExit: (code) => (exited = code),
    });
    const err = await failure(p);
    expect(err).toMatchObject({ code: 'CANCELLED', message: 'The import was cancelled.' });
    await new Promise((r) => setTimeout(r, 50));
    expect(exited).not.toBeNull();
  });

  it('is cancelled while streaming', async () => {
    const controller = new AbortController();
    const reader = await openSpreadsheet(big, { signal: controller.signal });
    let chunks = 0;
    const err = await failure(
      (async () => {
        for await (const chunk of reader.rows('Big', 3, { chunkRows: 1000 })) {
          chunks += chunk.rows.length > 0 ? 1 : 0;
          if (chunks === 2) controller.abort();
        }
      })(),
    );
    expect(err.code).toBe('CANCELLED');
    expect(chunks).toBeLessThan(8);
  });

  it.each([
    ['empty.xlsx', 'The file is empty.'],
    ['corrupt.xlsx', 'The file is damaged and cannot be read as a spreadsheet (the ZIP container is incomplete).'],
    ['picture.xlsx', 'The file is a PNG image, not a spreadsheet.'],
    ['archive.xlsx', 'The file is a ZIP archive, not a spreadsheet.'],
    ['encrypted.xlsx', 'The file is password-protected; save it without a password and import it again.'],
    ['blank-sheet.xlsx', 'The spreadsheet contains no data.'],
  ] as const)('%s fails with one clear sentence', async (name, message) => {
    const err = await failure(openSpreadsheet(fx[name]));
    expect(err).toMatchObject({ code: 'IMPORT_ERROR', message });
  });

  it('reports a missing file and a missing sheet clearly', async () => {
    expect(await failure(openSpreadsheet(join(dir, 'nope.xlsx')))).toMatchObject({ code: 'IMPORT_ERROR', message: 'The file does not exist or cannot be opened.' });
    const reader = await openSpreadsheet(fx['amazon.xlsx']);
    expect(await failure(reader.head('Nope', 5))).toMatchObject({ code: 'NOT_FOUND', message: 'There is no sheet named "Nope"; the sheets are: Info, Liquidation.' });
    await reader.close();
  });

  it('enforces limits on file size, rows, columns and cell length', async () => {
    expect(await failure(openSpreadsheet(fx['bstock.xlsx'], { limits: { maxFileBytes: 1000 } }))).toMatchObject({ message: expect.stringMatching(/^The file is \d+ kB; the limit is 1 kB\.$/) });
    const rows = await openSpreadsheet(big, { limits: { maxRows: 1000 } });
    expect(rows.file.sheets[0]?.rows).toBeGreaterThan(1000);
    expect(await failure(rows.head('Big', 10))).toMatchObject({ code: 'IMPORT_ERROR', message: expect.stringMatching(/^The sheet "Big" has [\d,]+ rows; the limit is 1,000\.$/) });
    await rows.close();
    // A CSV carries no sheet extent: the rows beyond the cap must still be refused, not silently dropped.
    const bigCsv = join(dir, 'big.csv');
    writeFileSync(bigCsv, ['Name;Qty;Price', ...Array.from({ length: 1500 }, (_, i) => `Item ${i};1;2,50`)].join('\n'));
    const csvRows = await openSpreadsheet(bigCsv, { limits: { maxRows: 1000 } });
    expect(await failure(csvRows.head(csvRows.file.sheets[0]?.name ?? '', 10))).toMatchObject({ code: 'IMPORT_ERROR', message: expect.stringMatching(/^The sheet ".+" has more than 1,100 rows; the limit is 1,000\.$/) });
    await csvRows.close();
    const fitsCsv = join(dir, 'fits.csv');
    writeFileSync(fitsCsv, ['Name;Qty;Price', ...Array.from({ length: 1000 }, (_, i) => `Item ${i};1;2,50`)].join('\n'));
    const fits = await openSpreadsheet(fitsCsv, { limits: { maxRows: 1000 } });
    expect((await fits.head(fits.file.sheets[0]?.name ?? '', 3)).totalRows).toBe(1001);
    await fits.close();
    const cols = await openSpreadsheet(fx['amazon.xlsx'], { limits: { maxColumns: 5 } });
    expect(await failure(cols.head('Liquidation', 10))).toMatchObject({ message: 'The sheet "Liquidation" has 12 columns; the limit is 5.' });
    await cols.close();
    const long = join(dir, 'long.xlsx');
    writeFileSync(long, workbookBytes([{ name: 'S', aoa: [['Name', 'Qty'], ['x'.repeat(500), 1]] }], 'xlsx'));
    const cells = await openSpreadsheet(long, { limits: { maxCellLength: 100 } });
    expect(await failure(cells.head('S', 10))).toMatchObject({ message: 'Cell A2 on sheet "S" is longer than 100 characters.' });
    await cells.close();
  });

  it('turns a worker that cannot start into a clear error', async () => {
    const err = await failure(openSpreadsheet(fx['bstock.xlsx'], { worker: { url: new URL('./no-such-worker.ts', import.meta.url), execArgv: defaultWorkerEntry().execArgv } }));
    expect(err).toMatchObject({ code: 'IMPORT_ERROR', message: 'The spreadsheet reader stopped unexpectedly.' });
  });
});
