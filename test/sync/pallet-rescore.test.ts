import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellValue } from '@shared/pallets/fields';
import { detectHeaderRow, type HeaderDetection } from '@shared/pallets/header-detect';
import { autoMapColumns } from '@shared/pallets/mapper';
import { createLineNormaliser, type NormalisedLine } from '@shared/pallets/normalise';
import { RULE_TEMPLATES } from '@shared/pallets/rule-templates';
import type { Rule } from '@shared/pallets/rules';
import { compileRules } from '@shared/pallets/scoring';
import { valueLines } from '@shared/pallets/valuation';
import type { Db } from '@main/db/open';
import { palletDashboard } from '@main/pallets/dashboard/dashboard';
import { dashboardPullListener } from '@main/pallets/dashboard/pulled-rows';
import { rescoreAnalysis } from '@main/pallets/rescore/rescoring';
import { SqlitePalletStore } from '@main/pallets/store/sqlite-pallet-store';
import { largeManifestAoa } from '../helpers/pallet-fixtures';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { openDevice, outboxCount, syncOnce, syncServer } from './helpers';

/*
 * A re-score writes score, status and the fired / blocking rule columns of the changed lines, queued as
 * one bulk update: another device must end up with the same lines (data_json untouched) and, once it
 * has pulled them, the same dashboard.
 */

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

function importLines(db: Db, count: number): string {
  const rows = largeManifestAoa(count) as CellValue[][];
  const header = detectHeaderRow(rows.slice(0, 40)) as HeaderDetection;
  const data = rows.slice(header.headerRow + 1);
  const mapping = autoMapColumns(header.headers, data.slice(0, 200));
  const normaliser = createLineNormaliser({ mapping, sampleRows: data.slice(0, 200) });
  const compiled = compileRules(RULE_TEMPLATES);
  const lines = data
    .map((r, i) => normaliser.normalise(r, header.headerRow + 2 + i))
    .filter((l): l is NormalisedLine => typeof l !== 'string')
    .map((l) => ({ ...l, ...compiled.score(l) }));
  const store = new SqlitePalletStore(db, { name: 'synced', supplier: null, sourceFile: 'synced.xlsx', palletPrice: 900, normalise: {}, valuationOptions: {} });
  const file = { fileName: 'synced.xlsx', fileSize: 0, fileHash: 'h', format: 'xlsx' as const, sheets: [] };
  store.begin({ file, sheet: 'Manifest', headerRowNumber: header.headerRow + 1, header, mapping, rules: RULE_TEMPLATES });
  store.insertLines(lines);
  const statuses = { ok: 0, warning: 0, blocked: 0 };
  for (const l of lines) statuses[l.status]++;
  store.commit({
    file,
    sheet: 'Manifest',
    headerRowNumber: header.headerRow + 1,
    header,
    mapping,
    stats: { rows: lines.length, lines: lines.length, skipped: { blank: 0, summary: 0, repeated_header: 0 }, issues: { rejected: 0, guessed: 0 }, issuesByField: [], statuses, averageScore: 0, issueSamples: [] },
    valuation: valueLines(lines, { analysisPrice: 900 }),
    timings: { openMs: 0, processMs: 0, totalMs: 0, reader: 'sheetjs' },
    warnings: [],
  });
  return store.analysisId;
}

const freshAnalyses = (db: Db) => db.$client.prepare('SELECT analysis_id, computed_at FROM pallet_dashboard_fresh ORDER BY analysis_id').all() as { analysis_id: string; computed_at: number }[];

const lineColumns = (db: Db, analysisId: string) =>
  db.$client.prepare('SELECT id, score, status, fired_rules, blocking_rules, data_json, deleted_at FROM pallet_items WHERE analysis_id = ? ORDER BY id').all(analysisId);

const EDITED: Rule[] = [
  ...RULE_TEMPLATES.map((r) => (r.id === 'tpl-unit-price-budget' ? { ...r, when: { field: 'unit_cost' as const, op: 'gt' as const, value: 100 } } : r)),
  { id: 'u-toys', name: 'No toys', type: 'category', action: 'block', weight: 6, enabled: true, scope: 'user', when: { field: 'category', op: 'equals', value: 'toys' } },
];

describe('a re-score on one device', () => {
  it('reaches another device line for line, and its dashboard follows', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    const b = openDevice();
    const analysisId = importLines(a.db, 400);
    await syncOnce(srv, 'alice', a.db);
    await syncOnce(srv, 'carol', b.db);
    expect(lineColumns(b.db, analysisId)).toEqual(lineColumns(a.db, analysisId));
    const before = palletDashboard(b.db, analysisId);
    // An analysis of carol's own, aggregated at import: a pull of alice's lines must not forget it.
    const own = importLines(b.db, 30);
    const ownFresh = freshAnalyses(b.db).find((f) => f.analysis_id === own);
    expect(ownFresh).toBeDefined();

    const { changed } = await rescoreAnalysis(a.db, analysisId, EDITED);
    expect(changed).toBeGreaterThan(20);
    const pushed = await syncOnce(srv, 'alice', a.db);
    expect(pushed.pushed).toBeGreaterThanOrEqual(changed);
    expect(outboxCount(a.db)).toBe(0);
    // As the composition root wires it: the pallets feature listens to the sync feature's pulls.
    await syncOnce(srv, 'carol', b.db, { hooks: { pulled: [dashboardPullListener()] } });

    expect(lineColumns(b.db, analysisId)).toEqual(lineColumns(a.db, analysisId));
    // The pull aggregated alice's analysis again (the dashboard opens from its cache) and left carol's alone.
    const fresh = freshAnalyses(b.db);
    expect(fresh.map((f) => f.analysis_id).sort()).toEqual([analysisId, own].sort());
    expect(fresh.find((f) => f.analysis_id === own)).toEqual(ownFresh);
    const after = palletDashboard(b.db, analysisId);
    expect({ ...after, elapsedMs: 0 }).toEqual({ ...palletDashboard(a.db, analysisId), elapsedMs: 0 });
    expect(after.statusMix).not.toEqual(before.statusMix);
    expect(after.topBlockingRules.map((r) => r.ruleId)).toContain('u-toys');
    a.close();
    b.close();
  });
});
