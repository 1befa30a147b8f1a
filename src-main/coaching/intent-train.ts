import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CoachLanguage, ObjectionCategory } from '@shared/coaching/keys';
import { migrateDatabase } from '../db/migrate';
import { openDatabase, type Db } from '../db/open';
import { ensurePackSeeded } from '../knowledge';
import { classify } from './classifier';
import { messageEvidence } from './intent';
import { EVIDENCE_PREFIX, INTENT_LABELS, IntentLabel, WEIGHT_SCALE, intentFeatureValues, softmax, type IntentModelJson } from '@shared/coaching/intent-model';

/**
 * Training of the instant coach's intent model (scripts/train-coach-classifier.ts writes the result to
 * src-main/coaching/intent-model.json). Full-batch Adam over all examples in a fixed order, so the
 * same data always gives the same weights, bit for bit; the tests retrain and compare.
 */

export const CorpusItem = z.object({ id: z.string(), lang: CoachLanguage, text: z.string().min(1), label: IntentLabel, split: z.enum(['train', 'test']) }).strict();
export type CorpusItem = z.infer<typeof CorpusItem>;
export const CorpusFile = z.object({ description: z.string(), items: z.array(CorpusItem) }).strict();

const LegacyItem = z.object({ id: z.string(), lang: CoachLanguage, text: z.string(), objection: ObjectionCategory.nullable(), archetype: z.string().nullable(), split: z.enum(['dev', 'holdout']) });
export type LegacyItem = z.infer<typeof LegacyItem>;

export const CORPUS_DIR = 'test/fixtures/coach-corpus';
export const LEGACY_PATH = 'test/fixtures/coach-labelled.json';
export const MODEL_PATH = 'src-main/coaching/intent-model.json';

/** The frozen split: decided by a hash of the id alone, so nobody can move an item after seeing results. */
export function corpusSplitOf(id: string): 'train' | 'test' {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(`coach-corpus/v1:${id}`)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 100 < 25 ? 'test' : 'train';
}

/** Every batch of the corpus (corpus.json, corpus-2.json, …), in file-name order. */
export function loadCorpus(root: string): CorpusItem[] {
  const dir = path.join(root, CORPUS_DIR);
  const files = fs.readdirSync(dir).filter((f) => /^corpus(-\d+)?\.json$/.test(f)).sort();
  return files.flatMap((f) => CorpusFile.parse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))).items);
}

export function loadLegacy(root: string): LegacyItem[] {
  return z.object({ items: z.array(LegacyItem) }).parse(JSON.parse(fs.readFileSync(path.join(root, LEGACY_PATH), 'utf8'))).items;
}

export interface TrainingExample {
  lang: CoachLanguage;
  text: string;
  label: IntentLabel;
  /** Valued features from outside the text (cue evidence), as predictIntent takes them. */
  evidence?: ReadonlyMap<string, number>;
}

/**
 * The corpus's train split, plus the old labelled set's dev items that name an objection (its items
 * without one mix small talk and buying signals under one null label, so they are left out). Never
 * the corpus's test split nor the old holdout.
 */
export function trainingExamples(root: string): TrainingExample[] {
  const corpus = loadCorpus(root).filter((i) => i.split === 'train');
  const legacy = loadLegacy(root).filter((i) => i.split === 'dev' && i.objection !== null);
  return [...corpus.map((i) => ({ lang: i.lang, text: i.text, label: i.label })), ...legacy.map((i) => ({ lang: i.lang, text: i.text, label: i.objection as IntentLabel }))];
}

/** An in-memory store holding the default knowledge pack: the cue phrases the model is trained with. */
export function packDb(root: string): Db {
  const { db } = migrateDatabase(openDatabase(':memory:'), ':memory:', path.join(root, 'drizzle'));
  ensurePackSeeded(db);
  return db;
}

/** Examples with the cue phrases' evidence, read as the instant path reads it (cue phrases only). */
export function withCueEvidence(db: Db, examples: readonly TrainingExample[]): TrainingExample[] {
  return examples.map((e) => ({ ...e, evidence: messageEvidence(classify(db, e.text, e.lang, { useModel: false, useRetrieval: false }).cueClauses) }));
}

export interface TrainOptions {
  /** A feature must occur in this many training utterances to be learnt. */
  minCount: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty per weight (times the number of examples in the gradient's scale). */
  l2: number;
  /** Features whose largest absolute weight stays below this are dropped after training. */
  prune: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { minCount: 2, epochs: 150, learningRate: 0.05, l2: 0.00005, prune: 0.25 };

interface Encoded {
  features: Int32Array;
  values: Float64Array;
  label: number;
}

export function trainIntentModel(examples: readonly TrainingExample[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS): IntentModelJson {
  const K = INTENT_LABELS.length;
  const featureMaps = examples.map((e) => intentFeatureValues(e.text, e.lang, e.evidence));
  const counts = new Map<string, number>();
  for (const map of featureMaps) for (const f of map.keys()) counts.set(f, (counts.get(f) ?? 0) + 1);
  // Cue evidence features are few and always meaningful: kept whatever their count.
  const kept = (f: string, n: number) => n >= options.minCount || f.startsWith(EVIDENCE_PREFIX);
  const vocabulary = [...counts.entries()].filter(([f, n]) => kept(f, n)).map(([f]) => f).sort();
  const index = new Map(vocabulary.map((f, i) => [f, i]));
  const data: Encoded[] = examples.map((e, i) => {
    const features: number[] = [];
    const values: number[] = [];
    for (const [f, x] of featureMaps[i] ?? []) {
      const at = index.get(f);
      if (at === undefined) continue;
      features.push(at);
      values.push(x);
    }
    return { features: Int32Array.from(features), values: Float64Array.from(values), label: INTENT_LABELS.indexOf(e.label) };
  });

  const F = vocabulary.length;
  const size = (F + 1) * K; // the last row holds the biases
  const w = new Float64Array(size);
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  const grad = new Float64Array(size);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const n = data.length;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    grad.fill(0);
    for (const ex of data) {
      const scores = new Float64Array(K);
      for (let k = 0; k < K; k++) scores[k] = w[F * K + k] ?? 0;
      ex.features.forEach((f, j) => {
        const x = ex.values[j] ?? 0;
        for (let k = 0; k < K; k++) scores[k] = (scores[k] ?? 0) + x * (w[f * K + k] ?? 0);
      });
      const p = softmax(scores);
      for (let k = 0; k < K; k++) {
        const g = ((p[k] ?? 0) - (k === ex.label ? 1 : 0)) / n;
        grad[F * K + k] = (grad[F * K + k] ?? 0) + g;
        ex.features.forEach((f, j) => {
          grad[f * K + k] = (grad[f * K + k] ?? 0) + g * (ex.values[j] ?? 0);
        });
      }
    }
    for (let i = 0; i < F * K; i++) grad[i] = (grad[i] ?? 0) + options.l2 * (w[i] ?? 0);
    const c1 = 1 - beta1 ** epoch;
    const c2 = 1 - beta2 ** epoch;
    for (let i = 0; i < size; i++) {
      const g = grad[i] ?? 0;
      m[i] = beta1 * (m[i] ?? 0) + (1 - beta1) * g;
      v[i] = beta2 * (v[i] ?? 0) + (1 - beta2) * g * g;
      w[i] = (w[i] ?? 0) - (options.learningRate * ((m[i] ?? 0) / c1)) / (Math.sqrt((v[i] ?? 0) / c2) + 1e-8);
    }
  }

  const features: string[] = [];
  const weights: number[][] = [];
  for (let f = 0; f < F; f++) {
    const row = Array.from({ length: K }, (_, k) => Math.round((w[f * K + k] ?? 0) * WEIGHT_SCALE));
    if (Math.max(...row.map(Math.abs)) < options.prune * WEIGHT_SCALE) continue;
    features.push(vocabulary[f] ?? '');
    weights.push(row);
  }
  const bias = Array.from({ length: K }, (_, k) => Math.round((w[F * K + k] ?? 0) * WEIGHT_SCALE));
  return {
    version: 1,
    labels: [...INTENT_LABELS],
    bias,
    features,
    weights,
    trainedOn: { examples: n, features: features.length, minCount: options.minCount, epochs: options.epochs, learningRate: options.learningRate, l2: options.l2, prune: options.prune },
  };
}

/** The model file's exact text (one feature per line, so a retrained model gives a readable diff). */
export function serializeIntentModel(model: IntentModelJson): string {
  const header = [`"version": ${model.version}`, `"labels": ${JSON.stringify(model.labels)}`, `"bias": ${JSON.stringify(model.bias)}`, `"trainedOn": ${JSON.stringify(model.trainedOn)}`];
  const features = model.features.map((f) => `  ${JSON.stringify(f)}`).join(',\n');
  const weights = model.weights.map((row) => `  ${JSON.stringify(row)}`).join(',\n');
  return `{\n${header.join(',\n')},\n"features": [\n${features}\n],\n"weights": [\n${weights}\n]\n}\n`;
}
