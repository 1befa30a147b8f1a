import type { CanonicalField, LineIssue, LineValues } from './fields';
import { RE2JS } from 're2js';
import { foldText } from '../text/fold';

/** Values a rule can test beyond the canonical fields, computed from them. */
export const VIRTUAL_FIELDS = ['unit_cost', 'line_cost', 'line_retail', 'discount', 'ean_status', 'issues'] as const;
export type VirtualField = (typeof VIRTUAL_FIELDS)[number];
export type RuleField = CanonicalField | VirtualField;

export const RULE_TYPES = ['category', 'product', 'budget', 'quality'] as const;
export type RuleType = (typeof RULE_TYPES)[number];
export const RULE_ACTIONS = ['block', 'warn', 'prefer'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];
export const COMPARE_OPS = ['gt', 'gte', 'lt', 'lte'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

export type LeafCondition =
  | { field: RuleField; op: 'equals'; value: string | number | boolean }
  | { field: RuleField; op: 'in'; values: (string | number)[] }
  | { field: RuleField; op: 'contains'; value: string }
  | { field: RuleField; op: 'matches'; pattern: string; flags?: string }
  | { field: RuleField; op: CompareOp; value: number }
  | { field: RuleField; op: 'between'; min: number; max: number }
  | { field: RuleField; op: 'missing' };

export type Condition = LeafCondition | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export interface Rule {
  id: string;
  name: string;
  description?: string;
  type: RuleType;
  action: RuleAction;
  /** 1..10: how strongly the rule moves the score. */
  weight: number;
  enabled: boolean;
  scope: 'global' | 'user';
  /** Set on rules created from a shipped template. */
  templateId?: string | null;
  when: Condition;
}

/** What a rule needs from a line; a stored line can be rebuilt into this without its raw cells. */
export interface Scorable {
  values: LineValues;
  issues: readonly LineIssue[];
}

export const REGEX_LIMITS = { patternLength: 200, subjectLength: 500 } as const;
export const CONDITION_LIMITS = { depth: 6, nodes: 200, listValues: 500 } as const;

const REGEX_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

/**
 * A user's regular expression, compiled for RE2 (re2js): matching takes time linear in the text, so no
 * pattern can backtrack for seconds per line the way `.*.*.*=` does in JavaScript's own engine (over a
 * minute for 100k ordinary names). RE2 has no look-arounds or back-references; they fail to compile.
 * Written in JavaScript syntax (named groups are translated); `u` is accepted and changes nothing, RE2
 * always reads Unicode.
 */
export function compileRegex(pattern: string, flags = ''): { test(subject: string): boolean } | { problem: string } {
  if (pattern.length === 0) return { problem: 'The pattern is empty.' };
  if (pattern.length > REGEX_LIMITS.patternLength) return { problem: `The pattern is longer than ${REGEX_LIMITS.patternLength} characters.` };
  if (!/^[imsu]*$/.test(flags) || new Set(flags).size !== flags.length) return { problem: 'Only the flags i, m, s and u are allowed.' };
  let bits = 0;
  for (const f of flags) bits |= REGEX_FLAGS[f] ?? 0;
  try {
    const re = RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
    return { test: (subject) => re.test(subject) };
  } catch {
    return { problem: 'The pattern is not a valid regular expression (look-arounds and back-references are not supported).' };
  }
}

/** Why a user's regular expression cannot be used (see compileRegex), or null when it can. */
export function checkRegexSafety(pattern: string, flags = ''): string | null {
  const compiled = compileRegex(pattern, flags);
  return 'problem' in compiled ? compiled.problem : null;
}

/** Depth and size of a condition tree (limits keep a pasted rule from being a denial of service). */
export function conditionStats(c: Condition, depth = 1): { depth: number; nodes: number } {
  const children = 'all' in c ? c.all : 'any' in c ? c.any : 'not' in c ? [c.not] : [];
  let maxDepth = depth;
  let nodes = 1;
  for (const child of children) {
    const s = conditionStats(child, depth + 1);
    maxDepth = Math.max(maxDepth, s.depth);
    nodes += s.nodes;
  }
  return { depth: maxDepth, nodes };
}

type Value = string | number | readonly string[] | null;
type Accessor = (line: Scorable) => Value;
export type Predicate = (line: Scorable) => boolean;

function accessor(field: RuleField): Accessor {
  switch (field) {
    case 'unit_cost':
      return (l) => l.values.price_net;
    case 'line_cost':
      return (l) => (l.values.price_net === null ? null : l.values.price_net * (l.values.quantity ?? 1));
    case 'line_retail':
      return (l) => (l.values.retail_price === null ? null : l.values.retail_price * (l.values.quantity ?? 1));
    case 'discount':
      return (l) => {
        const { price_net: cost, retail_price: retail } = l.values;
        return cost === null || retail === null || retail <= 0 ? null : Math.round((1 - cost / retail) * 10_000) / 100;
      };
    case 'ean_status':
      return (l) => (l.values.ean !== null ? 'valid' : l.issues.some((i) => i.field === 'ean' && i.kind === 'rejected') ? 'invalid' : 'missing');
    case 'issues':
      return (l) => (l.issues.length === 0 ? [] : l.issues.filter((i) => i.kind === 'rejected').map((i) => i.field));
    default:
      return (l) => l.values[field];
  }
}

/** A plain decimal number written as text ("1.50", "-3", "2,5"): what an equals target compares by value. */
const NUMBER_TEXT_RE = /^-?\d+(?:[.,]\d+)?$/;

function norm(v: string | number | boolean): string {
  return foldText(String(v)).trim();
}

/** Distinct line values a predicate remembers the folded form of (categories, brands, conditions repeat). */
const NORM_MEMO_SIZE = 512;

/**
 * `norm` for one predicate, remembering the folded form of the first NORM_MEMO_SIZE distinct strings:
 * re-scoring 100k lines folds "Electronics" once instead of 100k times. Unique values (names) just miss.
 */
function memoNorm(): (v: string | number) => string {
  const memo = new Map<string, string>();
  return (v) => {
    if (typeof v !== 'string') return norm(v);
    let n = memo.get(v);
    if (n === undefined) {
      n = norm(v);
      if (memo.size < NORM_MEMO_SIZE) memo.set(v, n);
    }
    return n;
  };
}

/** Compile a condition tree into a predicate; strings compare case- and diacritic-insensitively. */
export function compileCondition(c: Condition): Predicate {
  // Loops, not every/some with a closure: a re-score calls these 100k times per rule.
  if ('all' in c) {
    const parts = c.all.map(compileCondition);
    return (l) => {
      for (let i = 0; i < parts.length; i++) if (!(parts[i] as Predicate)(l)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const parts = c.any.map(compileCondition);
    return (l) => {
      for (let i = 0; i < parts.length; i++) if ((parts[i] as Predicate)(l)) return true;
      return false;
    };
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (l) => !inner(l);
  }
  const get = accessor(c.field);
  switch (c.op) {
    case 'equals': {
      const target = c.value;
      // A number equals a number by value ("1.50" is 1.5) and a text by its digits (123 is SKU "123").
      const numeric = typeof target === 'number' ? target : typeof target === 'string' && NUMBER_TEXT_RE.test(target.trim()) ? Number(target.trim().replace(',', '.')) : null;
      const t = norm(target);
      const normOf = memoNorm();
      return (l) => {
        const v = get(l);
        if (v === null) return false;
        if (typeof v === 'number') return numeric !== null ? v === numeric : normOf(v) === t;
        if (Array.isArray(v)) return v.some((x) => normOf(x) === t);
        return normOf(v as string) === t;
      };
    }
    case 'in': {
      const set = new Set(c.values.map((x) => (typeof x === 'number' ? String(x) : norm(x))));
      const normOf = memoNorm();
      return (l) => {
        const v = get(l);
        if (v === null) return false;
        if (Array.isArray(v)) return v.some((x) => set.has(normOf(x)));
        return set.has(typeof v === 'number' ? String(v) : normOf(v as string));
      };
    }
    case 'contains': {
      const t = norm(c.value);
      const normOf = memoNorm();
      return (l) => {
        const v = get(l);
        if (v === null) return false;
        if (Array.isArray(v)) return v.some((x) => normOf(x) === t);
        return normOf(v as string | number).includes(t);
      };
    }
    case 'matches': {
      const re = compileRegex(c.pattern, c.flags ?? '');
      // A pattern that slipped past validation never runs; it simply never matches.
      if ('problem' in re) return () => false;
      return (l) => {
        const v = get(l);
        if (v === null) return false;
        if (Array.isArray(v)) return v.some((x) => re.test(x));
        return re.test(String(v).slice(0, REGEX_LIMITS.subjectLength));
      };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const x = c.value;
      const cmp = c.op === 'gt' ? (v: number) => v > x : c.op === 'gte' ? (v: number) => v >= x : c.op === 'lt' ? (v: number) => v < x : (v: number) => v <= x;
      return (l) => {
        const v = get(l);
        return typeof v === 'number' && cmp(v);
      };
    }
    case 'between': {
      const lo = Math.min(c.min, c.max);
      const hi = Math.max(c.min, c.max);
      return (l) => {
        const v = get(l);
        return typeof v === 'number' && v >= lo && v <= hi;
      };
    }
    case 'missing': {
      const unknownIsMissing = c.field === 'condition';
      return (l) => {
        const v = get(l);
        if (v === null || v === '') return true;
        if (Array.isArray(v)) return v.length === 0;
        return unknownIsMissing && v === 'unknown';
      };
    }
  }
}

const OP_TEXT: Record<LeafCondition['op'], string> = { equals: 'is', in: 'is one of', contains: 'contains', matches: 'matches', gt: '>', gte: '≥', lt: '<', lte: '≤', between: 'is between', missing: 'is missing' };

/** Human-readable condition ("category is one of [weapons, tobacco]"), for explanations and the CLI. */
export function describeCondition(c: Condition): string {
  if ('all' in c) return c.all.length === 1 && c.all[0] ? describeCondition(c.all[0]) : `(${c.all.map(describeCondition).join(' and ')})`;
  if ('any' in c) return c.any.length === 1 && c.any[0] ? describeCondition(c.any[0]) : `(${c.any.map(describeCondition).join(' or ')})`;
  if ('not' in c) return `not ${describeCondition(c.not)}`;
  const op = OP_TEXT[c.op];
  switch (c.op) {
    case 'in':
      return `${c.field} ${op} [${c.values.slice(0, 8).join(', ')}${c.values.length > 8 ? ', …' : ''}]`;
    case 'matches':
      return `${c.field} ${op} /${c.pattern}/${c.flags ?? ''}`;
    case 'between':
      return `${c.field} ${op} ${c.min} and ${c.max}`;
    case 'missing':
      return `${c.field} ${op}`;
    default:
      return `${c.field} ${op} ${JSON.stringify(c.value)}`;
  }
}
