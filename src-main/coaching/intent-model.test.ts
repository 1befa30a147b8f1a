import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INTENT_LABELS } from '@shared/coaching/intent-model';
import { closeDatabase } from '../db/open';
import { classify } from './classifier';
import { predictedLabel, reportOf, type Scored } from './intent-eval';
import { corpusSplitOf, loadCorpus, loadLegacy, MODEL_PATH, packDb, serializeIntentModel, trainIntentModel, trainingExamples, withCueEvidence } from './intent-train';

/**
 * The instant coach's recognition on the corpus's FROZEN test split (test/fixtures/coach-corpus, never
 * trained or tuned on). Floors sit a little below what `npm run eval:coach` measured when the model
 * was committed (n=585: objection category 0.810, "no objection" precision 0.863, buying-signal recall
 * 0.875 and precision 0.845, pl 0.788 / en 0.836, old holdout 0.917; cue phrases alone: 0.634 and
 * 0.452), so a worse model or a broken wiring fails.
 */
const root = path.resolve(import.meta.dirname, '../..');
const db = packDb(root);
afterAll(() => closeDatabase(db));
const corpus = loadCorpus(root);
const test = corpus.filter((i) => i.split === 'test');

function scoreTest(useModel: boolean): Scored[] {
  return test.map((i) => ({ lang: i.lang, expected: i.label, predicted: predictedLabel(classify(db, i.text, i.lang, { useModel })) }));
}

describe('coach corpus', () => {
  it('has at least 800 utterances in both languages and every label, with the split fixed by the id hash', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(800);
    expect(new Set(corpus.map((i) => i.id)).size).toBe(corpus.length);
    for (const lang of ['pl', 'en'] as const) {
      const mine = corpus.filter((i) => i.lang === lang);
      expect(mine.length / corpus.length).toBeGreaterThan(0.4);
      for (const label of INTENT_LABELS) expect(mine.filter((i) => i.label === label && i.split === 'test').length).toBeGreaterThanOrEqual(5);
    }
    // Moving an item between splits after seeing results would show here.
    for (const item of corpus) expect(item.split, item.id).toBe(corpusSplitOf(item.id));
    expect(test.length / corpus.length).toBeGreaterThan(0.2);
    expect(test.length / corpus.length).toBeLessThan(0.3);
  });
});

describe('intent model', () => {
  it('is the committed file the training script produces (deterministic) and stays small', () => {
    const committed = fs.readFileSync(path.join(root, MODEL_PATH), 'utf8');
    expect(committed.length).toBeLessThan(600 * 1024);
    const retrained = serializeIntentModel(trainIntentModel(withCueEvidence(db, trainingExamples(root))));
    expect(retrained === committed, 'src-main/coaching/intent-model.json is stale: run npm run train:coach').toBe(true);
  }, 180_000);

  it('never trains on the test split', () => {
    const testTexts = new Set(test.map((i) => i.text));
    expect(trainingExamples(root).filter((e) => testTexts.has(e.text))).toEqual([]);
  });

  it('clears its floors on the frozen test split', () => {
    const scored = scoreTest(true);
    const r = reportOf(scored);
    expect(r.objectionAccuracy).toBeGreaterThanOrEqual(0.78);
    expect(r.noObjectionPrecision ?? 0).toBeGreaterThanOrEqual(0.84);
    expect(r.perClass.buying_signal.recall ?? 0).toBeGreaterThanOrEqual(0.8);
    expect(r.perClass.buying_signal.precision ?? 0).toBeGreaterThanOrEqual(0.8);
    for (const lang of ['pl', 'en'] as const) expect(reportOf(scored.filter((s) => s.lang === lang)).objectionAccuracy).toBeGreaterThanOrEqual(0.75);
  });

  it('reads paraphrases much better than the cue phrases alone', () => {
    const withModel = reportOf(scoreTest(true));
    const cuesOnly = reportOf(scoreTest(false));
    expect(withModel.objectionAccuracy - cuesOnly.objectionAccuracy).toBeGreaterThanOrEqual(0.15);
    expect((withModel.noObjectionPrecision ?? 0) - (cuesOnly.noObjectionPrecision ?? 0)).toBeGreaterThanOrEqual(0.3);
  });

  it('keeps the old labelled holdout at least as good as before (objection category)', () => {
    const holdout = loadLegacy(root).filter((i) => i.split === 'holdout');
    const scored = holdout.map((i) => ({ lang: i.lang, expected: i.objection ?? ('none' as const), predicted: predictedLabel(classify(db, i.text, i.lang)) }));
    expect(reportOf(scored).objectionAccuracy).toBeGreaterThanOrEqual(0.86);
  });

  it('tells a buying question from an objection and keeps a second objection of a longer message', () => {
    const signal = classify(db, 'If we order the grey one this week, how soon could it be delivered?', 'en');
    expect(signal.objections).toEqual([]);
    expect(signal.buyingSignals).toHaveLength(1);
    const two = classify(db, 'Za drogo, muszę to przemyśleć.', 'pl');
    expect(two.objections.map((o) => o.category)).toEqual(['price', 'timing']);
  });
});
