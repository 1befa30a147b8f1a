/**
 * Pieces of `npm run bench:pallets` that use the app's real SQLite store (src-main/pallets): opening a
 * migrated store, storing pre-scored lines through SqlitePalletStore, re-scoring from the database, and
 * the dashboard's aggregate queries against the same SQL run raw.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CellValue } from '../src-shared/pallets/fields';
import { detectHeaderRow, type HeaderDetection } from '../src-shared/pallets/header-detect';
import { autoMapColumns, type ColumnMapping } from '../src-shared/pallets/mapper';
import { createLineNormaliser } from '../src-shared/pallets/normalise';
import { RULE_TEMPLATES } from '../src-shared/pallets/rule-templates';
import type { Rule } from '../src-shared/pallets/rules';
import type { ImportSummary } from '../src-shared/pallets/schemas';
import { compileRules, type ScoredLine } from '../src-shared/pallets/scoring';
import { valueLines } from '../src-shared/pallets/valuation';
import { findAppRoot } from '../src-main/core/paths';
import { migrateDatabase } from '../src-main/db/migrate';
import { openDatabase, type Db } from '../src-main/db/open';
import { dashboardSql, palletDashboard } from '../src-main/pallets/dashboard';
import { rescoreAnalysis } from '../src-main/pallets/rescoring';
import { SqlitePalletStore } from '../src-main/pallets/sqlite-store';

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
    timings: { openMs: 0, processMs: 0, totalMs: 0 },
    warnings: [],
  };
  store.commit(summary);
  return store.analysisId;
}

/** Re-scoring a stored analysis through the service's path (read pages, score, write the changed lines). */
export async function rescoreFromDb(db: Db, analysisId: string, edited: readonly Rule[], runs = 5): Promise<Record<string, unknown>> {
  const times: number[] = [];
  const changed: number[] = [];
  for (let run = 0; run < runs; run++) {
    // Alternate the rule sets so every run really changes lines (and writes them).
    const rules = run % 2 === 0 ? edited : RULE_TEMPLATES;
    const t = performance.now();
    const r = await rescoreAnalysis(db, analysisId, rules);
    times.push(performance.now() - t);
    changed.push(r.changed);
  }
  return { what: 'rescoreAnalysis on 100k stored lines: read pages (columns + issues from data_json), score, write changed lines + bulk outbox + valuation', runsMs: times.map(Math.round), medianMs: Math.round(median(times)), linesChanged: changed };
}

/**
 * The dashboard over `analyses` × the manifest's lines (1,000,000 for 10 × 100k): the repository call
 * (`palletDashboard`: the cached groups plus folding them into KPIs) against the same SQL run raw with
 * better-sqlite3, alternating, for all analyses and for one; and "cold" (every cached group dropped first,
 * as after an import or re-score of each analysis) against the aggregate SQL over the lines run raw.
 */
export function dashboardBench(dir: string, m: ScoredManifest, analyses: number, runs: number): Record<string, unknown> {
  const db = openStore(dir);
  const tStore = performance.now();
  const ids: string[] = [];
  for (let a = 0; a < analyses; a++) ids.push(storeAnalysis(db, m, `dashboard-${a}`));
  const storeMs = Math.round(performance.now() - tStore);
  const stored = db.$client.prepare('SELECT count(*) FROM pallet_items WHERE deleted_at IS NULL').pluck().get() as number;
  const out: Record<string, unknown> = { analyses, storedLines: stored, storeMs, storeLinesPerSec: Math.round(stored / (storeMs / 1000)) };
  for (const [label, scope] of [['all', undefined], ['one', ids[0]]] as const) {
    const sql = dashboardSql(scope);
    const groups = db.$client.prepare(sql.groups).raw(true);
    const blocking = db.$client.prepare(sql.blocking).raw(true);
    const raw = () => {
      groups.all(...sql.params);
      blocking.all(...sql.params);
    };
    const repo = () => palletDashboard(db, scope);
    // Warm the page cache for both before measuring.
    raw();
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
    const aggregate = db.$client.prepare(sql.aggregate).raw(true);
    const forget = db.$client.prepare(scope === undefined ? 'DELETE FROM pallet_dashboard_fresh' : 'DELETE FROM pallet_dashboard_fresh WHERE analysis_id = ?');
    const coldRawMs: number[] = [];
    const coldRepoMs: number[] = [];
    for (let i = 0; i < Math.min(runs, 5); i++) {
      let t = performance.now();
      aggregate.all(...sql.params);
      blocking.all(...sql.params);
      coldRawMs.push(performance.now() - t);
      forget.run(...sql.params);
      t = performance.now();
      repo();
      coldRepoMs.push(performance.now() - t);
    }
    out[label] = {
      lines: last?.totals.lines,
      groups: (groups.all(...sql.params) as unknown[]).length,
      rawRunsMs: rawMs.map(r1),
      repoRunsMs: repoMs.map(r1),
      rawMedianMs: r1(median(rawMs)),
      repoMedianMs: r1(median(repoMs)),
      ratio: Math.round(median(pairRatios) * 100) / 100,
      pairRatios: pairRatios.map((x) => Math.round(x * 100) / 100),
      cold: {
        what: 'cache dropped before each run: repo aggregates the lines and stores the groups; raw = the aggregate SQL over pallet_items + blocking',
        rawRunsMs: coldRawMs.map(r1),
        repoRunsMs: coldRepoMs.map(r1),
        rawMedianMs: r1(median(coldRawMs)),
        repoMedianMs: r1(median(coldRepoMs)),
        ratio: Math.round((median(coldRepoMs) / median(coldRawMs)) * 100) / 100,
      },
      aggregatePlan: (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql.aggregate}`).all(...sql.params) as { detail: string }[]).map((p) => p.detail).join(' | '),
      plan: (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql.groups}`).all(...sql.params) as { detail: string }[]).map((p) => p.detail).join(' | '),
    };
  }
  db.$client.close();
  return out;
}
