/**
 * Trains the instant coach's intent model from the corpus's train split (and the old labelled set's dev
 * items), with the default pack's cue evidence as features, and writes src-main/coaching/intent-model.json.
 * Deterministic: the same data gives the same file, which src-main/coaching/intent-model.test.ts checks.
 *
 *   npx tsx scripts/train-coach-classifier.ts          # write the model
 *   npx tsx scripts/train-coach-classifier.ts --check  # exit 1 if the committed model is stale
 *   npx tsx scripts/train-coach-classifier.ts --cv     # 4-fold cross-validation inside the train split
 *
 * The corpus's test split is never read for training or tuning: tuning uses the cross-validation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileIntentModel } from '@shared/coaching/intent-model';
import { classify } from '@main/coaching/classifier';
import { formatReport, predictedLabel, reportOf, type Scored } from '@main/coaching/intent-eval';
import { DEFAULT_TRAIN_OPTIONS, MODEL_PATH, packDb, serializeIntentModel, trainIntentModel, trainingExamples, withCueEvidence } from '@main/coaching/intent-train';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const db = packDb(root);
const examples = withCueEvidence(db, trainingExamples(root));
// --set key=value overrides a training option (cross-validation experiments only).
const options = { ...DEFAULT_TRAIN_OPTIONS };
args.forEach((a, i) => {
  if (a !== '--set') return;
  const [key, value] = (args[i + 1] ?? '').split('=');
  if (key && key in options && value !== undefined) Object.assign(options, { [key]: Number(value) });
});

if (args.includes('--cv')) {
  const folds = 4;
  const scored: Scored[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const json = trainIntentModel(examples.filter((_, i) => i % folds !== fold), options);
    if (fold === 0) console.log(`features kept: ${json.features.length}`);
    const model = compileIntentModel(json);
    for (const ex of examples.filter((_, i) => i % folds === fold)) {
      const c = classify(db, ex.text, ex.lang, { intentModel: model });
      scored.push({ lang: ex.lang, expected: ex.label, predicted: predictedLabel(c) });
      if (args.includes('--errors') && predictedLabel(c) !== ex.label) console.log(`${ex.label} -> ${predictedLabel(c)}: ${ex.text}`);
    }
  }
  console.log(formatReport(`${folds}-fold cross-validation on the train split ${JSON.stringify(options)}`, reportOf(scored)).split('\n').slice(0, args.includes('--short') ? 1 : undefined).join('\n'));
} else {
  const text = serializeIntentModel(trainIntentModel(examples, DEFAULT_TRAIN_OPTIONS));
  const file = path.join(root, MODEL_PATH);
  if (args.includes('--check')) {
    const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
    console.log(same ? 'intent model is up to date' : 'intent model is stale: run npx tsx scripts/train-coach-classifier.ts');
    process.exit(same ? 0 : 1);
  }
  fs.writeFileSync(file, text);
  console.log(`wrote ${MODEL_PATH} (${examples.length} examples, ${(text.length / 1024).toFixed(0)} KiB)`);
}
