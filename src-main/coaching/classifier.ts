import { CLAUSE_SPLIT } from '@shared/coaching/cues';
import { ARCHETYPES, OBJECTION_CATEGORIES, type Archetype, type CoachLanguage, type Confidence, type ObjectionCategory } from '@shared/coaching/keys';
import { stemSequence } from '@shared/coaching/stem';
import type { IntentModel } from '@shared/coaching/intent-model';
import type { DetectedObjection } from '@shared/coaching/types';
import type { Db } from '../db/open';
import { searchKnowledge } from '../knowledge';
import { findSequence, loadCueSet, type CuePattern, type CueSet } from './cue-set';
import { readIntent, type ClauseCues } from './intent';

/** A category needs at least one cue phrase of its own to count as an objection. */
export const OBJECTION_THRESHOLD = 1;
/** Retrieval re-weights categories that already have cue evidence (bm25 against the objection library). */
export const RETRIEVAL_WEIGHT = 0.75;
const MAX_CLAUSES = 200;
const QUOTE_MAX = 300;
const NEGATORS = new Set(['nie', 'not', 'no', 'isn', 'aren', 'don', 'doesn', 'never', 'nigdy']);

export interface Clause {
  text: string;
  tokens: string[];
}

export interface Classification {
  objections: DetectedObjection[];
  archetype: Archetype;
  archetypeConfidence: Confidence;
  archetypeScores: Record<Archetype, number>;
  /** Clauses that read as buying signals (verbatim). */
  buyingSignals: string[];
  sentimentBalance: number;
  clauses: Clause[];
  /** Cue evidence per clause: what the intent model reads besides the words. */
  cueClauses: ClauseCues[];
}

export function splitClauses(text: string, language: CoachLanguage): Clause[] {
  return text
    .split(CLAUSE_SPLIT)
    .map((c) => c.trim())
    .filter((c) => c.length > 0)
    .slice(0, MAX_CLAUSES)
    .map((c) => ({ text: c, tokens: stemSequence(c, language) }));
}

/** One filler word may sit inside a cue phrase ("don't really need", "za bardzo drogo"). */
export const CUE_GAP = 1;

function matched(tokens: readonly string[], patterns: readonly CuePattern[], gap = CUE_GAP): CuePattern[] {
  return patterns.filter((p) => findSequence(tokens, p.tokens, gap) >= 0);
}

/**
 * Cue phrases found in a clause, except negated ones: "nie drogo" is not evidence of a price objection
 * (cues that contain their own negation, like "nie stać mnie", are matched as written).
 */
function matchedUnnegated(tokens: readonly string[], patterns: readonly CuePattern[]): CuePattern[] {
  return patterns.filter((p) => {
    let from = 0;
    while (from < tokens.length) {
      const at = findSequence(tokens.slice(from), p.tokens, CUE_GAP);
      if (at < 0) return false;
      const index = from + at;
      const before = tokens[index - 1];
      if (before === undefined || !NEGATORS.has(before) || p.tokens.some((t) => NEGATORS.has(t))) return true;
      from = index + 1;
    }
    return false;
  });
}

/** Neutral information questions ("how long does charging take?") need twice the evidence of a statement. */
const INQUIRY_STARTS = new Set(['ile', 'jaki', 'jaka', 'jakie', 'jak', 'kiedy', 'gdzie', 'how', 'what', 'when', 'where', 'which']);
const INQUIRY_FACTOR = 0.5;

function isInquiry(clause: Clause): boolean {
  const first = clause.tokens[0];
  return clause.text.endsWith('?') && first !== undefined && INQUIRY_STARTS.has(first);
}

/** "The price is fine" accepts; "the price is not fine" / "nie odpowiada mi" does not. */
function isAcceptance(tokens: readonly string[], cues: CueSet): boolean {
  for (const pattern of cues.acceptance) {
    const at = findSequence(tokens, pattern.tokens);
    if (at < 0) continue;
    const before = tokens[at - 1];
    const negatedInside = pattern.tokens.some((t) => NEGATORS.has(t));
    if (!negatedInside && before !== undefined && NEGATORS.has(before)) continue;
    return true;
  }
  return false;
}

/** The comma-separated part of a clause that carries the category's cues ("za drogo" of "Za drogo, muszę pomyśleć"). */
function narrowQuote(clause: string, patterns: readonly CuePattern[], language: CoachLanguage): string {
  const parts = clause.split(/,\s*/).filter((p) => p.trim().length > 0);
  if (parts.length < 2) return clause;
  let bestPart: string | null = null;
  let bestScore = 0;
  for (const part of parts) {
    const score = matchedUnnegated(stemSequence(part, language), patterns).reduce((sum, p) => sum + p.weight, 0);
    if (score > bestScore) {
      bestScore = score;
      bestPart = part.trim();
    }
  }
  return bestPart ?? clause;
}

function quoteOf(clause: string): string {
  return clause.length <= QUOTE_MAX ? clause : `${clause.slice(0, QUOTE_MAX - 1)}…`;
}

export interface ClassifyOptions {
  /** The session's earlier archetype guess, used when this message gives no archetype evidence. */
  previousArchetype?: Archetype | null;
  /** Re-weight by FTS retrieval over the objection library (on by default; cue-only reading only). */
  useRetrieval?: boolean;
  /**
   * Read the message with the trained intent model on top of the cue phrases (on by default). Off, the
   * cue phrases alone decide, as before the model existed (the training script needs that reading).
   */
  useModel?: boolean;
  /** Another intent model than the shipped one (cross-validation in scripts/train-coach-classifier.ts). */
  intentModel?: IntentModel;
}

/**
 * The fallback coach's reading of a client message: objection categories (most likely first, with the
 * clause that carries each) from the knowledge base's cue phrases and the retrieval index, and an
 * archetype guess from archetype cues plus each archetype's typical objections.
 */
export function classify(db: Db, text: string, language: CoachLanguage, options: ClassifyOptions = {}): Classification {
  const cues = loadCueSet(db, language);
  const clauses = splitClauses(text, language);
  const totals = new Map<ObjectionCategory, number>();
  const best = new Map<ObjectionCategory, { score: number; clause: string }>();
  let buyingSignals: string[] = [];
  let sentimentBalance = 0;
  const clauseCues: ClauseCues[] = [];
  for (const clause of clauses) {
    for (const token of clause.tokens) {
      if (cues.positive.has(token)) sentimentBalance += 1;
      if (cues.negative.has(token)) sentimentBalance -= 1;
    }
    const buying = matched(clause.tokens, cues.buying).length > 0;
    if (buying) buyingSignals.push(quoteOf(clause.text));
    const scores = new Map<ObjectionCategory, number>();
    clauseCues.push({ text: clause.text, scores, buying });
    if (isAcceptance(clause.tokens, cues)) continue;
    const factor = isInquiry(clause) ? INQUIRY_FACTOR : 1;
    for (const [category, patterns] of cues.objections) {
      const score = factor * matchedUnnegated(clause.tokens, patterns).reduce((sum, p) => sum + p.weight, 0);
      if (score <= 0) continue;
      scores.set(category, score);
      totals.set(category, (totals.get(category) ?? 0) + score);
      const current = best.get(category);
      if (!current || score > current.score) best.set(category, { score, clause: clause.text });
    }
  }
  buyingSignals = buyingSignals.slice(0, 6);

  if (options.useModel !== false) {
    // The model weighs the cue evidence against the words; its reading replaces the cue-only rules below.
    const reading = readIntent(text, language, clauseCues, options.intentModel);
    const objections: DetectedObjection[] = reading.objections.map((o) => ({
      category: o.category,
      score: Math.round(o.score * 100) / 100,
      quote: quoteOf(narrowQuote(o.clause, cues.objections.get(o.category) ?? [], language)),
    }));
    const archetype = guessArchetype(cues, clauses, objections, options.previousArchetype ?? null);
    return { objections, ...archetype, buyingSignals: reading.buyingClauses.slice(0, 6).map(quoteOf), sentimentBalance: sentimentBalance - objections.length, clauses, cueClauses: clauseCues };
  }

  // Only cue evidence decides whether there is an objection; retrieval then re-orders the candidates.
  for (const [category, score] of totals) if (score < OBJECTION_THRESHOLD) totals.delete(category);
  if (options.useRetrieval !== false && totals.size > 0) {
    const seen = new Set<ObjectionCategory>();
    for (const hit of searchKnowledge(db, text.slice(0, 2000), { language, kinds: ['objection'], limit: 8 })) {
      const category = hit.entry.category;
      if (!category || seen.has(category) || !totals.has(category)) continue;
      seen.add(category);
      totals.set(category, (totals.get(category) ?? 0) + RETRIEVAL_WEIGHT * hit.lexical);
    }
  }

  const objections: DetectedObjection[] = [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || OBJECTION_CATEGORIES.indexOf(a[0]) - OBJECTION_CATEGORIES.indexOf(b[0]))
    .map(([category, score]) => ({ category, score: Math.round(score * 100) / 100, quote: quoteOf(narrowQuote(best.get(category)?.clause ?? text, cues.objections.get(category) ?? [], language)) }));

  const archetype = guessArchetype(cues, clauses, objections, options.previousArchetype ?? null);
  return { objections, ...archetype, buyingSignals, sentimentBalance: sentimentBalance - objections.length, clauses, cueClauses: clauseCues };
}

function guessArchetype(cues: CueSet, clauses: Clause[], objections: DetectedObjection[], previous: Archetype | null) {
  const scores = Object.fromEntries(ARCHETYPES.map((a) => [a, 0])) as Record<Archetype, number>;
  for (const [archetype, { cues: patterns, affinity }] of cues.archetypes) {
    const found = new Set<string>();
    for (const clause of clauses) for (const p of matched(clause.tokens, patterns)) found.add(p.tokens.join(' '));
    let score = 0;
    for (const p of patterns) if (found.has(p.tokens.join(' '))) score += p.weight;
    objections.forEach((o, i) => {
      if (affinity.has(o.category)) score += i === 0 ? 0.75 : 0.25;
    });
    scores[archetype] = Math.round(score * 100) / 100;
  }
  const ranked = ARCHETYPES.map((a) => [a, scores[a]] as const).sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  const topScore = top?.[1] ?? 0;
  if (!top || topScore === 0) return { archetype: previous ?? 'analytical', archetypeConfidence: 'low' as const, archetypeScores: scores };
  const margin = topScore - (second?.[1] ?? 0);
  const confidence: Confidence = topScore >= 2.5 && margin >= 1.5 ? 'high' : topScore >= 1 && margin >= 0.5 ? 'medium' : 'low';
  const archetype = margin === 0 && previous && scores[previous] === topScore ? previous : top[0];
  return { archetype, archetypeConfidence: confidence, archetypeScores: scores };
}
