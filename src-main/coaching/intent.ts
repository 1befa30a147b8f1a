import { compileIntentModel, cueEvidence, INTENT_LABELS, IntentModelJson, isObjectionLabel, predictIntent, type IntentLabel, type IntentModel } from '@shared/coaching/intent-model';
import type { CoachLanguage, ObjectionCategory } from '@shared/coaching/keys';
import modelJson from './intent-model.json';

/**
 * The instant coach's reading of a message with the trained intent model (intent-model.json, made by
 * scripts/train-coach-classifier.ts) on top of the knowledge base's cue phrases. The cue scores go
 * into the model as features, so an edited pack still steers the result; the model reads paraphrases
 * the cues do not list and tells buying questions from objections.
 */

let shipped: IntentModel | null = null;

/** The committed model, parsed and compiled once. */
export function shippedIntentModel(): IntentModel {
  shipped ??= compileIntentModel(IntentModelJson.parse(modelJson));
  return shipped;
}

/** Cue evidence of one clause (or of the whole message): category scores and whether a buying phrase matched. */
export interface ClauseCues {
  text: string;
  scores: ReadonlyMap<ObjectionCategory, number>;
  buying: boolean;
}

export interface IntentReading {
  /** The message's most likely label. */
  label: IntentLabel;
  probabilities: Record<IntentLabel, number>;
  /** Objection categories, most likely first, with the clause that carries each. */
  objections: { category: ObjectionCategory; score: number; clause: string }[];
  /** Clauses that read as buying signals (verbatim). */
  buyingClauses: string[];
}

/**
 * Below this probability a category that is not the message's top label is not reported as a second
 * objection. "No objection" wins only when no objection category reaches NONE_MARGIN of its probability.
 */
export const SECOND_OBJECTION_MIN = 0.3;
export const NONE_MARGIN = 0.5;
/** A clause of a longer message must be this sure of its own objection to add it. */
const CLAUSE_OBJECTION_MIN = 0.5;
/**
 * The model gives one label per text, so "too expensive and the competitor offers more" leaves the
 * second objection with a tiny probability. Cue phrases worth this much in one clause (two words of
 * one phrase, or two phrases) add their category as a further objection of a message that objects.
 */
export const STRONG_CUE = 1.5;
/**
 * Clauses read one by one (for second objections and buying signals) in a long paste: beyond these the
 * whole-message reading and the cue phrases still count, and the instant answer stays within budget.
 */
const MAX_CLAUSE_READINGS = 24;
/** Among the objections reported, cue evidence breaks near-ties of the model ("Za drogo, muszę to przemyśleć."). */
export const CUE_ORDER_WEIGHT = 0.15;

function argmax(p: Float64Array): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if ((p[k] ?? 0) > (p[best] ?? 0)) best = k;
  return best;
}

function cueTotalsOf(clauses: readonly ClauseCues[]): Map<ObjectionCategory, number> {
  const totals = new Map<ObjectionCategory, number>();
  for (const c of clauses) for (const [category, score] of c.scores) totals.set(category, (totals.get(category) ?? 0) + score);
  return totals;
}

/** The whole message's cue evidence (as the model was trained on it): clause scores summed. */
export function messageEvidence(clauses: readonly ClauseCues[]): Map<string, number> {
  return cueEvidence(cueTotalsOf(clauses), clauses.some((c) => c.buying));
}

/**
 * Top label with the "no objection only when unsure of every objection" rule: a message the model
 * calls "none" still counts as an objection when one category comes close.
 */
function decide(p: Float64Array): number {
  const top = argmax(p);
  if (INTENT_LABELS[top] !== 'none') return top;
  let bestObjection = -1;
  INTENT_LABELS.forEach((label, k) => {
    if (isObjectionLabel(label) && (bestObjection < 0 || (p[k] ?? 0) > (p[bestObjection] ?? 0))) bestObjection = k;
  });
  return bestObjection >= 0 && (p[bestObjection] ?? 0) >= NONE_MARGIN * (p[top] ?? 0) ? bestObjection : top;
}

export function readIntent(text: string, language: CoachLanguage, clauses: readonly ClauseCues[], model: IntentModel = shippedIntentModel()): IntentReading {
  const whole = predictIntent(model, text, language, messageEvidence(clauses));
  const top = decide(whole);
  const label = INTENT_LABELS[top] ?? 'none';
  const perClause = clauses.length > 1 ? clauses.slice(0, MAX_CLAUSE_READINGS).map((c) => ({ clause: c.text, p: predictIntent(model, c.text, language, cueEvidence(c.scores, c.buying)) })) : [];

  const objections = new Map<ObjectionCategory, { score: number; clause: string }>();
  const clauseFor = (k: number) => perClause.reduce((best, c) => ((c.p[k] ?? 0) > (best.p[k] ?? 0) ? c : best), perClause[0] ?? { clause: text, p: whole }).clause;
  const cueTotals = cueTotalsOf(clauses);
  const strongCue = (category: ObjectionCategory) => clauses.filter((c) => (c.scores.get(category) ?? 0) >= STRONG_CUE).sort((a, b) => (b.scores.get(category) ?? 0) - (a.scores.get(category) ?? 0))[0];
  INTENT_LABELS.forEach((l, k) => {
    if (!isObjectionLabel(l)) return;
    const pk = whole[k] ?? 0;
    const cue = k === top || !isObjectionLabel(label) ? undefined : strongCue(l);
    if (k === top || (isObjectionLabel(label) && pk >= SECOND_OBJECTION_MIN)) objections.set(l, { score: pk, clause: clauseFor(k) });
    else if (cue) objections.set(l, { score: pk, clause: cue.text });
  });
  // A longer message can carry an objection in one clause that the whole does not lead with.
  const buyingClauses: string[] = [];
  for (const c of perClause) {
    const k = decide(c.p);
    const l = INTENT_LABELS[k] ?? 'none';
    if (l === 'buying_signal') buyingClauses.push(c.clause);
    else if (isObjectionLabel(l) && (c.p[k] ?? 0) >= CLAUSE_OBJECTION_MIN && !objections.has(l)) objections.set(l, { score: (c.p[k] ?? 0) * (whole[k] ?? 0) ** 0.5, clause: c.clause });
  }
  if (label === 'buying_signal' && buyingClauses.length === 0) buyingClauses.push(text);

  return {
    label,
    probabilities: Object.fromEntries(INTENT_LABELS.map((l, k) => [l, whole[k] ?? 0])) as Record<IntentLabel, number>,
    objections: [...objections.entries()]
      .map(([category, o]) => ({ category, ...o, score: o.score + CUE_ORDER_WEIGHT * Math.min(1, (cueTotals.get(category) ?? 0) / STRONG_CUE) }))
      .sort((a, b) => b.score - a.score),
    buyingClauses,
  };
}
