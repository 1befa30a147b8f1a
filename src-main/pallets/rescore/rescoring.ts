import { AppError } from '@shared/contract/errors';
import type { ImportProgress, RulePreviewSchema } from '@shared/pallets/schemas';
import type { Rule } from '@shared/pallets/rules';
import { previewRuleChange, type StatusCounts } from '@shared/pallets/scoring';
import { createValuation } from '@shared/pallets/valuation';
import type { z } from 'zod';
import { recordBulkUpdate } from '@main/db/changes';
import { checkpointSoon } from '@main/db/checkpointer';
import type { Db } from '@main/db/open';
import { forgetDashboardGroups, refreshDashboardGroups } from '../dashboard/dashboard';
import { getAnalysis, storedValuation, updateAnalysis, type AnalysisMeta, type StoredAnalysis } from '../store/analyses-repo';
import { ruleDictionary } from '../store/line-codec';
import { applyScoreChanges, newScanLine, readScanRow, scanPage, SCORE_FIELDS, type ScanLine, type ScanNeeds, type ScanRow, type ScoreChanges } from '../store/lines-repo';
import { rescoreScanner } from './rescore-scanner';
import { scanNeeds } from '../rules/scan-needs';
import { createScorePass, type ScorePassInput, type ScorePassResult } from '../rules/score-pass';

/** Lines read per page. */
const PAGE = 5000;
/** Between pages the event loop runs (IPC, progress, cancel) once this long has passed since it last did. */
const YIELD_EVERY_MS = 25;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function cancelled(): AppError {
  return new AppError('CANCELLED', 'The operation was cancelled.');
}

/** Every live line of an analysis, page by page (synchronous: for one pass that holds no cursor open). */
export function* analysisLines(db: Db, analysisId: string, needs: ScanNeeds): Generator<ScanLine> {
  // One object for the whole pass: previewRuleChange and the valuation keep nothing of a line.
  const line = newScanLine();
  let after = -1;
  for (;;) {
    const page = scanPage(db, analysisId, after, PAGE, needs);
    for (const row of page) yield readScanRow(row, line);
    if (page.length < PAGE) return;
    after = (page[page.length - 1] as ScanRow)[2];
  }
}

export interface RescoreResult {
  statuses: StatusCounts;
  changed: number;
  elapsedMs: number;
  /** Where the time went: reading + scoring (pages, yields between them) and the one write transaction. */
  phases: { scanMs: number; writeMs: number };
  /** 'thread': scanned in the scanner thread while the main thread wrote; 'main': both in the main thread. */
  scanner: 'thread' | 'main';
}

/** From this many lines a re-score scans in the scanner thread (below, starting it costs more than it saves). */
export const THREAD_SCAN_MIN_LINES = 20_000;

export interface RescoreOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  now?: () => number;
  /** 'auto' (default): the scanner thread from THREAD_SCAN_MIN_LINES lines; 'never' / 'always' for tests. */
  scanThread?: 'auto' | 'never' | 'always';
  log?: (message: string) => void;
}

/**
 * Re-scores every live line of an analysis with `rules` and stores, in one transaction, only the lines
 * whose score, status or fired rules changed (see applyScoreChanges), one bulk outbox entry, and the
 * analysis's new valuation, status counts and rule dictionary.
 *
 * Large analyses are scanned in the scanner thread while this thread writes (rescore-scanner.ts): the
 * pass is then synchronous and cancellable only until it starts. Otherwise pages are read and scored
 * here, yielding to the event loop between them, and written at the end; cancelling before the write
 * leaves the analysis as it was.
 */
export async function rescoreAnalysis(db: Db, analysisId: string, rules: readonly Rule[], opts: RescoreOptions = {}): Promise<RescoreResult> {
  const started = performance.now();
  const { row, meta } = getAnalysis(db, analysisId);
  const input: ScorePassInput = { rules, valuationOptions: { ...meta.valuationOptions, analysisPrice: row.palletPrice } };
  const total = row.lineCount;
  opts.onProgress?.({ phase: 'processing', done: 0, total });
  const mode = opts.scanThread ?? 'auto';
  const scanner = mode === 'always' || (mode === 'auto' && total >= THREAD_SCAN_MIN_LINES) ? rescoreScanner(db, { log: opts.log }) : null;
  if (scanner && (await scanner.ready()) && !db.$client.inTransaction) {
    if (opts.signal?.aborted) throw cancelled();
    // The analysis may have changed while the thread started.
    const current = getAnalysis(db, analysisId);
    const now = (opts.now ?? Date.now)();
    const ids: string[] = [];
    let result: ScorePassResult | null = null;
    // The scan and the writes overlap: writeMs is the time this thread spent writing, scanMs the rest.
    let writing = 0;
    db.$client.transaction(() => {
      result = scanner.scanSync({ ...input, valuationOptions: { ...current.meta.valuationOptions, analysisPrice: current.row.palletPrice }, analysisId, pageSize: PAGE }, (changes, done) => {
        const t = performance.now();
        applyScoreChanges(db, changes, now, ids);
        writing += performance.now() - t;
        opts.onProgress?.({ phase: 'processing', done, total: Math.max(total, done) });
      });
      const t = performance.now();
      storeRescore(db, analysisId, current.meta, rules, result, ids, now);
      writing += performance.now() - t;
    })();
    return finishRescore(db, result as ScorePassResult | null, ids.length, opts, started, performance.now() - writing, 'thread');
  }

  const pass = createScorePass(input);
  const needs = scanNeeds(rules);
  const pages: ScoreChanges[] = [];
  let done = 0;
  let after = -1;
  let yielded = performance.now();
  for (;;) {
    if (opts.signal?.aborted) throw cancelled();
    const page = scanPage(db, analysisId, after, PAGE, needs);
    pages.push(pass.scorePage(page));
    done += page.length;
    opts.onProgress?.({ phase: 'processing', done, total: Math.max(total, done) });
    if (page.length < PAGE) break;
    after = (page[page.length - 1] as ScanRow)[2];
    if (performance.now() - yielded >= YIELD_EVERY_MS) {
      await yieldToLoop();
      yielded = performance.now();
    }
  }
  if (opts.signal?.aborted) throw cancelled();
  const scanned = performance.now();
  const result = pass.finish();
  const now = (opts.now ?? Date.now)();
  const ids: string[] = [];
  db.$client.transaction(() => {
    for (const changes of pages) applyScoreChanges(db, changes, now, ids);
    storeRescore(db, analysisId, meta, rules, result, ids, now);
  })();
  return finishRescore(db, result, ids.length, opts, started, scanned, 'main');
}

/** The end of a re-score's transaction: the outbox entry for the lines written, their dashboard groups and the analysis. */
function storeRescore(db: Db, analysisId: string, meta: AnalysisMeta, rules: readonly Rule[], result: ScorePassResult, ids: readonly string[], now: number): void {
  if (ids.length > 0) {
    recordBulkUpdate(db, 'pallet_items', ids, SCORE_FIELDS, now);
    // Statuses changed: aggregate the analysis's dashboard groups again now (~25 ms per 100k lines), so
    // the dashboard opens from its cache instead of aggregating every re-scored analysis when it opens.
    forgetDashboardGroups(db, analysisId);
    refreshDashboardGroups(db, [analysisId], now);
  }
  const { statuses, valuation, lines } = result;
  const { valuation: stored, palletsOmitted } = storedValuation(valuation);
  updateAnalysis(db, analysisId, { meta: { ...meta, statuses, rules: ruleDictionary(rules), valuation: stored, palletsOmitted, stats: meta.stats ? { ...meta.stats, statuses } : null }, lineCount: lines }, now);
}

function finishRescore(db: Db, result: ScorePassResult | null, written: number, opts: RescoreOptions, started: number, scanned: number, scanner: RescoreResult['scanner']): RescoreResult {
  if (!result) throw new AppError('INTERNAL', 'The re-score ended without a result.');
  // The transaction left ~70 MB of WAL per 100k lines: copy it into the database off the main thread.
  if (written > 0) checkpointSoon(db);
  opts.onProgress?.({ phase: 'done', done: result.lines, total: result.lines });
  const ms = (from: number, to = performance.now()) => Math.round((to - from) * 10) / 10;
  return { statuses: result.statuses, changed: written, elapsedMs: ms(started), phases: { scanMs: ms(started, scanned), writeMs: ms(scanned) }, scanner };
}

/** Recomputes and stores the valuation (after the pallet price changed), from the stored lines. */
export async function revalue(db: Db, analysisId: string, now = Date.now()): Promise<StoredAnalysis> {
  const { row, meta } = getAnalysis(db, analysisId);
  const valuation = createValuation({ ...meta.valuationOptions, analysisPrice: row.palletPrice });
  const line = newScanLine();
  const none = scanNeeds();
  let after = -1;
  for (;;) {
    const page = scanPage(db, analysisId, after, PAGE, none);
    for (const r of page) valuation.add(readScanRow(r, line));
    if (page.length < PAGE) break;
    after = (page[page.length - 1] as ScanRow)[2];
    await yieldToLoop();
  }
  const { valuation: stored, palletsOmitted } = storedValuation(valuation.result());
  return updateAnalysis(db, analysisId, { meta: { ...getAnalysis(db, analysisId).meta, valuation: stored, palletsOmitted } }, now);
}

/** How many lines of an analysis would change status with `proposed` instead of `current` rules. */
export function previewRules(db: Db, analysisId: string, current: readonly Rule[], proposed: readonly Rule[]): z.infer<typeof RulePreviewSchema> {
  getAnalysis(db, analysisId);
  return previewRuleChange(analysisLines(db, analysisId, scanNeeds(current, proposed)), current, proposed);
}
