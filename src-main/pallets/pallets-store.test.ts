import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel } from '@shared/contract';
import { applyMappingOverride, autoMapColumns } from '@shared/pallets/mapper';
import { createTempCore, tempDir } from '../../test/helpers/temp-core';
import { findAppRoot } from '../core/paths';
import { BULK_ROW_ID } from '../db/changes';
import { allLines, call, callError, importFile, rid, upload } from '../../test/helpers/pallets-channels';
import { findRememberedMapping, rememberMapping } from './store/mappings-repo';
import { mergeOverrides } from './import/overrides';
import { OpenFiles } from './reading/open-files';
import { palletWorkerEntry, throttledProgress } from '.';
import { listRules, templateRuleId } from './rules/rules-repo';
import { openSpreadsheet, type SpreadsheetReader } from './reading/spreadsheet';
import { writeFixtures, type FixtureName } from '../../test/helpers/pallet-fixtures';

let fx: Record<FixtureName, string>;
beforeAll(() => {
  fx = writeFixtures(tempDir('fm-pallet-store-'));
});

describe('storing an import for sync', () => {
  const core = createTempCore();
  afterAll(() => core.close());
  const outbox = () => core.db.$client.prepare('SELECT table_name, row_id, changes_json FROM sync_outbox ORDER BY seq').all() as { table_name: string; row_id: string; changes_json: string }[];

  it('queues the analysis row and ONE bulk entry for all its lines when the import commits', async () => {
    await call(core, 'pallets:rules', {}); // seeds the shipped rules (their own outbox entries)
    const before = outbox().length;
    const { imported } = await importFile(core, fx['bstock.xlsx']);
    const added = outbox().slice(before);
    expect(added.map((e) => [e.table_name, e.row_id === BULK_ROW_ID ? '*' : e.row_id])).toEqual([
      ['analyses', imported.analysisId],
      ['pallet_items', '*'],
    ]);
    const ids = (JSON.parse(added[1]?.changes_json ?? '{}') as { bulk: { ids: string[]; fields: null } }).bulk;
    expect(ids.fields).toBeNull();
    const stored = core.db.$client.prepare('SELECT id FROM pallet_items WHERE analysis_id = ?').pluck().all(imported.analysisId) as string[];
    expect(new Set(ids.ids)).toEqual(new Set(stored));
    expect(JSON.parse(added[0]?.changes_json ?? '{}')).toMatchObject({ status: 'ready', line_count: 10, name: 'bstock.xlsx' });
  });

  it('re-scoring queues one bulk update of only the lines that changed', async () => {
    const { imported } = await importFile(core, fx['german.ods']);
    const before = outbox().length;
    const unchanged = await call(core, 'pallets:rescore', { requestId: rid(), analysisId: imported.analysisId });
    expect(unchanged.changed).toBe(0);
    expect(outbox().slice(before).filter((e) => e.table_name === 'pallet_items')).toEqual([]);
    const saved = await call(core, 'pallets:saveRule', { draft: { name: 'Dyson only', type: 'product', action: 'warn', weight: 2, enabled: true, when: { field: 'brand', op: 'equals', value: 'dyson' } } });
    const result = await call(core, 'pallets:rescore', { requestId: rid(), analysisId: imported.analysisId });
    expect(result.changed).toBe(1);
    const bulk = outbox()
      .slice(before)
      .filter((e) => e.table_name === 'pallet_items')
      .map((e) => JSON.parse(e.changes_json) as { bulk: { ids: string[]; fields: string[] } });
    const dyson = (await allLines(core, imported.analysisId, { ruleId: saved.id }))[0];
    // The four small columns a re-score writes, never data_json (drizzle/0006).
    expect(bulk[0]?.bulk).toEqual({ ids: [dyson?.id], fields: ['score', 'status', 'fired_rules', 'blocking_rules', 'updated_at'] });
    await call(core, 'pallets:deleteRule', { id: saved.id });
  });
});

describe('rules seeding and remembered mappings', () => {
  it('seeds the shipped rules once per store with stable ids; a deleted one stays deleted', async () => {
    const dataDir = tempDir();
    const first = createTempCore({ dataDir });
    const rules = listRules(first.db);
    expect(rules.map((r) => r.templateId)).toEqual(['tpl-blocked-categories', 'tpl-invalid-ean', 'tpl-missing-price', 'tpl-unit-price-budget', 'tpl-preferred-brands', 'tpl-salvage-condition']);
    expect(rules[0]?.id).toBe(templateRuleId('tpl-blocked-categories'));
    await call(first, 'pallets:deleteRule', { id: templateRuleId('tpl-salvage-condition') });
    await first.close();
    const second = createTempCore({ dataDir });
    const again = await call(second, 'pallets:rules', {});
    expect(again.rules.map((r) => r.templateId)).not.toContain('tpl-salvage-condition');
    expect(again.rules).toHaveLength(5);
    expect(again.templates).toHaveLength(6);
    expect(second.db.$client.prepare('SELECT count(*) FROM rule_templates').pluck().get()).toBe(6);
    await second.close();
  });

  it('finds a mapping by header layout, else by supplier (folded), applied by header name', () => {
    const core = createTempCore();
    try {
      const headers = ['Nazwa', 'Ilość', 'Cena', 'Uwagi'];
      const mapping = autoMapColumns(headers, [['Kettle', 2, '10,00', 'x']]);
      rememberMapping(core.db, { signature: mapping.signature, columns: [{ header: 'Uwagi', field: 'description' }] }, 'Hurtownia Zwrotów');
      expect(findRememberedMapping(core.db, mapping.signature)?.match).toBe('signature');
      const other = autoMapColumns([...headers, 'Extra'], []);
      expect(findRememberedMapping(core.db, other.signature)).toBeNull();
      const bySupplier = findRememberedMapping(core.db, other.signature, 'hurtownia zwrotow');
      expect(bySupplier?.match).toBe('supplier');
      const merged = mergeOverrides(other.signature, bySupplier?.override ?? null, null);
      expect(applyMappingOverride(other, merged ?? { signature: '', columns: [] }).columns.find((c) => c.header === 'Uwagi')?.field).toBe('description');
      // The user's own choice for a header wins over the remembered one.
      const mine = mergeOverrides(other.signature, bySupplier?.override ?? null, { signature: other.signature, columns: [{ header: 'uwagi', field: 'code1' }] });
      expect(mine?.columns).toEqual([{ header: 'uwagi', field: 'code1' }]);
      // Remembering the same layout again updates the one row.
      rememberMapping(core.db, { signature: mapping.signature, columns: [{ header: 'Uwagi', field: null }] }, null);
      expect(core.db.$client.prepare('SELECT count(*) FROM column_mappings').pluck().get()).toBe(1);
      expect(findRememberedMapping(core.db, mapping.signature)?.override.columns).toEqual([{ header: 'Uwagi', field: null }]);
    } finally {
      void core.close();
    }
  });
});

describe('recovery after a crash', () => {
  it('removes an import that never committed and finishes an interrupted delete at the next start', async () => {
    const dataDir = tempDir();
    const first = createTempCore({ dataDir });
    const { imported } = await importFile(first, fx['bstock.xlsx']);
    const db = first.db.$client;
    // A crashed import: an `importing` row with lines, silent for an hour.
    db.prepare("INSERT INTO analyses (id, created_at, updated_at, name, status) VALUES ('crashed', 1, ?, 'half', 'importing')").run(Date.now() - 3_600_000);
    db.prepare("INSERT INTO pallet_items (id, created_at, updated_at, analysis_id, source_row, data_json) VALUES ('l1', 1, 1, 'crashed', 2, '{}'), ('l2', 1, 1, 'crashed', 3, '{}')").run();
    // An import running in another process right now (fresh heartbeat) must be left alone.
    db.prepare("INSERT INTO analyses (id, created_at, updated_at, name, status) VALUES ('running', 1, ?, 'busy', 'importing')").run(Date.now());
    // A delete that stopped after the analysis row.
    db.prepare('UPDATE analyses SET deleted_at = 5 WHERE id = ?').run(imported.analysisId);
    await first.close();
    const second = createTempCore({ dataDir });
    const c = second.db.$client;
    expect(c.prepare("SELECT id FROM analyses WHERE status = 'importing'").pluck().all()).toEqual(['running']);
    expect(c.prepare("SELECT count(*) FROM pallet_items WHERE analysis_id = 'crashed'").pluck().get()).toBe(0);
    expect(c.prepare('SELECT count(*) FROM pallet_items WHERE analysis_id = ? AND deleted_at IS NULL').pluck().get(imported.analysisId)).toBe(0);
    expect((await call(second, 'pallets:analyses', {})).analyses).toEqual([]);
    await second.close();
  });
});

describe('opened workbooks', () => {
  it('opening the same upload again replaces the first handle; close releases it', async () => {
    const core = createTempCore();
    try {
      const source = await upload(core, fx['bstock.xlsx']);
      const first = await call(core, 'pallets:open', { requestId: rid(), source });
      const second = await call(core, 'pallets:open', { requestId: rid(), source });
      expect(second.fileId).not.toBe(first.fileId);
      expect(await callError(core, 'pallets:preview', { requestId: rid(), fileId: first.fileId })).toMatchObject({ code: 'NOT_FOUND' });
      expect((await call(core, 'pallets:preview', { requestId: rid(), fileId: second.fileId })).headerRowNumber).toBe(4);
      await call(core, 'pallets:close', { fileId: second.fileId });
      expect(core.pallets.files.size).toBe(0);
    } finally {
      await core.close();
    }
  });

  it('closes a workbook nobody used for the idle time, and every workbook on close', async () => {
    const closed: string[] = [];
    const fake = (name: string): SpreadsheetReader => ({
      file: { fileName: name, fileSize: 1, fileHash: '0'.repeat(64), format: 'csv', sheets: [{ index: 0, name: 'S', rows: 1, columns: 1, hidden: false }] },
      reader: 'sheetjs',
      head: async () => ({ rows: [], merges: [], totalRows: 0, width: 0 }),
      rows: async function* () {},
      close: async () => void closed.push(name),
    });
    const idle = new OpenFiles(async (file) => fake(file), 30);
    await idle.open('a', 'idle.csv');
    for (let i = 0; i < 200 && idle.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(idle.size).toBe(0);
    expect(closed).toEqual(['idle.csv']);
    const busy = new OpenFiles(async (file) => fake(file), 60_000);
    await busy.open('b', 'one.csv');
    await busy.open('c', 'two.csv');
    await busy.closeAll();
    expect(closed.sort()).toEqual(['idle.csv', 'one.csv', 'two.csv']);
  });
});

describe('worker entry and progress', () => {
  it('source runs use the .ts worker; a build uses out/main/spreadsheet-worker.js, which parses a manifest', async () => {
    const appRoot = findAppRoot(import.meta.dirname);
    expect(palletWorkerEntry(appRoot, 'file:///app/src-main/pallets/index.ts')).toBeUndefined();
    const built = palletWorkerEntry(appRoot, 'file:///app/out/main/index.js');
    expect(built?.url.pathname).toBe(path.join(appRoot, 'out', 'main', 'spreadsheet-worker.js'));
    // The built worker exists after `npm run build` (npm test builds first); without a build there is nothing to run.
    if (!built || !fs.existsSync(built.url)) return;
    const reader = await openSpreadsheet(fx['german.ods'], { worker: built });
    try {
      expect(reader.file.sheets[0]?.name).toBe('Tabelle1');
      expect((await reader.head('Tabelle1', 5)).rows[2]?.[1]).toBe('Bezeichnung');
    } finally {
      await reader.close();
    }
  });

  it('throttles progress to the interval, always passing phase changes and the end', () => {
    const sent: unknown[] = [];
    const emit = throttledProgress({ events: { emit: (_c: EventChannel, p: unknown) => sent.push(p) } as never }, 'rq', 60_000);
    emit({ phase: 'reading', done: 0, total: 100 });
    for (let i = 1; i < 100; i++) emit({ phase: 'reading', done: i, total: 100 });
    emit({ phase: 'processing', done: 0, total: 10 });
    emit({ phase: 'processing', done: 5, total: 10 });
    emit({ phase: 'processing', done: 10, total: 10 });
    emit({ phase: 'done', done: 10, total: 10 });
    expect(sent).toEqual([
      { phase: 'reading', done: 0, total: 100, requestId: 'rq' },
      { phase: 'processing', done: 0, total: 10, requestId: 'rq' },
      { phase: 'processing', done: 10, total: 10, requestId: 'rq' },
      { phase: 'done', done: 10, total: 10, requestId: 'rq' },
    ]);
  });
});
