import { AppError } from '../../src-shared/contract/errors';
import type { ImportProgress, RulePreviewSchema } from '../../src-shared/pallets/schemas';
import type { Condition, Rule } from '../../src-shared/pallets/rules';
import { compileRules, previewRuleChange, type StatusCounts } from '../../src-shared/pallets/scoring';
import { createValuation } from '../../src-shared/pallets/valuation';
import type { z } from 'zod';
import type { Db } from '../db/open';
import { forgetDashboardGroups } from './dashboard';
import { getAnalysis, storedValuation, updateAnalysis, type StoredAnalysis } from './analyses-repo';
import { EXTRA_FIELDS, firedKeys, ruleDictionary } from './line-codec';
import { scanLines, writeScoreChanges, type ScanLine, type ScoreChange } from './lines-repo';

/** Lines read per page; between pages the event loop runs (IPC, progress, cancel). */
const PAGE = 5000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function cancelled(): AppError {
  return new AppError('CANCELLED', 'The operation was cancelled.');
}

/** Does any condition test a value that has no column (then data_json's values are read too)? */
export function rulesNeedExtra(rules: readonly Rule[]): boolean {
  const extra = new Set<string>(EXTRA_FIELDS);
  const visit = (c: Condition): boolean => ('all' in c ? c.all.some(visit) : 'any' in c ? c.any.some(visit) : 'not' in c ? visit(c.not) : extra.has(c.field));
  return rules.some((r) => r.enabled && visit(r.when));
}

/** Every live line of an analysis, page by page (synchronous: for one pass that holds no cursor open). */
export function* analysisLines(db: Db, analysisId: string, withExtra: boolean): Generator<ScanLine> {
  let after = -1;
  for (;;) {
    const page = scanLines(db, analysisId, after, PAGE, withExtra);
    for (const line of page) yield line;
    if (page.length < PAGE) return;
    after = (page[page.length - 1] as ScanLine).row;
  }
}

export interface RescoreResult {
  statuses: StatusCounts;
  changed: number;
  elapsedMs: number;
}

/**
 * Re-scores every line of an analysis with `rules`: reads pages of columns plus the issues and fired key
 * from data_json, scores them, and writes only the lines whose score, status or fired rules changed,
 * with the new valuation, status counts and rule dictionary, in one transaction. Cancelling before the
 * write leaves the analysis as it was.
 */
export async function rescoreAnalysis(
  db: Db,
  analysisId: string,
  rules: readonly Rule[],
  opts: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; now?: () => number } = {},
): Promise<RescoreResult> {
  const started = performance.now();
  const { row, meta } = getAnalysis(db, analysisId);
  const compiled = compileRules(rules);
  const valuation = createValuation({ ...meta.valuationOptions, analysisPrice: row.palletPrice });
  const withExtra = rulesNeedExtra(rules);
  const statuses: StatusCounts = { ok: 0, warning: 0, blocked: 0 };
  const changes: ScoreChange[] = [];
  const total = row.lineCount;
  let done = 0;
  let after = -1;
  opts.onProgress?.({ phase: 'processing', done: 0, total });
  for (;;) {
    if (opts.signal?.aborted) throw cancelled();
    const page = scanLines(db, analysisId, after, PAGE, withExtra);
    for (const line of page) {
      const s = compiled.score(line);
      statuses[s.status]++;
      valuation.add({ values: line.values, status: s.status });
      const { f, b } = firedKeys(s.fired);
      if (s.score !== line.score || s.status !== line.status || f !== line.f) changes.push({ rid: line.rid, id: line.id, score: s.score, status: s.status, f, b });
    }
    done += page.length;
    opts.onProgress?.({ phase: 'processing', done, total: Math.max(total, done) });
    if (page.length < PAGE) break;
    after = (page[page.length - 1] as ScanLine).row;
    await yieldToLoop();
  }
  if (opts.signal?.aborted) throw cancelled();
  const now = (opts.now ?? Date.now)();
  const { valuation: stored, palletsOmitted } = storedValuation(valuation.result());
  db.$client.transaction(() => {
    writeScoreChanges(db, changes, now);
    if (changes.length > 0) forgetDashboardGroups(db, analysisId);
    updateAnalysis(db, analysisId, { meta: { ...meta, statuses, rules: ruleDictionary(rules), valuation: stored, palletsOmitted, stats: meta.stats ? { ...meta.stats, statuses } : null }, lineCount: done }, now);
  })();
  opts.onProgress?.({ phase: 'done', done, total: done });
  return { statuses, changed: changes.length, elapsedMs: Math.round((performance.now() - started) * 10) / 10 };
}

/** Recomputes and stores the valuation (after the pallet price changed), from the stored lines. */
export async function revalue(db: Db, analysisId: string, now = Date.now()): Promise<StoredAnalysis> {
  const { row, meta } = getAnalysis(db, analysisId);
  const valuation = createValuation({ ...meta.valuationOptions, analysisPrice: row.palletPrice });
  let after = -1;
  for (;;) {
    const page = scanLines(db, analysisId, after, PAGE, false);
    for (const line of page) valuation.add(line);
    if (page.length < PAGE) break;
    after = (page[page.length - 1] as ScanLine).row;
    await yieldToLoop();
  }
  const { valuation: stored, palletsOmitted } = storedValuation(valuation.result());
  return updateAnalysis(db, analysisId, { meta: { ...getAnalysis(db, analysisId).meta, valuation: stored, palletsOmitted } }, now);
}

/** How many lines of an analysis would change status with `proposed` instead of `current` rules. */
export function previewRules(db: Db, analysisId: string, current: readonly Rule[], proposed: readonly Rule[]): z.infer<typeof RulePreviewSchema> {
  getAnalysis(db, analysisId);
  const withExtra = rulesNeedExtra(current) || rulesNeedExtra(proposed);
  return previewRuleChange(analysisLines(db, analysisId, withExtra), current, proposed);
}
