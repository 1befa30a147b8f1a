import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempCore } from '../../test/helpers/temp-core';
import { exportKnowledgeJson, exportKnowledgeXlsx, importKnowledge, parseKnowledgeXlsx } from './import-export';
import { findByKey, listKnowledge } from './knowledge-repo';
import { seedDefaultPack } from './seed';

const source = createTempCore();
const target = createTempCore();
afterAll(async () => {
  await source.close();
  await target.close();
});
seedDefaultPack(source.db);
const total = listKnowledge(source.db, { limit: 5000 }).total;

describe('knowledge export and import', () => {
  it('round-trips JSON into an empty store, then re-importing changes nothing', () => {
    const json = exportKnowledgeJson(source.db);
    expect(JSON.parse(json)).toMatchObject({ format: 'fieldmate-knowledge', version: 1 });
    expect(importKnowledge(target.db, 'json', json)).toEqual({ created: total, updated: 0, unchanged: 0, errors: [] });
    expect(importKnowledge(target.db, 'json', json)).toEqual({ created: 0, updated: 0, unchanged: total, errors: [] });
    const a = listKnowledge(source.db, { limit: 5000 }).entries.map(({ createdAt: _c, updatedAt: _u, origin: _o, ...e }) => e);
    const b = listKnowledge(target.db, { limit: 5000 }).entries.map(({ createdAt: _c, updatedAt: _u, origin: _o, ...e }) => e);
    expect(b).toEqual(a);
  });

  it('round-trips .xlsx (tags, nulls, Polish text) and updates entries by key', () => {
    const bytes = exportKnowledgeXlsx(source.db, { language: 'pl' });
    const records = parseKnowledgeXlsx(bytes);
    expect(records).toHaveLength(listKnowledge(source.db, { language: 'pl', limit: 5000 }).total);
    const edited = (records as Record<string, string>[]).map((r) => (r.key === 'response.price.1' ? { ...r, id: '', body: 'Zmieniona odpowiedź — żółć' } : r));
    const sheet = XLSX.utils.json_to_sheet(edited);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Knowledge');
    const report = importKnowledge(target.db, 'xlsx', new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer));
    expect(report.errors).toEqual([]);
    expect(report.updated).toBe(1);
    expect(findByKey(target.db, 'response.price.1', 'pl')?.body).toBe('Zmieniona odpowiedź — żółć');
    const skeptic = findByKey(target.db, 'archetype.skeptic', 'pl');
    expect(JSON.parse(skeptic!.tagsJson)).toContain('@trust');
  });

  it('writes every cell as text, so a title starting with = is not a formula', () => {
    importKnowledge(target.db, 'json', JSON.stringify([{ kind: 'product', language: 'en', title: '=HYPERLINK("http://x","y")', body: '+1', tags: ['@price'] }]));
    const workbook = XLSX.read(exportKnowledgeXlsx(target.db, { kind: 'product', language: 'en' }), { type: 'array' });
    const sheet = workbook.Sheets.Knowledge!;
    const cells = Object.entries(sheet).filter(([k]) => !k.startsWith('!')).map(([, v]) => v as XLSX.CellObject);
    expect(cells.every((cell) => cell.t === 's' && cell.f === undefined)).toBe(true);
  });

  it('reports invalid rows by number and imports the valid ones', () => {
    const report = importKnowledge(
      target.db,
      'json',
      JSON.stringify({ entries: [{ kind: 'response', language: 'en', title: 'Fine', body: 'ok' }, { kind: 'spell', language: 'en', title: 'x', body: '' }, { kind: 'response', language: 'de', title: 'x', body: '' }, 42] }),
    );
    expect(report.created).toBe(1);
    expect(report.errors.map((e) => e.row)).toEqual([2, 3, 4]);
  });

  it('refuses files that are not what they claim with a clear error', () => {
    expect(() => importKnowledge(target.db, 'json', '{not json')).toThrow(/not valid JSON/);
    expect(() => importKnowledge(target.db, 'json', '{"rows": []}')).toThrow(/no knowledge entries/);
    expect(() => importKnowledge(target.db, 'xlsx', new TextEncoder().encode('plain text, not a workbook'))).toThrow(/first row must name the columns|not a readable spreadsheet/);
  });
});
