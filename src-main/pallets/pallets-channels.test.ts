import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel } from '@shared/contract';
import type { RuleDraft } from '@shared/pallets/schemas';
import { createTempCore, tempDir } from '../../test/helpers/temp-core';
import { createCore } from '../composition/create-core';
import { appPaths, findAppRoot } from '../core/paths';
import { transferDirs } from '../files/file-transfer';
import { allLines, call, callError, importFile, rid, upload } from '../../test/helpers/pallets-channels';
import { workbookBytes, writeFixtures, type FixtureName } from '../../test/helpers/pallet-fixtures';

const core = createTempCore();
const events: [EventChannel, unknown][] = [];
core.events.subscribe((channel, payload) => events.push([channel, payload]));
let dir: string;
let fx: Record<FixtureName, string>;

beforeAll(() => {
  dir = tempDir('fm-pallet-channels-');
  fx = writeFixtures(dir);
});
afterAll(() => core.close());

const count = (sql: string, ...params: unknown[]) => core.db.$client.prepare(sql).pluck().get(...params) as number;

describe('importing manifests through the channels', () => {
  it('imports a Polish manifest: header under a banner, mapping, lines, statuses, valuation', async () => {
    const { opened, preview, imported } = await importFile(core, fx['polish.xlsx'], { supplier: 'Hurtownia Zwrotów', palletPrice: 2000 });
    expect(opened.file.format).toBe('xlsx');
    expect(opened.duplicates).toEqual([]);
    // Two header rows ("Cena" over netto / brutto): the lower one names the columns.
    expect(preview.headerRowNumber).toBe(5);
    const fields = Object.fromEntries(preview.mapping.columns.filter((c) => c.field).map((c) => [c.header, c.field]));
    expect(fields).toMatchObject({ 'Nazwa produktu': 'name', Kategoria: 'category', 'Kod EAN': 'ean', Ilość: 'quantity', Stan: 'condition', Paleta: 'pallet_id' });
    expect(imported.stats.lines).toBe(7);
    const summary = (await call(core, 'pallets:analyses', {})).analyses.find((a) => a.id === imported.analysisId);
    expect(summary).toMatchObject({ name: 'polish.xlsx', supplier: 'Hurtownia Zwrotów', lineCount: 7, palletPrice: 2000, currency: 'PLN', statuses: imported.stats.statuses });
    const analysis = await call(core, 'pallets:analysis', { analysisId: imported.analysisId });
    expect(analysis.valuation.cost).toBe(2000);
    expect(analysis.palletIds).toEqual(['P-12/1', 'P-12/2']);
    expect(analysis.categories.length).toBeGreaterThan(3);
    const lines = await allLines(core, imported.analysisId);
    expect(lines.map((l) => l.row)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(lines[0]).toMatchObject({ name: 'Ekspres do kawy automatyczny', priceNet: 1234.56, quantity: 1, palletId: 'P-12/1', condition: 'new' });
  });

  it('imports an English B-Stock manifest and a German ODS list with the same engine results', async () => {
    const en = await importFile(core, fx['bstock.xlsx']);
    expect(en.imported.stats.lines).toBe(10);
    const hazmat = (await allLines(core, en.imported.analysisId)).find((l) => l.row === 11);
    expect(hazmat).toMatchObject({ status: 'blocked', category: 'hazardous' });
    const de = await importFile(core, fx['german.ods']);
    expect(de.preview.mapping.columns.find((c) => c.header === 'Bezeichnung')?.field).toBe('name');
    const rows = await allLines(core, de.imported.analysisId);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({ name: 'Kaffeevollautomat EQ.6', priceNet: 1234.56, retailPrice: 1899, palletId: 'PAL-4711' });
    // The German list has a net price and no gross column: its gross price is computed, and says so.
    const kaffee = await call(core, 'pallets:line', { lineId: rows[0]?.id ?? '' });
    expect(kaffee.values.price_gross).toBeCloseTo(1234.56 * 1.19, 2);
    expect(kaffee.derived).toEqual(['price_gross']);
    // The English one reads quantities and has no net or gross price at all: nothing is computed.
    expect((await call(core, 'pallets:line', { lineId: hazmat?.id ?? '' })).derived).toEqual([]);
  });

  it('shows a line with its values, issues, fired rules, explanation and original cells by header', async () => {
    const { imported } = await importFile(core, fx['amazon.xlsx']);
    const lines = await allLines(core, imported.analysisId);
    const bad = lines.find((l) => l.row === 9);
    expect(bad?.issueCount).toBeGreaterThan(0);
    const detail = await call(core, 'pallets:line', { lineId: bad?.id ?? '' });
    expect(detail.issues.map((i) => i.code)).toContain('ean_checksum');
    expect(detail.fired.map((f) => f.name)).toContain('Invalid EAN');
    expect(detail.explanation).toMatch(/^Warning \(score \d+\): warn “Invalid EAN”/);
    const kindle = await call(core, 'pallets:line', { lineId: lines.find((l) => l.row === 5)?.id ?? '' });
    expect(kindle.values).toMatchObject({ asin: 'B08N5WRWNW', fc_sku: 'X002ABC124', quantity: 2 });
    // Unmapped columns, hostile header names included, come back by header and harm nothing.
    expect(kindle.source).toEqual(expect.arrayContaining([{ header: '__proto__', value: '{"polluted":true}' }, { header: 'constructor', value: 'prototype' }, { header: 'LPN', value: 'LPNRR1234568' }]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await callError(core, 'pallets:line', { lineId: 'no-such-line' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('emits progress with the request id (throttled) and pallets:changed', async () => {
    events.length = 0;
    const requestId = rid('progress');
    const source = await upload(core, fx['bstock.xlsx']);
    const opened = await call(core, 'pallets:open', { requestId, source });
    const { imported } = await (async () => {
      const importId = rid('import');
      const value = await call(core, 'pallets:import', { requestId: importId, fileId: opened.fileId, name: 'progress' });
      return { imported: value, importId };
    })();
    const progress = events.filter(([c]) => c === 'pallets:progress').map(([, p]) => p as { requestId: string; phase: string });
    expect(progress.some((p) => p.requestId === requestId && p.phase === 'parsing')).toBe(true);
    expect(progress.some((p) => p.phase === 'done')).toBe(true);
    expect(events).toContainEqual(['pallets:changed', { analysisId: imported.analysisId, reason: 'imported' }]);
  });
});

describe('re-imports and remembered mappings', () => {
  it('detects a re-import by content hash, and replaces the analysis when asked', async () => {
    const first = await importFile(core, fx['german.ods']);
    const again = await upload(core, fx['german.ods']);
    const opened = await call(core, 'pallets:open', { requestId: rid(), source: again });
    expect(opened.duplicates.map((d) => d.id)).toContain(first.imported.analysisId);
    const replaced = await call(core, 'pallets:import', { requestId: rid(), fileId: opened.fileId, name: 'German v2', replaceAnalysisId: first.imported.analysisId });
    const ids = (await call(core, 'pallets:analyses', {})).analyses.map((a) => a.id);
    expect(ids).toContain(replaced.analysisId);
    expect(ids).not.toContain(first.imported.analysisId);
    // The old lines are tombstones (they travel to other devices), not gone.
    expect(count('SELECT count(*) FROM pallet_items WHERE analysis_id = ? AND deleted_at IS NULL', first.imported.analysisId)).toBe(0);
    expect(count('SELECT count(*) FROM pallet_items WHERE analysis_id = ? AND deleted_at IS NOT NULL', first.imported.analysisId)).toBe(6);
    expect(await callError(core, 'pallets:lines', { analysisId: first.imported.analysisId, offset: 0, limit: 10 })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('remembers a confirmed mapping per header layout and applies it to the next preview', async () => {
    const source = await upload(core, fx['bstock.xlsx']);
    const opened = await call(core, 'pallets:open', { requestId: rid(), source });
    const auto = await call(core, 'pallets:preview', { requestId: rid(), fileId: opened.fileId });
    expect(auto.mapping.columns.find((c) => c.header === 'Total Retail')).toMatchObject({ field: 'retail_price', total: true });
    // The user maps "Brand" away and "Total Retail" to the description field, then imports and remembers.
    const override = { signature: auto.mapping.signature, columns: [{ header: 'Brand', field: null }, { header: 'Total Retail', field: 'description' as const }] };
    const fixed = await call(core, 'pallets:preview', { requestId: rid(), fileId: opened.fileId, override });
    expect(fixed.mapping.columns.find((c) => c.header === 'Total Retail')).toMatchObject({ field: 'description', source: 'override' });
    await call(core, 'pallets:import', { requestId: rid(), fileId: opened.fileId, name: 'remembered', mapping: fixed.mapping, rememberMapping: true, supplier: 'B-Stock' });
    // Next time: the open says a mapping is remembered, the preview applies it without any override.
    const reopened = await call(core, 'pallets:open', { requestId: rid(), source: await upload(core, fx['bstock.xls']) });
    expect(reopened.rememberedMappingFor).toBe('B-Stock');
    const next = await call(core, 'pallets:preview', { requestId: rid(), fileId: reopened.fileId });
    expect(next.mapping.columns.find((c) => c.header === 'Brand')?.field).toBeNull();
    expect(next.mapping.columns.find((c) => c.header === 'Total Retail')).toMatchObject({ field: 'description', source: 'override' });
    expect(next.sample[0]?.values.brand).toBeNull();
  });

  it('refuses paths from windows, missing uploads and closed files with one clear sentence', async () => {
    // A window (Electron or the headless host) must upload what it opens; the CLI may name paths.
    const windowCore = createCore({ paths: appPaths(tempDir(), findAppRoot(import.meta.dirname)), transport: 'headless', appVersion: 'test', osLocale: 'en-US', log: () => {}, isOnline: () => false });
    try {
      expect(await callError(windowCore, 'pallets:open', { requestId: rid(), source: { path: fx['bstock.xlsx'] } })).toMatchObject({ code: 'FORBIDDEN' });
    } finally {
      await windowCore.close();
    }
    const byPath = await call(core, 'pallets:open', { requestId: rid(), source: { path: fx['bstock.xlsx'] } });
    expect(byPath.file.fileName).toBe('bstock.xlsx');
    await call(core, 'pallets:close', { fileId: byPath.fileId });
    expect(await callError(core, 'pallets:open', { requestId: rid(), source: { uploadId: 'never-uploaded', fileName: 'x.xlsx' } })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await callError(core, 'pallets:preview', { requestId: rid(), fileId: 'closed-file' })).toMatchObject({ code: 'NOT_FOUND' });
    const broken = await callError(core, 'pallets:open', { requestId: rid(), source: await upload(core, fx['encrypted.xlsx']) });
    expect(broken.code).toBe('IMPORT_ERROR');
    expect(broken.message).toMatch(/password|encrypted/i);
  });
});

describe('cancel', () => {
  it('cancelling mid-import rolls back: no analysis, no lines, nothing queued for sync; the file stays usable', async () => {
    const big = path.join(dir, 'big.xlsx');
    fs.writeFileSync(big, workbookBytes([{ name: 'Manifest', aoa: (await import('../../test/helpers/pallet-fixtures')).largeManifestAoa(12_000) }], 'xlsx'));
    const source = await upload(core, big, 1_000_000);
    const opened = await call(core, 'pallets:open', { requestId: rid(), source });
    const before = { analyses: count('SELECT count(*) FROM analyses'), lines: count('SELECT count(*) FROM pallet_items'), outbox: count('SELECT count(*) FROM sync_outbox') };
    const requestId = rid('cancel');
    let storedWhenCancelled = 0;
    const stop = core.events.subscribe((channel, payload) => {
      const p = payload as { requestId: string; phase: string; done: number };
      if (channel === 'pallets:progress' && p.requestId === requestId && p.phase === 'processing' && p.done >= 3000 && storedWhenCancelled === 0) {
        storedWhenCancelled = count('SELECT count(*) FROM pallet_items') - before.lines;
        void core.call('ops:cancel', { requestId });
      }
    });
    const result = await core.call('pallets:import', { requestId, fileId: opened.fileId, name: 'cancel me' });
    stop();
    expect(result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(storedWhenCancelled).toBeGreaterThan(0);
    expect(count('SELECT count(*) FROM analyses')).toBe(before.analyses);
    expect(count('SELECT count(*) FROM pallet_items')).toBe(before.lines);
    expect(count('SELECT count(*) FROM sync_outbox')).toBe(before.outbox);
    // The worker that served the cancelled stream is replaced on the next use.
    const preview = await call(core, 'pallets:preview', { requestId: rid(), fileId: opened.fileId });
    expect(preview.dataRows).toBe(12_000);
    await call(core, 'pallets:close', { fileId: opened.fileId });
  });
});

describe('rules through the channels', () => {
  const noToys: RuleDraft = { name: 'No toys', type: 'category', action: 'block', weight: 6, enabled: true, description: 'Toys do not sell here.', when: { field: 'category', op: 'equals', value: 'toys' } };

  it('previews a rule, saves it, re-scores analyses in the background and emits pallets:changed', async () => {
    const { imported } = await importFile(core, fx['bstock.xlsx']);
    const analysisId = imported.analysisId;
    const before = (await call(core, 'pallets:analysis', { analysisId })).analysis.statuses;
    const preview = await call(core, 'pallets:previewRule', { analysisId, draft: noToys });
    expect(preview).toMatchObject({ total: 10, changed: 1, before, transitions: [{ from: 'ok', to: 'blocked', count: 1 }] });
    events.length = 0;
    const saved = await call(core, 'pallets:saveRule', { draft: noToys });
    expect(saved).toMatchObject({ name: 'No toys', scope: 'user', description: 'Toys do not sell here.' });
    expect(events).toContainEqual(['pallets:changed', { analysisId: null, reason: 'rules' }]);
    await core.pallets.whenIdle();
    expect(events).toContainEqual(['pallets:changed', { analysisId, reason: 'rescored' }]);
    const after = (await call(core, 'pallets:analysis', { analysisId })).analysis.statuses;
    expect(after).toEqual(preview.after);
    const toys = await allLines(core, analysisId, { ruleId: saved.id });
    expect(toys.map((l) => [l.row, l.status, l.category])).toEqual([[7, 'blocked', 'toys']]);
    const detail = await call(core, 'pallets:line', { lineId: toys[0]?.id ?? '' });
    expect(detail.fired.map((f) => f.name)).toContain('No toys');

    // Deleting it (previewed as draft null) puts the line back.
    const undo = await call(core, 'pallets:previewRule', { analysisId, id: saved.id, draft: null });
    expect(undo.after).toEqual(before);
    await call(core, 'pallets:deleteRule', { id: saved.id });
    const rescored = await call(core, 'pallets:rescore', { requestId: rid(), analysisId });
    expect(rescored.statuses).toEqual(before);
    expect((await allLines(core, analysisId, { ruleId: saved.id })).length).toBe(0);
    const list = await call(core, 'pallets:rules', {});
    expect(list.rules.find((r) => r.id === saved.id)).toBeUndefined();
    expect(list.templates.map((t) => t.id)).toContain('tpl-blocked-categories');
  });

  it('changing a shipped rule changes statuses; invalid rules are refused', async () => {
    const { imported } = await importFile(core, fx['german.ods']);
    const { rules } = await call(core, 'pallets:rules', {});
    const budget = rules.find((r) => r.templateId === 'tpl-unit-price-budget');
    expect(budget?.scope).toBe('global');
    const blockedBefore = (await call(core, 'pallets:analysis', { analysisId: imported.analysisId })).analysis.statuses.blocked;
    await call(core, 'pallets:saveRule', { id: budget?.id, draft: { name: 'Budget 100', type: 'budget', action: 'block', weight: 5, enabled: true, templateId: 'tpl-unit-price-budget', when: { field: 'unit_cost', op: 'gt', value: 100 } } });
    await core.pallets.whenIdle();
    const blocked = await allLines(core, imported.analysisId, { status: ['blocked'] });
    expect(blocked.length).toBeGreaterThan(blockedBefore);
    expect(blocked.every((l) => (l.priceNet ?? 0) > 100)).toBe(true);
    expect(await callError(core, 'pallets:saveRule', { draft: { ...noToys, when: { field: 'name', op: 'matches', pattern: '(?<=a)b' } } })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/look-arounds/) });
    expect(await callError(core, 'pallets:saveRule', { id: 'missing', draft: noToys })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('export', () => {
  it('round trip: original columns, canonical fields, score, status, explanation; every cell formula-safe', async () => {
    const hostile = path.join(dir, 'hostile.xlsx');
    fs.writeFileSync(
      hostile,
      workbookBytes(
        [
          {
            name: 'Lista',
            aoa: [
              ['Name', 'EAN', 'Qty', 'Unit Retail', 'Category', '=Notes'],
              ['=HYPERLINK("http://evil.example","x")', '5901234123457', 1, 10, 'Toys', '+cmd|calc'],
              ['@SUM(A1)', '4006381333931', 2, 20, 'Hazmat', '-2+3'],
              ['Kettle', '8710103989295', 3, 30, 'Home', '\tTAB'],
            ],
          },
        ],
        'xlsx',
      ),
    );
    const { imported } = await importFile(core, hostile);
    const written = await call(core, 'pallets:export', { requestId: rid('export'), analysisId: imported.analysisId });
    expect(written.downloadId.startsWith(`${imported.analysisId}/`)).toBe(true);
    expect(written.path).toBe(path.join(transferDirs(core.paths.dataDir).exports, ...written.downloadId.split('/')));
    // Fetch it the way the window does.
    const chunks: Buffer[] = [];
    for (let offset = 0; ; ) {
      const chunk = await call(core, 'files:downloadChunk', { downloadId: written.downloadId, offset, length: 4096 });
      chunks.push(Buffer.from(chunk.data, 'base64'));
      offset += chunk.bytes;
      if (chunk.done) break;
    }
    const bytes = Buffer.concat(chunks);
    expect(bytes.length).toBe(written.size);
    const wb = XLSX.read(bytes, { type: 'buffer', cellFormula: true, dense: true });
    expect(wb.SheetNames).toEqual(['Lines', 'Summary']);
    for (const name of wb.SheetNames) {
      const rows = (wb.Sheets[name]?.['!data'] ?? []) as (XLSX.CellObject[] | undefined)[];
      for (const cell of rows.flatMap((r) => r ?? [])) {
        if (!cell) continue;
        expect(cell.f).toBeUndefined();
        if (typeof cell.v === 'string') expect(cell.t).toBe('s');
      }
    }
    const aoa = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Lines as XLSX.WorkSheet, { header: 1, raw: true, defval: null });
    const header = aoa[0] as string[];
    // Texts are typed string cells, kept exactly as they were (no visible apostrophe added).
    expect(header.slice(0, 7)).toEqual(['Source row', 'Name', 'EAN', 'Qty', 'Unit Retail', 'Category', '=Notes']);
    expect(header).toEqual(expect.arrayContaining(['Fieldmate: name', 'Score', 'Status', 'Explanation', 'Issues']));
    expect(aoa).toHaveLength(4);
    const first = aoa[1] as unknown[];
    expect(first[1]).toBe('=HYPERLINK("http://evil.example","x")');
    expect(first[6]).toBe('+cmd|calc');
    const hazmat = aoa[2] as unknown[];
    expect(hazmat[header.indexOf('Status')]).toBe('blocked');
    expect(String(hazmat[header.indexOf('Explanation')])).toMatch(/^Blocked \(score \d+\): block “Blocked categories”/);
    expect(hazmat[header.indexOf('Fieldmate: quantity')]).toBe(2);
  });
});

describe('update and delete', () => {
  it('renames, sets the pallet price (valuation recomputed) and deletes with tombstones', async () => {
    const { imported } = await importFile(core, fx['bstock.xlsx']);
    const analysisId = imported.analysisId;
    const renamed = await call(core, 'pallets:update', { analysisId, patch: { name: 'Lot 884213', palletPrice: 500 } });
    expect(renamed).toMatchObject({ name: 'Lot 884213', palletPrice: 500 });
    const valued = await call(core, 'pallets:analysis', { analysisId });
    expect(valued.valuation).toMatchObject({ cost: 500, costSource: 'analysis_price' });
    expect(valued.valuation.margin?.low).toBeCloseTo(valued.valuation.resale.low - 500, 2);
    await call(core, 'pallets:delete', { analysisId });
    expect((await call(core, 'pallets:analyses', {})).analyses.map((a) => a.id)).not.toContain(analysisId);
    expect(count('SELECT count(*) FROM pallet_items WHERE analysis_id = ? AND deleted_at IS NULL', analysisId)).toBe(0);
    expect(count("SELECT count(*) FROM sync_outbox WHERE table_name = 'pallet_items' AND row_id = '*' AND changes_json LIKE '%deleted_at%'")).toBeGreaterThan(0);
    expect(await callError(core, 'pallets:delete', { analysisId })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
