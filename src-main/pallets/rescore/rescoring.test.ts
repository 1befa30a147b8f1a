import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellValue } from '@shared/pallets/fields';
import { detectHeaderRow, type HeaderDetection } from '@shared/pallets/header-detect';
import { autoMapColumns } from '@shared/pallets/mapper';
import { createLineNormaliser, type NormalisedLine } from '@shared/pallets/normalise';
import { RULE_TEMPLATES } from '@shared/pallets/rule-templates';
import type { Rule } from '@shared/pallets/rules';
import { compileRules, type ScoredLine, type StatusCounts } from '@shared/pallets/scoring';
import { valueLines } from '@shared/pallets/valuation';
import { createTempCore } from '../../../test/helpers/temp-core';
import { findAppRoot } from '@main/core/paths';
import { getAnalysis, storedValuation } from '../store/analyses-repo';
import { EXTRA_FIELDS, firedKeys, ruleDictionary, sameFiredKey } from '../store/line-codec';
import { SCORE_FIELDS, writeScoreChanges } from '../store/lines-repo';
import { RescoreScanner } from './rescore-scanner';
import { rescoreAnalysis } from './rescoring';
import { scanNeeds } from '../rules/scan-needs';
import { SqlitePalletStore } from '../store/sqlite-pallet-store';
import { largeManifestAoa } from '../../../test/helpers/pallet-fixtures';

/*
 * Re-scoring a stored analysis must store exactly what scoring its lines in memory gives (the engine in
 * src-shared is the reference): every line's score, status and fired / blocking rules, the status counts,
 * the valuation and the rule dictionary; and queue exactly the lines that changed, once.
 */

const core = createTempCore();
const LINES = 2500;
let lines: NormalisedLine[] = [];
let analysisId = '';

/** The stored columns of every live line, by source row. */
function stored(): Map<number, { score: number; status: string; fired: string | null; blocking: string | null; updatedAt: number }> {
  const rows = core.db.$client
    .prepare('SELECT source_row AS row, score, status, fired_rules AS fired, blocking_rules AS blocking, updated_at AS updatedAt FROM pallet_items WHERE analysis_id = ? AND deleted_at IS NULL')
    .all(analysisId) as { row: number; score: number; status: string; fired: string | null; blocking: string | null; updatedAt: number }[];
  return new Map(rows.map((r) => [r.row, r]));
}

function scoreInMemory(rules: readonly Rule[]): ScoredLine[] {
  const compiled = compileRules(rules);
  return lines.map((l) => ({ ...l, ...compiled.score(l) }));
}

function lineOutbox(): { seq: number; ids: string[]; fields: string[] | null }[] {
  return (core.db.$client.prepare("SELECT seq, changes_json FROM sync_outbox WHERE table_name = 'pallet_items' ORDER BY seq").all() as { seq: number; changes_json: string }[]).map((e) => {
    const change = JSON.parse(e.changes_json) as { bulk: { ids: string[]; fields: string[] | null } };
    return { seq: e.seq, ids: change.bulk.ids, fields: change.bulk.fields };
  });
}

const idsByRow = () => new Map((core.db.$client.prepare('SELECT source_row, id FROM pallet_items WHERE analysis_id = ?').raw(true).all(analysisId) as [number, string][]).map(([row, id]) => [row, id]));

/** The edit: a lower budget, a rule on a value without a column, one on issues, a nested regex rule, a disabled one. */
const EDITED: Rule[] = [
  ...RULE_TEMPLATES.map((r) => (r.id === 'tpl-unit-price-budget' ? { ...r, when: { field: 'unit_cost' as const, op: 'gt' as const, value: 100 } } : r)),
  { id: 'u-toys', name: 'No damaged toys', type: 'quality', action: 'block', weight: 6, enabled: true, scope: 'user', when: { all: [{ field: 'category', op: 'equals', value: 'toys' }, { any: [{ field: 'condition', op: 'in', values: ['damaged', 'salvage'] }, { field: 'name', op: 'matches', pattern: 'product \\d+7 ', flags: 'i' }] }] } },
  { id: 'u-asin', name: 'ASIN 9', type: 'product', action: 'prefer', weight: 3, enabled: true, scope: 'user', when: { field: 'asin', op: 'contains', value: '9' } },
  { id: 'u-issues', name: 'Rejected quantity', type: 'quality', action: 'warn', weight: 2, enabled: true, scope: 'user', when: { field: 'issues', op: 'in', values: ['quantity'] } },
  { id: 'u-off', name: 'Disabled', type: 'quality', action: 'block', weight: 10, enabled: false, scope: 'user', when: { field: 'quantity', op: 'gt', value: 0 } },
];

beforeAll(() => {
  const rows = largeManifestAoa(LINES) as CellValue[][];
  const header = detectHeaderRow(rows.slice(0, 40)) as HeaderDetection;
  const data = rows.slice(header.headerRow + 1);
  const mapping = autoMapColumns(header.headers, data.slice(0, 200));
  const normaliser = createLineNormaliser({ mapping, sampleRows: data.slice(0, 200) });
  lines = data.map((r, i) => normaliser.normalise(r, header.headerRow + 2 + i)).filter((l): l is NormalisedLine => typeof l !== 'string');
  // Some lines with a valid EAN also carry a rejected quantity (the generator has none): a rule on
  // `issues` must read them, a rule on `ean_status` need not.
  lines = lines.map((l, i) => (i % 40 === 3 && l.values.ean !== null ? { ...l, issues: [...l.issues, { field: 'quantity', kind: 'rejected', code: 'not_a_number', message: 'Not a number.', raw: 'lots' }] } : l));
  // Every third line has no value without a column, and (below) no 'x' in its data_json at all, as a
  // line written elsewhere may: a pass that reads those values must not carry the previous line's over.
  const bare = new Set<number>();
  lines = lines.map((l, i) => {
    if (i % 3 !== 1) return l;
    bare.add(l.row);
    return { ...l, values: { ...l.values, ...Object.fromEntries(EXTRA_FIELDS.map((f) => [f, null])) } };
  });
  const scored = scoreInMemory(RULE_TEMPLATES);
  const store = new SqlitePalletStore(core.db, { name: 'generated', supplier: null, sourceFile: 'generated.xlsx', palletPrice: 2500, normalise: {}, valuationOptions: { wasteFactor: 0.1 } });
  const file = { fileName: 'generated.xlsx', fileSize: 0, fileHash: 'hash', format: 'xlsx' as const, sheets: [] };
  store.begin({ file, sheet: 'Manifest', headerRowNumber: header.headerRow + 1, header, mapping, rules: RULE_TEMPLATES });
  for (let i = 0; i < scored.length; i += 1000) store.insertLines(scored.slice(i, i + 1000));
  const statuses: StatusCounts = { ok: 0, warning: 0, blocked: 0 };
  for (const l of scored) statuses[l.status]++;
  store.commit({
    file,
    sheet: 'Manifest',
    headerRowNumber: header.headerRow + 1,
    header,
    mapping,
    stats: { rows: scored.length, lines: scored.length, skipped: { blank: 0, summary: 0, repeated_header: 0 }, issues: { rejected: 0, guessed: 0 }, issuesByField: [], statuses, averageScore: 0, issueSamples: [] },
    valuation: valueLines(scored, { wasteFactor: 0.1, analysisPrice: 2500 }),
    timings: { openMs: 0, processMs: 0, totalMs: 0, reader: 'sheetjs' },
    warnings: [],
  });
  analysisId = store.analysisId;
  core.db.$client.prepare("UPDATE pallet_items SET data_json = json_remove(data_json, '$.x') WHERE analysis_id = ? AND source_row IN (SELECT value FROM json_each(?))").run(analysisId, JSON.stringify([...bare]));
}, 60_000);
afterAll(() => core.close());

describe('re-scoring a stored analysis', () => {
  it('reads only the columns and JSON its rules (and the valuation) test', () => {
    const valuation = ['pallet_id', 'category', 'quantity', 'price_net', 'retail_price', 'currency', 'condition'];
    const sorted = (n: { columns: readonly string[] }) => [...n.columns].sort();
    // Templates: category, ean (ean_status), prices missing, unit cost (price_net), brand, condition.
    expect(scanNeeds(RULE_TEMPLATES)).toMatchObject({ issues: 'without-ean', extra: false });
    expect(sorted(scanNeeds(RULE_TEMPLATES))).toEqual([...valuation, 'brand', 'ean', 'price_gross'].sort());
    expect(scanNeeds(EDITED)).toMatchObject({ issues: 'all', extra: true });
    expect(sorted(scanNeeds(EDITED))).toEqual([...valuation, 'brand', 'ean', 'price_gross', 'name'].sort());
    const one = (when: Rule['when'], enabled = true) => [{ ...EDITED[0]!, enabled, when }];
    expect(scanNeeds(one({ field: 'brand', op: 'equals', value: 'x' }))).toMatchObject({ issues: 'none', extra: false });
    expect(sorted(scanNeeds(one({ field: 'sku', op: 'missing' })))).toEqual([...valuation, 'sku'].sort());
    expect(sorted(scanNeeds(one({ not: { field: 'price_gross', op: 'gt', value: 1 } })))).toEqual([...valuation, 'price_gross'].sort());
    // A disabled rule reads nothing; the valuation's columns are always read.
    expect(scanNeeds(one({ field: 'issues', op: 'missing' }, false))).toMatchObject({ issues: 'none', extra: false });
    expect(sorted(scanNeeds())).toEqual([...valuation].sort());
  });

  // The same pass in the main thread and in the scanner thread (rescore-scanner.ts) stores the same
  // lines, outbox entry and analysis; each round ends where it began (the templates).
  for (const scanThread of ['never', 'always'] as const) {
    it(`stores what scoring the same lines in memory gives, and queues exactly the changed lines once (${scanThread})`, async () => {
      const before = scoreInMemory(RULE_TEMPLATES);
      const after = scoreInMemory(EDITED);
      // The stored import is the reference scoring of the templates.
      const original = stored();
      for (const l of before) expect(original.get(l.row)).toMatchObject({ score: l.score, status: l.status, fired: firedKeys(l.fired).f, blocking: firedKeys(l.fired).b });
      const changedRows = new Set(after.filter((l, i) => l.score !== before[i]!.score || l.status !== before[i]!.status || firedKeys(l.fired).f !== firedKeys(before[i]!.fired).f).map((l) => l.row));
      expect(changedRows.size).toBeGreaterThan(100);
      expect(changedRows.size).toBeLessThan(LINES);
      const queued = lineOutbox().length;

      const result = await rescoreAnalysis(core.db, analysisId, EDITED, { now: () => 1_000_000, scanThread });

      const counts: StatusCounts = { ok: 0, warning: 0, blocked: 0 };
      for (const l of after) counts[l.status]++;
      expect(result).toMatchObject({ statuses: counts, changed: changedRows.size, scanner: scanThread === 'always' ? 'thread' : 'main' });
      const now = stored();
      for (const l of after) {
        const { f, b } = firedKeys(l.fired);
        const row = now.get(l.row);
        expect(row, `row ${l.row}`).toMatchObject({ score: l.score, status: l.status, fired: f, blocking: b });
        // Unchanged lines are not written at all.
        expect(row?.updatedAt === 1_000_000, `row ${l.row}`).toBe(changedRows.has(l.row));
      }
      const entries = lineOutbox().slice(queued);
      expect(entries).toHaveLength(1);
      const ids = idsByRow();
      expect(entries[0]?.fields).toEqual([...SCORE_FIELDS]);
      expect(new Set(entries[0]?.ids)).toEqual(new Set([...changedRows].map((row) => ids.get(row))));
      expect(entries[0]?.ids).toHaveLength(changedRows.size);

      const { meta } = getAnalysis(core.db, analysisId);
      expect(meta.statuses).toEqual(counts);
      expect(meta.stats?.statuses).toEqual(counts);
      expect(meta.rules).toEqual(ruleDictionary(EDITED));
      expect(meta.valuation).toEqual(storedValuation(valueLines(after, { wasteFactor: 0.1, analysisPrice: 2500 })).valuation);
    });

    it(`going back to the templates restores every line and queues the same lines again (${scanThread})`, async () => {
      const original = scoreInMemory(RULE_TEMPLATES);
      const queued = lineOutbox().length;
      const result = await rescoreAnalysis(core.db, analysisId, RULE_TEMPLATES, { scanThread });
      const now = stored();
      for (const l of original) expect(now.get(l.row)).toMatchObject({ score: l.score, status: l.status, fired: firedKeys(l.fired).f, blocking: firedKeys(l.fired).b });
      const entries = lineOutbox().slice(queued);
      expect(entries).toHaveLength(1);
      expect(entries[0]?.ids).toHaveLength(result.changed);
      // Nothing changes the second time: nothing is written or queued.
      expect((await rescoreAnalysis(core.db, analysisId, RULE_TEMPLATES, { scanThread })).changed).toBe(0);
      expect(lineOutbox()).toHaveLength(queued + 1);
    });
  }

  it('cancelled before the write leaves lines, analysis and outbox as they were', async () => {
    const lines = stored();
    const analysis = core.db.$client.prepare('SELECT mapping_json, updated_at FROM analyses WHERE id = ?').get(analysisId);
    const outbox = core.db.$client.prepare('SELECT count(*) FROM sync_outbox').pluck().get();
    const abort = new AbortController();
    const run = rescoreAnalysis(core.db, analysisId, EDITED, { signal: abort.signal, onProgress: (p) => p.done > 0 && abort.abort() });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(stored()).toEqual(lines);
    expect(core.db.$client.prepare('SELECT mapping_json, updated_at FROM analyses WHERE id = ?').get(analysisId)).toEqual(analysis);
    expect(core.db.$client.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(outbox);
  });

  it('cancelled while the scanner thread starts, nothing is scanned or written', async () => {
    const lines = stored();
    const outbox = core.db.$client.prepare('SELECT count(*) FROM sync_outbox').pluck().get();
    const abort = new AbortController();
    const done: number[] = [];
    const run = rescoreAnalysis(core.db, analysisId, EDITED, { scanThread: 'always', signal: abort.signal, onProgress: (p) => (done.push(p.done), abort.abort()) });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(done).toEqual([0]);
    expect(stored()).toEqual(lines);
    expect(core.db.$client.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(outbox);
  });

  it('a line that cannot be read fails the re-score in either thread, and nothing is stored', async () => {
    // EDITED tests issues, so every line's '$.i' is read: malformed JSON makes SQLite fail mid-pass.
    const victim = core.db.$client.prepare('SELECT rowid AS rid, data_json AS json FROM pallet_items WHERE analysis_id = ? ORDER BY source_row LIMIT 1 OFFSET 1800').get(analysisId) as { rid: number; json: string };
    core.db.$client.prepare('UPDATE pallet_items SET data_json = ? WHERE rowid = ?').run('{"i": [', victim.rid);
    try {
      const lines = stored();
      const analysis = core.db.$client.prepare('SELECT mapping_json, updated_at FROM analyses WHERE id = ?').get(analysisId);
      const outbox = core.db.$client.prepare('SELECT count(*) FROM sync_outbox').pluck().get();
      await expect(rescoreAnalysis(core.db, analysisId, EDITED, { scanThread: 'always' })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/malformed JSON/i) });
      await expect(rescoreAnalysis(core.db, analysisId, EDITED, { scanThread: 'never' })).rejects.toThrow(/malformed JSON/i);
      expect(stored()).toEqual(lines);
      expect(core.db.$client.prepare('SELECT mapping_json, updated_at FROM analyses WHERE id = ?').get(analysisId)).toEqual(analysis);
      expect(core.db.$client.prepare('SELECT count(*) FROM sync_outbox').pluck().get()).toBe(outbox);
    } finally {
      core.db.$client.prepare('UPDATE pallet_items SET data_json = ? WHERE rowid = ?').run(victim.json, victim.rid);
    }
    // The scanner thread survived the failure.
    expect((await rescoreAnalysis(core.db, analysisId, RULE_TEMPLATES, { scanThread: 'always' })).scanner).toBe('thread');
  });

  it('the built scanner thread (out/main/rescore-worker.js) scans like the source one', () => {
    const built = path.join(findAppRoot(import.meta.dirname), 'out', 'main', 'rescore-worker.js');
    // It exists after `npm run build` (npm test builds first); without a build there is nothing to run.
    if (!fs.existsSync(built)) return;
    const scanner = new RescoreScanner(core.db.$client.name, { entry: { url: pathToFileURL(built) } });
    return scanner
      .ready()
      .then((ready) => {
        expect(ready).toBe(true);
        const changed: number[] = [];
        const { meta, row } = getAnalysis(core.db, analysisId);
        const result = scanner.scanSync({ analysisId, rules: EDITED, valuationOptions: { ...meta.valuationOptions, analysisPrice: row.palletPrice }, pageSize: 700 }, (changes) => changed.push(changes.rid.length));
        const before = scoreInMemory(RULE_TEMPLATES);
        const after = scoreInMemory(EDITED);
        const counts: StatusCounts = { ok: 0, warning: 0, blocked: 0 };
        for (const l of after) counts[l.status]++;
        expect(result.statuses).toEqual(counts);
        expect(result.lines).toBe(after.length);
        expect(changed).toHaveLength(Math.ceil(after.length / 700));
        expect(changed.reduce((a, b) => a + b, 0)).toBe(after.filter((l, i) => l.score !== before[i]!.score || l.status !== before[i]!.status || firedKeys(l.fired).f !== firedKeys(before[i]!.fired).f).length);
        expect(storedValuation(result.valuation).valuation).toEqual(storedValuation(valueLines(after, { wasteFactor: 0.1, analysisPrice: 2500 })).valuation);
      })
      .finally(() => scanner.close());
  });

  it('does not write or queue a line tombstoned since it was read', () => {
    const [first, second] = core.db.$client.prepare('SELECT rowid AS rid, id FROM pallet_items WHERE analysis_id = ? ORDER BY source_row LIMIT 2').all(analysisId) as { rid: number; id: string }[];
    core.db.$client.prepare('UPDATE pallet_items SET deleted_at = 5 WHERE id = ?').run(second!.id);
    const queued = lineOutbox().length;
    const fresh = () => core.db.$client.prepare('SELECT analysis_id FROM pallet_dashboard_fresh').pluck().all() as string[];
    core.db.$client.prepare('INSERT OR REPLACE INTO pallet_dashboard_fresh (analysis_id, computed_at) VALUES (?, 1)').run(analysisId);
    const written = writeScoreChanges(
      core.db,
      analysisId,
      { rid: [first!.rid, second!.rid], id: [first!.id, second!.id], score: [1, 1], status: ['blocked', 'blocked'], fired: ['|x|', '|x|'], blocking: ['|x|', '|x|'] },
      7,
    );
    expect(written).toBe(1);
    // A status changed: the dashboard's cached groups of the analysis are forgotten with the write.
    expect(fresh()).not.toContain(analysisId);
    expect(lineOutbox().slice(queued).map((e) => e.ids)).toEqual([[first!.id]]);
    expect(core.db.$client.prepare('SELECT score FROM pallet_items WHERE id = ?').pluck().get(second!.id)).not.toBe(1);
  });
});

describe('fired keys', () => {
  const fired = (ids: [string, 'block' | 'warn' | 'prefer'][]) => ids.map(([ruleId, action]) => ({ ruleId, action, name: ruleId, type: 'quality' as const, weight: 1, effect: 0, condition: '' }));
  it('compares a rule list with a stored key without building it', () => {
    const cases: [string, 'block' | 'warn' | 'prefer'][][] = [[], [['a', 'warn']], [['a', 'block'], ['bc', 'prefer']], [['', 'warn']], [['a|b', 'warn']]];
    const keys = [null, '|a|', '|a|bc|', '|bc|a|', '||', '|a', 'a|', '|a|b|', '|a|bc', ''];
    for (const c of cases) for (const key of keys) expect(sameFiredKey(fired(c), key), `${JSON.stringify(c)} vs ${key}`).toBe(firedKeys(fired(c)).f === key);
    expect(firedKeys(fired([['a', 'block'], ['b', 'warn'], ['c', 'block']]))).toEqual({ f: '|a|b|c|', b: '|a|c|' });
    expect(firedKeys(fired([['a', 'warn']]))).toEqual({ f: '|a|', b: null });
  });
});
