import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempCore } from '../../test/helpers/temp-core';
import { exportKnowledgeJson, exportKnowledgeXlsx, importKnowledge, parseKnowledgeXlsx } from './import-export';
import { findByKey, listKnowledge } from './knowledge-repo';
import { seedDefaultPack } from './seed';

/** The parse as it was, SheetJS on the main thread: the worker path must give the same records. */
function mainThreadParse(data: Uint8Array): unknown[] {
  const workbook = XLSX.read(data, { type: 'array', dense: true });
  const name = workbook.SheetNames.find((n) => n.toLowerCase() === 'knowledge') ?? workbook.SheetNames[0];
  const rows = XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[name ?? '']!, { header: 1, defval: '', raw: false });
  const [header, ...body] = rows;
  const names = (header ?? []).map((h) => String(h).trim().toLowerCase());
  return body.filter((row) => row.some((cell) => String(cell).trim() !== '')).map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] === undefined ? '' : String(row[i])])));
}

const source = createTempCore();
const target = createTempCore();
afterAll(async () => {
  await source.close();
  await target.close();
});
seedDefaultPack(source.db);
const total = listKnowledge(source.db, { limit: 5000 }).total;

describe('knowledge export and import', () => {
  it('round-trips JSON into an empty store, then re-importing changes nothing', async () => {
    const json = exportKnowledgeJson(source.db);
    expect(JSON.parse(json)).toMatchObject({ format: 'fieldmate-knowledge', version: 1 });
    expect(await importKnowledge(target.db, 'json', json)).toEqual({ created: total, updated: 0, unchanged: 0, errors: [] });
    expect(await importKnowledge(target.db, 'json', json)).toEqual({ created: 0, updated: 0, unchanged: total, errors: [] });
    const a = listKnowledge(source.db, { limit: 5000 }).entries.map(({ createdAt: _c, updatedAt: _u, origin: _o, ...e }) => e);
    const b = listKnowledge(target.db, { limit: 5000 }).entries.map(({ createdAt: _c, updatedAt: _u, origin: _o, ...e }) => e);
    expect(b).toEqual(a);
  });

  it('round-trips .xlsx (tags, nulls, Polish text) and updates entries by key', async () => {
    const bytes = exportKnowledgeXlsx(source.db, { language: 'pl' });
    const records = await parseKnowledgeXlsx(bytes);
    expect(records).toHaveLength(listKnowledge(source.db, { language: 'pl', limit: 5000 }).total);
    const edited = (records as Record<string, string>[]).map((r) => (r.key === 'response.price.1' ? { ...r, id: '', body: 'Zmieniona odpowiedź — żółć' } : r));
    const sheet = XLSX.utils.json_to_sheet(edited);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Knowledge');
    const report = await importKnowledge(target.db, 'xlsx', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer));
    expect(report.errors).toEqual([]);
    expect(report.updated).toBe(1);
    expect(findByKey(target.db, 'response.price.1', 'pl')?.body).toBe('Zmieniona odpowiedź — żółć');
    const skeptic = findByKey(target.db, 'archetype.skeptic', 'pl');
    expect(JSON.parse(skeptic!.tagsJson)).toContain('@trust');
  });

  it('writes every cell as text, so a title starting with = is not a formula', async () => {
    await importKnowledge(target.db, 'json', JSON.stringify([{ kind: 'product', language: 'en', title: '=HYPERLINK("http://x","y")', body: '+1', tags: ['@price'] }]));
    const workbook = XLSX.read(exportKnowledgeXlsx(target.db, { kind: 'product', language: 'en' }), { type: 'array' });
    const sheet = workbook.Sheets.Knowledge!;
    const cells = Object.entries(sheet).filter(([k]) => !k.startsWith('!')).map(([, v]) => v as XLSX.CellObject);
    expect(cells.every((cell) => cell.t === 's' && cell.f === undefined)).toBe(true);
  });

  it('reports invalid rows by number and imports the valid ones', async () => {
    const report = await importKnowledge(
      target.db,
      'json',
      JSON.stringify({ entries: [{ kind: 'response', language: 'en', title: 'Fine', body: 'ok' }, { kind: 'spell', language: 'en', title: 'x', body: '' }, { kind: 'response', language: 'de', title: 'x', body: '' }, 42] }),
    );
    expect(report.created).toBe(1);
    expect(report.errors.map((e) => e.row)).toEqual([2, 3, 4]);
  });

  it('refuses files that are not what they claim with a clear error', async () => {
    await expect(importKnowledge(target.db, 'json', '{not json')).rejects.toThrow(/not valid JSON/);
    await expect(importKnowledge(target.db, 'json', '{"rows": []}')).rejects.toThrow(/no knowledge entries/);
    await expect(importKnowledge(target.db, 'xlsx', new TextEncoder().encode('plain text, not a workbook'))).rejects.toThrow(/first row must name the columns/);
    await expect(importKnowledge(target.db, 'xlsx', new TextEncoder().encode('%PDF-1.4 not a workbook'))).rejects.toThrow(/^The file is a PDF document, not a spreadsheet\.$/);
  });

  it('reads a workbook as the SheetJS path on the main thread did (text, numbers, booleans, blank rows, the Knowledge sheet)', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['ignored'], ['x']]), 'Notes');
    const aoa = [
      [' Kind ', 'Language', 'Title', 'Body', 'Tags', 'Category'],
      ['product', 'en', 'Price 12', 12.5, '@price | @x', true],
      [],
      ['response', 'pl', 0.1 + 0.2, 'Żółć & <tag>', '', 1234567890123],
    ];
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(aoa), 'Knowledge');
    const bytes = new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    expect(await parseKnowledgeXlsx(bytes)).toEqual(mainThreadParse(bytes));
    const exported = exportKnowledgeXlsx(source.db);
    expect(await parseKnowledgeXlsx(exported)).toEqual(mainThreadParse(exported));
  });
});
