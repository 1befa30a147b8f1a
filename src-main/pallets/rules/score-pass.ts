import type { Rule } from '@shared/pallets/rules';
import { compileRules, type StatusCounts } from '@shared/pallets/scoring';
import { createValuation, type AnalysisValuation, type ValuationOptions } from '@shared/pallets/valuation';
import { firedKeys, sameFiredKey } from '../store/line-codec';
import { newScanLine, newScoreChanges, readScanRow, type ScanRow, type ScoreChanges } from '../store/lines-repo';

/** What a score pass needs besides the lines: the rules and how the analysis is valued. */
export interface ScorePassInput {
  rules: readonly Rule[];
  valuationOptions: Partial<ValuationOptions>;
}

export interface ScorePassResult {
  statuses: StatusCounts;
  valuation: AnalysisValuation;
  /** Lines scored. */
  lines: number;
}

/**
 * Scoring and valuing the stored lines of one analysis, page by page, in source-row order: each page
 * yields the lines whose score, status or fired rules changed. One implementation for the re-score in
 * the main thread and in the scanner thread (rescore-worker.ts), so both write exactly the same thing.
 */
export function createScorePass(input: ScorePassInput): { scorePage(page: readonly ScanRow[]): ScoreChanges; finish(): ScorePassResult } {
  const compiled = compileRules(input.rules);
  const valuation = createValuation(input.valuationOptions);
  const statuses: StatusCounts = { ok: 0, warning: 0, blocked: 0 };
  // One line object for the whole pass: scoring and the valuation keep nothing of a line.
  const line = newScanLine();
  const valued = { values: line.values, status: line.status };
  let lines = 0;
  return {
    scorePage(page) {
      const changes = newScoreChanges();
      for (let k = 0; k < page.length; k++) {
        readScanRow(page[k] as ScanRow, line);
        const s = compiled.score(line);
        statuses[s.status]++;
        valued.status = s.status;
        valuation.add(valued);
        if (s.score === line.score && s.status === line.status && sameFiredKey(s.fired, line.fired)) continue;
        const { f, b } = firedKeys(s.fired);
        changes.rid.push(line.rid);
        changes.id.push(line.id);
        changes.score.push(s.score);
        changes.status.push(s.status);
        changes.fired.push(f);
        changes.blocking.push(b);
      }
      lines += page.length;
      return changes;
    },
    finish: () => ({ statuses, valuation: valuation.result(), lines }),
  };
}
