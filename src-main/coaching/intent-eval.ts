import { INTENT_LABELS, isObjectionLabel, type IntentLabel } from '@shared/coaching/intent-model';
import type { CoachLanguage } from '@shared/coaching/keys';
import type { Classification } from './classifier';

/**
 * Scoring of the instant coach's recognition against labelled utterances: shared by `npm run
 * eval:coach`, the training script's cross-validation and the floors in intent-model.test.ts.
 */

/** One label for a classification: its first objection, else a buying signal if it saw one, else none. */
export function predictedLabel(c: Pick<Classification, 'objections' | 'buyingSignals'>): IntentLabel {
  return c.objections[0]?.category ?? (c.buyingSignals.length > 0 ? 'buying_signal' : 'none');
}

/** The objection category a label stands for (null: no objection, which a buying signal also is). */
export function objectionOf(label: IntentLabel): IntentLabel | null {
  return isObjectionLabel(label) ? label : null;
}

export interface Scored {
  lang: CoachLanguage;
  expected: IntentLabel;
  predicted: IntentLabel;
}

export interface ClassReport {
  support: number;
  predicted: number;
  precision: number | null;
  recall: number | null;
}

export interface IntentReport {
  n: number;
  /** All ten labels right. */
  accuracy: number;
  /** The objection category right, "none" and "buying_signal" both counting as no objection. */
  objectionAccuracy: number;
  /** Of the utterances called "no objection", the share that had none. */
  noObjectionPrecision: number | null;
  perClass: Record<IntentLabel, ClassReport>;
  /** confusion[expected][predicted] = count. */
  confusion: Record<IntentLabel, Record<IntentLabel, number>>;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function reportOf(items: readonly Scored[]): IntentReport {
  const confusion = Object.fromEntries(INTENT_LABELS.map((e) => [e, Object.fromEntries(INTENT_LABELS.map((p) => [p, 0]))])) as Record<IntentLabel, Record<IntentLabel, number>>;
  let right = 0;
  let objectionRight = 0;
  let saidNone = 0;
  let saidNoneRight = 0;
  for (const item of items) {
    confusion[item.expected][item.predicted] += 1;
    if (item.expected === item.predicted) right += 1;
    const expected = objectionOf(item.expected);
    const predicted = objectionOf(item.predicted);
    if (expected === predicted) objectionRight += 1;
    if (predicted === null) {
      saidNone += 1;
      if (expected === null) saidNoneRight += 1;
    }
  }
  const perClass = Object.fromEntries(
    INTENT_LABELS.map((label) => {
      const support = INTENT_LABELS.reduce((sum, p) => sum + confusion[label][p], 0);
      const predicted = INTENT_LABELS.reduce((sum, e) => sum + confusion[e][label], 0);
      const hits = confusion[label][label];
      return [label, { support, predicted, precision: ratio(hits, predicted), recall: ratio(hits, support) }];
    }),
  ) as Record<IntentLabel, ClassReport>;
  return {
    n: items.length,
    accuracy: ratio(right, items.length) ?? 0,
    objectionAccuracy: ratio(objectionRight, items.length) ?? 0,
    noObjectionPrecision: ratio(saidNoneRight, saidNone),
    perClass,
    confusion,
  };
}

const pct = (x: number | null) => (x === null ? '  n/a' : `${(100 * x).toFixed(1).padStart(5)}`);
const SHORT: Record<IntentLabel, string> = {
  price: 'price',
  timing: 'timing',
  competitor: 'compet',
  trust: 'trust',
  need: 'need',
  authority: 'author',
  financing: 'financ',
  product_fit: 'fit',
  none: 'none',
  buying_signal: 'buying',
};

/** A report as text: headline figures, per-class precision/recall and the confusion matrix. */
export function formatReport(title: string, r: IntentReport): string {
  const lines = [
    `${title}: n=${r.n}  accuracy ${pct(r.accuracy)}%  objection category ${pct(r.objectionAccuracy)}%  "no objection" precision ${pct(r.noObjectionPrecision)}%`,
    `  ${'label'.padEnd(14)} ${'n'.padStart(4)} ${'prec%'.padStart(6)} ${'rec%'.padStart(6)}`,
    ...INTENT_LABELS.map((l) => `  ${l.padEnd(14)} ${String(r.perClass[l].support).padStart(4)} ${pct(r.perClass[l].precision).padStart(6)} ${pct(r.perClass[l].recall).padStart(6)}`),
    `  confusion (rows: expected, columns: predicted)`,
    `  ${''.padEnd(8)}${INTENT_LABELS.map((l) => SHORT[l].padStart(7)).join('')}`,
    ...INTENT_LABELS.map((e) => `  ${SHORT[e].padEnd(8)}${INTENT_LABELS.map((p) => String(r.confusion[e][p] || '.').padStart(7)).join('')}`),
  ];
  return lines.join('\n');
}
