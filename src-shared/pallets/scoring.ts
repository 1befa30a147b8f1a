import type { LineStatus } from './fields';
import type { NormalisedLine } from './normalise';
import { compileCondition, describeCondition, type Predicate, type Rule, type RuleAction, type RuleType, type Scorable } from './rules';

/** Points per weight unit: a weight-5 block costs 50, a weight-5 warning 25, a weight-5 preference adds 25. */
export const EFFECT_PER_WEIGHT: Record<RuleAction, number> = { block: -10, warn: -5, prefer: 5 };
export const NEUTRAL_SCORE = 50;

export interface FiredRule {
  ruleId: string;
  name: string;
  type: RuleType;
  action: RuleAction;
  weight: number;
  /** Points this rule added to (or took from) the score. */
  effect: number;
  /** What the rule tests, in words. */
  condition: string;
}

export interface LineScore {
  score: number;
  status: LineStatus;
  fired: readonly FiredRule[];
}

/** A normalised line with its score: what the pipeline hands to the store and the export. */
export type ScoredLine = NormalisedLine & LineScore;

interface CompiledRule {
  test: Predicate;
  fired: FiredRule;
}

export interface CompiledRules {
  readonly size: number;
  score(line: Scorable): LineScore;
}

const NONE: readonly FiredRule[] = Object.freeze([]);

/**
 * Compile enabled rules once; scoring a line is then a loop over predicates. Fired-rule records are
 * shared between lines (read-only), so re-scoring 100,000 lines allocates almost nothing.
 */
export function compileRules(rules: readonly Rule[]): CompiledRules {
  const compiled: CompiledRule[] = rules
    .filter((r) => r.enabled)
    .map((r) => ({
      test: compileCondition(r.when),
      fired: Object.freeze({ ruleId: r.id, name: r.name, type: r.type, action: r.action, weight: r.weight, effect: EFFECT_PER_WEIGHT[r.action] * r.weight, condition: describeCondition(r.when) }),
    }));
  return {
    size: compiled.length,
    score(line) {
      let fired: FiredRule[] | null = null;
      let total = NEUTRAL_SCORE;
      let blocked = false;
      let warned = false;
      for (let i = 0; i < compiled.length; i++) {
        const rule = compiled[i] as CompiledRule;
        if (!rule.test(line)) continue;
        (fired ??= []).push(rule.fired);
        total += rule.fired.effect;
        if (rule.fired.action === 'block') blocked = true;
        else if (rule.fired.action === 'warn') warned = true;
      }
      const score = total < 0 ? 0 : total > 100 ? 100 : total;
      return { score, status: blocked ? 'blocked' : warned ? 'warning' : 'ok', fired: fired ?? NONE };
    },
  };
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0';
}

/** One line of text: the status, then every rule that fired with its effect (used in export and the CLI). */
export function explainScore(s: LineScore): string {
  const head = `${s.status === 'ok' ? 'OK' : s.status === 'warning' ? 'Warning' : 'Blocked'} (score ${s.score})`;
  if (s.fired.length === 0) return `${head}: no rule fired.`;
  return `${head}: ${s.fired.map((f) => `${f.action} “${f.name}” (${f.condition}) ${signed(f.effect)}`).join('; ')}.`;
}

export interface StatusCounts {
  ok: number;
  warning: number;
  blocked: number;
}

export interface RulePreview {
  total: number;
  /** Lines whose status changes. */
  changed: number;
  /** Lines whose score changes (status may stay). */
  scoreChanged: number;
  before: StatusCounts;
  after: StatusCounts;
  transitions: { from: LineStatus; to: LineStatus; count: number }[];
  averageScoreBefore: number;
  averageScoreAfter: number;
  /** Source row numbers of up to 20 lines whose status changes. */
  sampleRows: number[];
}

/**
 * Effect of a rule edit before it is saved: score every line with the current and the proposed rule
 * set and count what moves. `lines` can be any iterable (a DB cursor), so 100k lines need no array.
 */
export function previewRuleChange(lines: Iterable<Scorable & { row?: number }>, current: readonly Rule[], proposed: readonly Rule[]): RulePreview {
  const a = compileRules(current);
  const b = compileRules(proposed);
  const before: StatusCounts = { ok: 0, warning: 0, blocked: 0 };
  const after: StatusCounts = { ok: 0, warning: 0, blocked: 0 };
  const moves = new Map<string, number>();
  const sampleRows: number[] = [];
  let total = 0;
  let changed = 0;
  let scoreChanged = 0;
  let sumBefore = 0;
  let sumAfter = 0;
  for (const line of lines) {
    const x = a.score(line);
    const y = b.score(line);
    total++;
    before[x.status]++;
    after[y.status]++;
    sumBefore += x.score;
    sumAfter += y.score;
    if (x.score !== y.score) scoreChanged++;
    if (x.status !== y.status) {
      changed++;
      const key = `${x.status}>${y.status}`;
      moves.set(key, (moves.get(key) ?? 0) + 1);
      if (sampleRows.length < 20 && line.row !== undefined) sampleRows.push(line.row);
    }
  }
  const transitions = [...moves].map(([key, count]) => {
    const [from, to] = key.split('>') as [LineStatus, LineStatus];
    return { from, to, count };
  });
  const avg = (sum: number) => (total === 0 ? 0 : Math.round((sum / total) * 100) / 100);
  return { total, changed, scoreChanged, before, after, transitions, averageScoreBefore: avg(sumBefore), averageScoreAfter: avg(sumAfter), sampleRows };
}
