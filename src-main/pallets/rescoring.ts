import { AppError } from '../../src-shared/contract/errors';
import type { ImportProgress, RulePreviewSchema } from '../../src-shared/pallets/schemas';
import type { Condition, Rule, VirtualField } from '../../src-shared/pallets/rules';
import { compileRules, previewRuleChange, type StatusCounts } from '../../src-shared/pallets/scoring';
import { createValuation } from '../../src-shared/pallets/valuation';
import type { z } from 'zod';
import { checkpointSoon } from '../db/checkpointer';
import type { Db } from '../db/open';
import { forgetDashboardGroups } from './dashboard';
import { getAnalysis, storedValuation, updateAnalysis, type StoredAnalysis } from './analyses-repo';
import { COLUMN_FIELDS, EXTRA_FIELDS, firedKeys, ruleDictionary, sameFiredKey, type ColumnField } from './line-codec';
import { newScanLine, readScanRow, scanPage, writeScoreChanges, type ScanLine, type ScanNeeds, type ScanRow, type ScoreChange } from './lines-repo';

/** Lines read per page. */
const PAGE = 5000;
/** Between pages the event loop runs (IPC, progress, cancel) once this long has passed since it last did. */
const YIELD_EVERY_MS = 25;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function cancelled(): AppError {
  return new AppError('CANCELLED', 'The operation was cancelled.');
}

/** What the valuation reads of a line (always read: a re-score and a revalue value every line). */
const VALUATION_COLUMNS: readonly ColumnField[] = ['pallet_id', 'quantity', 'currency', 'price_net', 'retail_price', 'condition', 'category'];
/** The columns a virtual rule field is computed from. */
const VIRTUAL_COLUMNS: Record<VirtualField, readonly ColumnField[]> = {
  unit_cost: ['price_net'],
  line_cost: ['price_net', 'quantity'],
  line_retail: ['retail_price', 'quantity'],
  discount: ['price_net', 'retail_price'],
  ean_status: ['ean'],
  issues: [],
};

/**
 * What a pass scoring with `rules` reads of each line: the columns its rules and the valuation test
 * (a column nobody tests is not turned into 100k JavaScript strings); issues only for a rule on `issues`
 * (all lines) or on `ean_status` (lines without an EAN: a line with one is 'valid' whatever its issues);
 * the values without a column only for a rule on one of them. Most rule sets parse no JSON at all.
 */
export function scanNeeds(...ruleSets: (readonly Rule[])[]): ScanNeeds {
  const fields = new Set<string>();
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else fields.add(c.field);
  };
  for (const rules of ruleSets) for (const r of rules) if (r.enabled) visit(r.when);
  const columns = new Set<ColumnField>(VALUATION_COLUMNS);
  for (const field of fields) {
    if ((COLUMN_FIELDS as readonly string[]).includes(field)) columns.add(field as ColumnField);
    else if (Object.hasOwn(VIRTUAL_COLUMNS, field)) for (const c of VIRTUAL_COLUMNS[field as VirtualField]) columns.add(c);
    else if (!(EXTRA_FIELDS as readonly string[]).includes(field)) for (const c of COLUMN_FIELDS) columns.add(c);
  }
  return {
    columns: COLUMN_FIELDS.filter((c) => columns.has(c)),
    issues: fields.has('issues') ? 'all' : fields.has('ean_status') ? 'without-ean' : 'none',
    extra: EXTRA_FIELDS.some((f) => fields.has(f)),
  };
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
}

/**
 * Re-scores every line of an analysis with `rules`: reads pages of columns and the stored fired rules
 * (data_json only for what the rules test), scores them, and writes only the lines whose score, status
 * or fired rules changed (four small columns, see writeScoreChanges), with the new valuation, status
 * counts and rule dictionary, in one transaction. Cancelling before the write leaves the analysis as it was.
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
  const needs = scanNeeds(rules);
  const statuses: StatusCounts = { ok: 0, warning: 0, blocked: 0 };
  const changes: ScoreChange[] = [];
  const total = row.lineCount;
  const line = newScanLine();
  const valued = { values: line.values, status: line.status };
  let done = 0;
  let after = -1;
  let yielded = performance.now();
  opts.onProgress?.({ phase: 'processing', done: 0, total });
  for (;;) {
    if (opts.signal?.aborted) throw cancelled();
    const page = scanPage(db, analysisId, after, PAGE, needs);
    for (let k = 0; k < page.length; k++) {
      readScanRow(page[k] as ScanRow, line);
      const s = compiled.score(line);
      statuses[s.status]++;
      valued.status = s.status;
      valuation.add(valued);
      if (s.score === line.score && s.status === line.status && sameFiredKey(s.fired, line.fired)) continue;
      const { f, b } = firedKeys(s.fired);
      changes.push({ rid: line.rid, id: line.id, score: s.score, status: s.status, fired: f, blocking: b });
    }
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
  const now = (opts.now ?? Date.now)();
  const { valuation: stored, palletsOmitted } = storedValuation(valuation.result());
  let written = 0;
  db.$client.transaction(() => {
    written = writeScoreChanges(db, changes, now);
    if (written > 0) forgetDashboardGroups(db, analysisId);
    updateAnalysis(db, analysisId, { meta: { ...meta, statuses, rules: ruleDictionary(rules), valuation: stored, palletsOmitted, stats: meta.stats ? { ...meta.stats, statuses } : null }, lineCount: done }, now);
  })();
  // The transaction left ~70 MB of WAL per 100k lines: copy it into the database off the main thread.
  if (written > 0) checkpointSoon(db);
  opts.onProgress?.({ phase: 'done', done, total: done });
  const ms = (from: number) => Math.round((performance.now() - from) * 10) / 10;
  return { statuses, changed: written, elapsedMs: ms(started), phases: { scanMs: Math.round((scanned - started) * 10) / 10, writeMs: ms(scanned) } };
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
