/**
 * Pieces of `npm run bench:pallets` (and bench/pallets-store.bench.ts) that use the app's real SQLite
 * store (src-main/pallets): opening a migrated store, storing pre-scored lines through SqlitePalletStore,
 * re-scoring from the database, and the dashboard against the same SQL run raw.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CellValue } from '@shared/pallets/fields';
import { detectHeaderRow, type HeaderDetection } from '@shared/pallets/header-detect';
import { autoMapColumns, type ColumnMapping } from '@shared/pallets/mapper';
import { createLineNormaliser } from '@shared/pallets/normalise';
import { RULE_TEMPLATES } from '@shared/pallets/rule-templates';
import type { Rule } from '@shared/pallets/rules';
import type { ImportSummary } from '@shared/pallets/schemas';
import { compileRules, type ScoredLine } from '@shared/pallets/scoring';
import { valueLines } from '@shared/pallets/valuation';
import { findAppRoot } from '@main/core/paths';
import { migrateDatabase } from '@main/db/migrate';
import { startCheckpointer } from '@main/db/checkpointer';
import { openDatabase, type Db } from '@main/db/open';
import { dashboardSql, MAX_DASHBOARD_PALLETS, palletDashboard } from '@main/pallets/dashboard/dashboard';
import { dashboardSettings, type DashboardAnalysisRow } from '@main/pallets/dashboard/dashboard-sql';
import { scanSql } from '@main/pallets/store/lines-repo';
import { rescoreAnalysis } from '@main/pallets/rescore/rescoring';
import { scanNeeds } from '@main/pallets/rules/scan-needs';
import { SqlitePalletStore } from '@main/pallets/store/sqlite-pallet-store';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const r1 = (n: number) => Math.round(n * 10) / 10;

/** A store migrated exactly as the app does it. */
export function openStore(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'fieldmate.sqlite');
  return migrateDatabase(openDatabase(file), file, join(findAppRoot(import.meta.dirname), 'drizzle')).db;
}

export interface ScoredManifest {
  header: HeaderDetection;
  mapping: ColumnMapping;
  lines: ScoredLine[];
}

/** Normalise and score a generated manifest in process (the store benchmarks need lines, not a file). */
export function scoreManifest(aoa: (CellValue | Date)[][], rules: readonly Rule[] = RULE_TEMPLATES): ScoredManifest {
  const rows = aoa as CellValue[][];
  const header = detectHeaderRow(rows.slice(0, 40)) as HeaderDetection;
  const data = rows.slice(header.headerRow + 1);
  const mapping = autoMapColumns(header.headers, data.slice(0, 200));
  const normaliser = createLineNormaliser({ mapping, sampleRows: data.slice(0, 200) });
  const compiled = compileRules(rules);
  const lines: ScoredLine[] = [];
  for (let i = 0; i < data.length; i++) {
    const n = normaliser.normalise(data[i] as CellValue[], header.headerRow + 2 + i);
    if (typeof n !== 'string') lines.push({ ...n, ...compiled.score(n) });
  }
  return { header, mapping, lines };
}

/** Stores scored lines as one analysis through the app's store (batches of 1,000, as runImport does). */
export function storeAnalysis(db: Db, m: ScoredManifest, name: string): string {
  const store = new SqlitePalletStore(db, { name, supplier: null, sourceFile: `${name}.xlsx`, palletPrice: null, normalise: {}, valuationOptions: {} });
  const file = { fileName: `${name}.xlsx`, fileSize: 0, fileHash: createHash('sha256').update(name).digest('hex'), format: 'xlsx' as const, sheets: [] };
  store.begin({ file, sheet: 'Manifest', headerRowNumber: m.header.headerRow + 1, header: m.header, mapping: m.mapping, rules: RULE_TEMPLATES });
  for (let i = 0; i < m.lines.length; i += 1000) store.insertLines(m.lines.slice(i, i + 1000));
  const statuses = { ok: 0, warning: 0, blocked: 0 };
  for (const l of m.lines) statuses[l.status]++;
  const summary: ImportSummary = {
    file,
    sheet: 'Manifest',
    headerRowNumber: m.header.headerRow + 1,
    header: m.header,
    mapping: m.mapping,
    stats: { rows: m.lines.length, lines: m.lines.length, skipped: { blank: 0, summary: 0, repeated_header: 0 }, issues: { rejected: 0, guessed: 0 }, issuesByField: [], statuses, averageScore: 0, issueSamples: [] },
    valuation: valueLines(m.lines),
    timings: { openMs: 0, processMs: 0, totalMs: 0, reader: 'sheetjs' },
    warnings: [],
  };
  store.commit(summary);
  return store.analysisId;
}

/** The benchmark's rule edit: a lower budget, and a new user rule with a nested condition and a regex. */
export function editedRules(): Rule[] {
  return [
    ...RULE_TEMPLATES.map((r) => (r.id === 'tpl-unit-price-budget' ? { ...r, when: { field: 'unit_cost' as const, op: 'gt' as const, value: 100 } } : r)),
    { id: 'u1', name: 'No cheap damaged toys', type: 'quality', action: 'block', weight: 6, enabled: true, scope: 'user', when: { all: [{ field: 'category', op: 'equals', value: 'toys' }, { any: [{ field: 'condition', op: 'in', values: ['damaged', 'salvage'] }, { field: 'name', op: 'matches', pattern: 'item \\d+ —', flags: 'i' }] }] } },
  ];
}

type ScoreState = Map<number, [string, number, string, string | null, string | null]>;

/** rowid → [id, score, status, fired_rules, blocking_rules] of every live line of the analysis. */
function scoreState(db: Db, analysisId: string): ScoreState {
  const rows = db.$client.prepare('SELECT rowid, id, score, status, fired_rules, blocking_rules FROM pallet_items WHERE analysis_id = ? AND deleted_at IS NULL').raw(true).all(analysisId) as [number, string, number, string, string | null, string | null][];
  return new Map(rows.map(([rid, ...rest]) => [rid, rest]));
}

/** The lines whose stored score columns differ between two states, with their values in `to`, in rowid order. */
function stateChanges(from: ScoreState, to: ScoreState): [number, string, number, string, string | null, string | null][] {
  const out: [number, string, number, string, string | null, string | null][] = [];
  for (const [rid, t] of to) {
    const f = from.get(rid);
    if (!f || f[1] !== t[1] || f[2] !== t[2] || f[3] !== t[3]) out.push([rid, ...t]);
  }
  return out.sort((x, y) => x[0] - y[0]);
}

/**
 * Re-scoring a stored analysis through the service's path (rescoreAnalysis: read pages, score, write the
 * changed lines, outbox entry, valuation), alternating the rule edit and the templates so that every run
 * writes, against a raw baseline in the same run: the same scan statement read page by page with
 * better-sqlite3, then the same UPDATE of the same changed lines (known in advance: no scoring at all),
 * one outbox row of their ids and the same aggregation of the analysis's dashboard groups, in one
 * transaction, one after the other on the main thread. Also the
 * project's pass kept on the main thread (scanThread 'never') for reference. The first two runs start
 * the scanner thread and record the two states; they are reported, not counted.
 */
export async function rescoreFromDb(db: Db, analysisId: string, edited: readonly Rule[], runs = 7): Promise<Record<string, unknown>> {
  // As createCore runs the store: WAL checkpoints in a worker thread.
  const checkpoints = startCheckpointer(db);
  const background = await checkpoints.ready;
  const client = db.$client;
  const warmup = [await rescoreAnalysis(db, analysisId, edited), await rescoreAnalysis(db, analysisId, RULE_TEMPLATES)];
  const templatesState = scoreState(db, analysisId);
  await rescoreAnalysis(db, analysisId, edited);
  const editedState = scoreState(db, analysisId);
  await rescoreAnalysis(db, analysisId, RULE_TEMPLATES);
  const toTemplates = stateChanges(editedState, templatesState);
  const scan = client.prepare(scanSql(scanNeeds(RULE_TEMPLATES))).raw(true);
  const update = client.prepare('UPDATE pallet_items SET score = ?, status = ?, fired_rules = ?, blocking_rules = ?, updated_at = ? WHERE rowid = ? AND id = ? AND deleted_at IS NULL');
  const outbox = client.prepare('INSERT INTO sync_outbox (table_name, row_id, changes_json, hlc, created_at) VALUES (?, ?, ?, ?, ?)');
  const forget = client.prepare('DELETE FROM pallet_dashboard_fresh WHERE analysis_id = ?');
  const refreshSql = dashboardSql(analysisId).refresh;
  const refresh = {
    dropStale: refreshSql.dropStale.map((q) => client.prepare(q)),
    insert: [refreshSql.groups, refreshSql.mix, refreshSql.blocking].map((q) => client.prepare(q)),
    mark: client.prepare(refreshSql.mark),
  };
  const rawPass = (changes: typeof toTemplates): number => {
    let after = -1;
    let read = 0;
    for (;;) {
      const page = scan.all(analysisId, after, 5000) as unknown[][];
      read += page.length;
      if (page.length < 5000) break;
      after = page[page.length - 1]?.[2] as number;
    }
    const now = Date.now();
    client.transaction(() => {
      for (const [rid, id, score, status, fired, blocking] of changes) update.run(score, status, fired, blocking, now, rid, id);
      outbox.run('pallet_items', '*', JSON.stringify({ bulk: { fields: ['score', 'status', 'fired_rules', 'blocking_rules', 'updated_at'], ids: changes.map((c) => c[1]) } }), `bench-${now}`, now);
      // The analysis's dashboard groups aggregated again, as the re-score does.
      forget.run(analysisId);
      for (const drop of refresh.dropStale) drop.run();
      for (const statement of refresh.insert) statement.run(analysisId);
      refresh.mark.run(analysisId, now);
    })();
    return read;
  };
  const times: number[] = [];
  const rawTimes: number[] = [];
  const changed: number[] = [];
  const scanMs: number[] = [];
  const writeMs: number[] = [];
  const scanner: string[] = [];
  for (let run = 0; run < runs; run++) {
    // Project: templates → edit; raw: edit → templates (the same lines, the other way).
    let t = performance.now();
    const r = await rescoreAnalysis(db, analysisId, edited);
    times.push(performance.now() - t);
    changed.push(r.changed);
    scanMs.push(r.phases.scanMs);
    writeMs.push(r.phases.writeMs);
    scanner.push(r.scanner);
    t = performance.now();
    rawPass(toTemplates);
    rawTimes.push(performance.now() - t);
  }
  const mainThread: number[] = [];
  for (let run = 0; run < Math.min(runs, 5) * 2; run++) {
    const t = performance.now();
    await rescoreAnalysis(db, analysisId, run % 2 === 0 ? edited : RULE_TEMPLATES, { scanThread: 'never' });
    mainThread.push(performance.now() - t);
  }
  await checkpoints.stop();
  const pairRatios = times.map((ms, i) => ms / (rawTimes[i] ?? ms));
  return {
    what: 'rescoreAnalysis on 100k stored lines after a rule edit: read pages (columns + fired rules), score, write the changed lines (score, status, fired/blocking rules) + bulk outbox + analysis; WAL checkpoints in a worker thread as in the app',
    baseline: 'raw better-sqlite3: the same scan statement over every line, then the same UPDATE of the same changed lines (precomputed), one outbox row and the same dashboard-group aggregation of the analysis, one transaction, serially',
    backgroundCheckpoints: background,
    scanner,
    warmupRunsMs: warmup.map((w) => Math.round(w.elapsedMs)),
    runsMs: times.map(Math.round),
    medianMs: Math.round(median(times)),
    rawRunsMs: rawTimes.map(Math.round),
    rawMedianMs: Math.round(median(rawTimes)),
    ratio: Math.round(median(pairRatios) * 100) / 100,
    pairRatios: pairRatios.map((x) => Math.round(x * 100) / 100),
    phasesMedianMs: { scan: Math.round(median(scanMs)), write: Math.round(median(writeMs)) },
    linesChanged: changed,
    rawLinesChanged: toTemplates.length,
    mainThreadRunsMs: mainThread.map(Math.round),
    mainThreadMedianMs: Math.round(median(mainThread)),
  };
}

/**
 * The dashboard over `analyses` × the manifest's lines (1,000,000 for 10 × 100k): the repository call
 * (`palletDashboard`) against the same statements run raw with better-sqlite3 (prepared once, every row
 * read), alternating, for all analyses and for one. Warm: the groups are cached, so both run the analyses
 * query, the cache check and the four series queries; the series' JSON parameter is what the service
 * builds from the analyses rows (computed once here: that JavaScript is the repository's overhead).
 * Cold (every cached group dropped first, as after an import or re-score of each analysis): both also
 * aggregate the lines into the cache in one transaction. `coldAggregateReadMs` is the former cold baseline
 * for reference: the aggregate SELECT read into JavaScript plus the blocking query, no cache write.
 */
export function dashboardBench(dir: string, m: ScoredManifest, analyses: number, runs: number): Record<string, unknown> {
  const db = openStore(dir);
  const client = db.$client;
  const tStore = performance.now();
  const ids: string[] = [];
  for (let a = 0; a < analyses; a++) ids.push(storeAnalysis(db, m, `dashboard-${a}`));
  const storeMs = Math.round(performance.now() - tStore);
  const stored = client.prepare('SELECT count(*) FROM pallet_items WHERE deleted_at IS NULL').pluck().get() as number;
  const out: Record<string, unknown> = { analyses, storedLines: stored, storeMs, storeLinesPerSec: Math.round(stored / (storeMs / 1000)) };
  for (const [label, scope] of [['all', undefined], ['one', ids[0]]] as const) {
    const sql = dashboardSql(scope);
    const st = {
      analyses: client.prepare(sql.analyses),
      fresh: client.prepare(sql.refresh.fresh).pluck(),
      dropStale: sql.refresh.dropStale.map((q) => client.prepare(q)),
      groups: client.prepare(sql.refresh.groups),
      mix: client.prepare(sql.refresh.mix),
      blockingCount: client.prepare(sql.refresh.blocking),
      mark: client.prepare(sql.refresh.mark),
      status: client.prepare(sql.status).raw(true),
      category: client.prepare(sql.category).raw(true),
      pallets: client.prepare(sql.pallets).raw(true),
      blocking: client.prepare(sql.blocking).raw(true),
    };
    const rows = st.analyses.all(...sql.params) as DashboardAnalysisRow[];
    const settings = dashboardSettings(rows);
    const series = () => ({
      status: st.status.all({ settings }).length,
      category: st.category.all({ settings }).length,
      pallets: st.pallets.all({ settings, top: MAX_DASHBOARD_PALLETS }).length,
      blocking: st.blocking.all({ settings }).length,
    });
    const raw = () => {
      st.analyses.all(...sql.params);
      st.fresh.all();
      return series();
    };
    const rawCold = () => {
      st.analyses.all(...sql.params);
      st.fresh.all();
      client.transaction(() => {
        for (const drop of st.dropStale) drop.run();
        for (const r of rows) {
          st.groups.run(r.id);
          st.mix.run(r.id);
          st.blockingCount.run(r.id);
          st.mark.run(r.id, Date.now());
        }
      })();
      return series();
    };
    const repo = () => palletDashboard(db, scope);
    // Warm the page cache for both before measuring.
    const seriesRows = raw();
    repo();
    const rawMs: number[] = [];
    const repoMs: number[] = [];
    let last: ReturnType<typeof palletDashboard> | null = null;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      raw();
      rawMs.push(performance.now() - t);
      t = performance.now();
      last = repo();
      repoMs.push(performance.now() - t);
    }
    const pairRatios = repoMs.map((ms, i) => ms / (rawMs[i] ?? ms));
    const aggregate = client.prepare(sql.aggregate).raw(true);
    // The former cold baseline's blocking query (read from the lines' blocking index, not the cache).
    const blockingRead = client.prepare(`SELECT analysis_id, blocking_rules, count(*) FROM pallet_items INDEXED BY pallet_items_blocking_idx WHERE deleted_at IS NULL AND status = 'blocked'${scope === undefined ? '' : ' AND analysis_id = ?'} GROUP BY analysis_id, blocking_rules`).raw(true);
    const forget = client.prepare(scope === undefined ? 'DELETE FROM pallet_dashboard_fresh' : 'DELETE FROM pallet_dashboard_fresh WHERE analysis_id = ?');
    const coldRawMs: number[] = [];
    const coldRepoMs: number[] = [];
    const aggregateReadMs: number[] = [];
    for (let i = 0; i < Math.min(runs, 5); i++) {
      let t = performance.now();
      aggregate.all(...sql.params);
      blockingRead.all(...sql.params);
      aggregateReadMs.push(performance.now() - t);
      forget.run(...sql.params);
      t = performance.now();
      rawCold();
      coldRawMs.push(performance.now() - t);
      forget.run(...sql.params);
      t = performance.now();
      repo();
      coldRepoMs.push(performance.now() - t);
    }
    // After a re-score or import of one analysis among them: only its groups are aggregated again.
    const oneStaleRawMs: number[] = [];
    const oneStaleRepoMs: number[] = [];
    const forgetOne = client.prepare('DELETE FROM pallet_dashboard_fresh WHERE analysis_id = ?');
    const stale = scope ?? (ids[ids.length - 1] as string);
    const rawOneStale = () => {
      st.analyses.all(...sql.params);
      st.fresh.all();
      client.transaction(() => {
        for (const drop of st.dropStale) drop.run();
        st.groups.run(stale);
        st.mix.run(stale);
        st.blockingCount.run(stale);
        st.mark.run(stale, Date.now());
      })();
      return series();
    };
    for (let i = 0; i < Math.min(runs, 5); i++) {
      forgetOne.run(stale);
      let t = performance.now();
      rawOneStale();
      oneStaleRawMs.push(performance.now() - t);
      forgetOne.run(stale);
      t = performance.now();
      repo();
      oneStaleRepoMs.push(performance.now() - t);
    }
    const plan = (text: string, params: unknown[]) => (client.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as { detail: string }[]).map((p) => p.detail).join(' | ');
    out[label] = {
      lines: last?.totals.lines,
      groups: client.prepare(`SELECT count(*) FROM pallet_dashboard_groups${scope === undefined ? '' : ' WHERE analysis_id = ?'}`).pluck().get(...sql.params),
      seriesRows,
      rawRunsMs: rawMs.map(r1),
      repoRunsMs: repoMs.map(r1),
      rawMedianMs: r1(median(rawMs)),
      repoMedianMs: r1(median(repoMs)),
      ratio: Math.round(median(pairRatios) * 100) / 100,
      pairRatios: pairRatios.map((x) => Math.round(x * 100) / 100),
      cold: {
        what: 'cache dropped before each run: both aggregate the lines into the cache (one transaction) and run the series; coldAggregateReadMs = the aggregate SELECT read into JS + blocking (former baseline)',
        rawRunsMs: coldRawMs.map(r1),
        repoRunsMs: coldRepoMs.map(r1),
        rawMedianMs: r1(median(coldRawMs)),
        repoMedianMs: r1(median(coldRepoMs)),
        ratio: Math.round((median(coldRepoMs) / median(coldRawMs)) * 100) / 100,
        coldAggregateReadMs: r1(median(aggregateReadMs)),
      },
      oneStale: {
        what: 'the groups of one analysis dropped before each run (as after its re-score or import): both aggregate its lines again and run the series',
        rawRunsMs: oneStaleRawMs.map(r1),
        repoRunsMs: oneStaleRepoMs.map(r1),
        rawMedianMs: r1(median(oneStaleRawMs)),
        repoMedianMs: r1(median(oneStaleRepoMs)),
        ratio: Math.round((median(oneStaleRepoMs) / median(oneStaleRawMs)) * 100) / 100,
      },
      aggregatePlan: plan(sql.aggregate, sql.params),
      palletsPlan: plan(sql.pallets, [{ settings, top: MAX_DASHBOARD_PALLETS }]),
      statusPlan: plan(sql.status, [{ settings }]),
      blockingPlan: plan(sql.blocking, [{ settings }]),
    };
  }
  client.close();
  return out;
}
