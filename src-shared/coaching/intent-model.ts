import { z } from 'zod';
import { OBJECTION_CATEGORIES, type CoachLanguage, type ObjectionCategory } from './keys';
import { tokenize } from './normalize';
import { stemToken } from './stem';

/**
 * The small trained model behind the instant coach's recognition: multinomial logistic regression over
 * character n-grams of the folded text, stemmed words and word pairs. It reads paraphrases that no cue
 * phrase lists ("my old Golf still gets me from A to B" is a need objection). Pure and deterministic,
 * so the training script, the main process and the tests compute the same features.
 */
export const INTENT_LABELS = [...OBJECTION_CATEGORIES, 'none', 'buying_signal'] as const;
export const IntentLabel = z.enum(INTENT_LABELS);
export type IntentLabel = z.infer<typeof IntentLabel>;

export function isObjectionLabel(label: IntentLabel): label is ObjectionCategory {
  return (OBJECTION_CATEGORIES as readonly string[]).includes(label);
}

/** Character n-gram lengths (over the folded text, words separated by one space). */
export const CHAR_NGRAMS = [3, 4, 5] as const;
/** Weights are stored as integers: weight × WEIGHT_SCALE, rounded (keeps the JSON small and exact). */
export const WEIGHT_SCALE = 100;

export const IntentModelJson = z
  .object({
    version: z.literal(1),
    labels: z.array(IntentLabel).length(INTENT_LABELS.length),
    /** Integer biases, one per label (scaled by WEIGHT_SCALE). */
    bias: z.array(z.number().int()),
    /** Feature names, sorted; `weights[i]` belongs to `features[i]`. */
    features: z.array(z.string()),
    /** Integer weights per feature, one per label (scaled by WEIGHT_SCALE). */
    weights: z.array(z.array(z.number().int())),
    /** How the model was made (data sizes and hyper-parameters), for the record. */
    trainedOn: z.record(z.string(), z.union([z.number(), z.string()])),
  })
  .strict()
  .refine((m) => m.features.length === m.weights.length && m.weights.every((row) => row.length === m.labels.length), 'one weight per label for every feature');
export type IntentModelJson = z.infer<typeof IntentModelJson>;

/** Features that carry evidence from outside the text (the knowledge base's cue phrases). */
export const EVIDENCE_PREFIX = 'k:';
const CUE_CAP = 2;
const CUE_VALUE = 0.5;

/**
 * The cue phrases' verdict as model features: each objection category's cue score (capped, so one
 * long phrase does not decide alone) and whether a buying-signal phrase was found. The model learns how
 * far to trust them against the words, which is what lets it overrule "price" in "the price is fine".
 */
export function cueEvidence(categoryScores: Iterable<readonly [ObjectionCategory, number]>, buyingCue: boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const [category, score] of categoryScores) if (score > 0) out.set(`${EVIDENCE_PREFIX}${category}`, CUE_VALUE * Math.min(CUE_CAP, score));
  if (buyingCue) out.set(`${EVIDENCE_PREFIX}buy`, CUE_VALUE);
  return out;
}

/**
 * Word classes that paraphrases share where their words differ: amounts of money are said in
 * numbers, number words and slang ("fifty-two grand", "dwieście tysięcy", "10 tys"). Folded forms.
 */
const NUMBER_WORDS = new Set(
  'ten twenty thirty forty fifty sixty seventy eighty ninety hundred thousand grand k tys tysiac tysiace tysiecy dziesiec dwadziescia trzydziesci czterdziesci piecdziesiat szescdziesiat siedemdziesiat osiemdziesiat dziewiecdziesiat sto dwiescie trzysta czterysta piecset stu'.split(' '),
);
const MONEY_WORDS = new Set(
  'money cash euro euros eur pln zl zloty zlotych dollars quid bucks wallet budget pay paying paid spend spending afford kasa kasy kasy pieniadze pieniedzy pieniadzach portfel budzet zaplacic zaplace placic wydac wydawac kwota kwote kwoty'.split(' '),
);

/** Words, word pairs and the question form weigh this much more than one character n-gram. */
export const WORD_BOOST = 5;

/**
 * Distinct features of one utterance. Words are folded (case, diacritics: "ładowanie" = "ladowanie") and
 * stemmed; character n-grams additionally absorb typos and inflections the light stemmer misses.
 */
export function intentFeatures(text: string, language: CoachLanguage): string[] {
  const tokens = tokenize(text);
  const out = new Set<string>([`l:${language}`]);
  const stems = tokens.map((t) => stemToken(t, language));
  for (let i = 0; i < stems.length; i++) {
    out.add(`w:${stems[i]}`);
    if (i > 0) out.add(`b:${stems[i - 1]}_${stems[i]}`);
  }
  for (const t of tokens) {
    if (/^\d{2,}$/.test(t) || NUMBER_WORDS.has(t)) out.add('x:number');
    if (MONEY_WORDS.has(t)) out.add('x:money');
  }
  const folded = ` ${tokens.join(' ')} `;
  for (const n of CHAR_NGRAMS) for (let i = 0; i + n <= folded.length; i++) out.add(`c:${folded.slice(i, i + n)}`);
  // Question form matters: "when could I pick it up?" is a buying signal, "I can't pick it up" is not.
  if (/\?\s*$/.test(text)) {
    out.add('q:?');
    if (stems[0] !== undefined) out.add(`q:${stems[0]}`);
  }
  return [...out];
}

/**
 * Feature values of one utterance: 1/√n for a character n-gram of an utterance with n features (a long
 * message does not get more confident just by being long), WORD_BOOST times that for words, word pairs
 * and the question form (cross-validation on the train split preferred them stronger), plus `evidence`:
 * valued features from outside the text (the knowledge base's cue phrases, src-main/coaching/intent.ts).
 */
export function intentFeatureValues(text: string, language: CoachLanguage, evidence: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const features = intentFeatures(text, language);
  const base = features.length === 0 ? 0 : 1 / Math.sqrt(features.length);
  const values = new Map<string, number>();
  for (const f of features) values.set(f, f.startsWith('c:') ? base : WORD_BOOST * base);
  for (const [f, x] of evidence) values.set(f, x);
  return values;
}

/** A model ready for inference: weights as floats per feature. */
export interface IntentModel {
  labels: readonly IntentLabel[];
  bias: Float64Array;
  weights: Map<string, Float64Array>;
}

export function compileIntentModel(json: IntentModelJson): IntentModel {
  const scale = (values: readonly number[]) => Float64Array.from(values, (v) => v / WEIGHT_SCALE);
  return { labels: json.labels, bias: scale(json.bias), weights: new Map(json.features.map((f, i) => [f, scale(json.weights[i] ?? [])])) };
}

/** Label probabilities (softmax), in the order of `model.labels`. */
export function predictIntent(model: IntentModel, text: string, language: CoachLanguage, evidence: ReadonlyMap<string, number> = new Map()): Float64Array {
  const scores = Float64Array.from(model.bias);
  for (const [feature, x] of intentFeatureValues(text, language, evidence)) {
    const w = model.weights.get(feature);
    if (!w) continue;
    for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] ?? 0) + x * (w[k] ?? 0);
  }
  return softmax(scores);
}

export function softmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    out[k] = Math.exp((scores[k] ?? 0) - max);
    sum += out[k] ?? 0;
  }
  for (let k = 0; k < out.length; k++) out[k] = (out[k] ?? 0) / sum;
  return out;
}

/** Probability of each label as a record. */
export function intentProbabilities(model: IntentModel, probabilities: Float64Array): Record<IntentLabel, number> {
  return Object.fromEntries(model.labels.map((l, k) => [l, probabilities[k] ?? 0])) as Record<IntentLabel, number>;
}
