/**
 * Recognition of the instant coach (issue 15 item 1) on labelled client utterances: per-category
 * precision and recall and the confusion matrix on the corpus's FROZEN test split (never trained or
 * tuned on), per language, and the objection category on the old labelled set's holdout; the cue-only
 * reading (before the model) in the same run for comparison. Then latency per utterance: classification
 * and the whole instant answer, against bare tokenisation as the raw baseline in the same run.
 * Writes bench-results/coach-eval.json. Run: npm run eval:coach
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileIntentModel, IntentModelJson, predictIntent } from '@shared/coaching/intent-model';
import type { CoachLanguage } from '@shared/coaching/keys';
import { tokenize } from '@shared/coaching/normalize';
import { classify } from '@main/coaching/classifier';
import { fallbackCoach } from '@main/coaching/fallback-coach';
import { formatReport, predictedLabel, reportOf, type IntentReport, type Scored } from '@main/coaching/intent-eval';
import { loadCorpus, loadLegacy, MODEL_PATH, packDb } from '@main/coaching/intent-train';

const root = path.resolve(import.meta.dirname, '..');
const db = packDb(root);
const test = loadCorpus(root).filter((i) => i.split === 'test');
const holdout = loadLegacy(root).filter((i) => i.split === 'holdout');

function score(items: readonly { lang: CoachLanguage; text: string; expected: Scored['expected'] }[], useModel: boolean): Scored[] {
  return items.map((i) => ({ lang: i.lang, expected: i.expected, predicted: predictedLabel(classify(db, i.text, i.lang, { useModel })) }));
}

const testItems = test.map((i) => ({ lang: i.lang, text: i.text, expected: i.label, batch: Number(/^cc(\d*)-/.exec(i.id)?.[1] || 1) }));
// The old set has one null label for small talk and buying signals alike: only its objection category is scored.
const holdoutItems = holdout.map((i) => ({ lang: i.lang, text: i.text, expected: i.objection ?? ('none' as const) }));

const reports: Record<string, IntentReport> = {};
const out: string[] = [];
function add(key: string, title: string, scored: Scored[], full = true) {
  const r = reportOf(scored);
  reports[key] = r;
  out.push(full ? formatReport(title, r) : formatReport(title, r).split('\n')[0] ?? '');
}

for (const useModel of [true, false]) {
  const tag = useModel ? 'model' : 'cuesOnly';
  const label = useModel ? 'model + cue phrases' : 'cue phrases only (before the model)';
  const scored = score(testItems, useModel);
  add(`${tag}.test`, `[${label}] corpus TEST split`, scored, useModel);
  for (const lang of ['pl', 'en'] as const) add(`${tag}.test.${lang}`, `[${label}] corpus TEST split, ${lang}`, scored.filter((s) => s.lang === lang), useModel);
  for (const batch of [1, 2, 3, 4, 5, 6]) add(`${tag}.test.batch${batch}`, `[${label}] corpus TEST split, batch ${batch}`, scored.filter((_, i) => testItems[i]?.batch === batch), false);
  const old = score(holdoutItems, useModel);
  const r = reportOf(old);
  reports[`${tag}.oldHoldout`] = r;
  out.push(`[${label}] old holdout (test/fixtures/coach-labelled.json, split holdout): n=${r.n}  objection category ${(100 * r.objectionAccuracy).toFixed(1)}%  "no objection" precision ${r.noObjectionPrecision === null ? 'n/a' : (100 * r.noObjectionPrecision).toFixed(1)}%`);
}

// ---- Latency: per utterance, wall and CPU time; the raw baseline is bare tokenisation of the same text.
const ROUNDS = 5;
const model = compileIntentModel(IntentModelJson.parse(JSON.parse(fs.readFileSync(path.join(root, MODEL_PATH), 'utf8'))));
const queries = testItems;
function measure(fn: (q: (typeof queries)[number]) => unknown) {
  for (const q of queries.slice(0, 50)) fn(q);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of queries) {
      const c = process.cpuUsage();
      const t = performance.now();
      fn(q);
      wall.push(performance.now() - t);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const p = (xs: number[], q: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.round((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0) * 1000) / 1000;
  };
  return { samples: wall.length, p50Ms: p(wall, 0.5), p95Ms: p(wall, 0.95), cpuP50Ms: p(cpu, 0.5), cpuP95Ms: p(cpu, 0.95) };
}
const latency = {
  rawTokenize: measure((q) => tokenize(q.text)),
  modelOnly: measure((q) => predictIntent(model, q.text, q.lang)),
  classify: measure((q) => classify(db, q.text, q.lang)),
  classifyCuesOnly: measure((q) => classify(db, q.text, q.lang, { useModel: false })),
  instantAnswer: measure((q) => fallbackCoach(db, q.text, q.lang)),
};
const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.001)) * 10) / 10;
out.push(
  [
    'latency per utterance (wall p50/p95 ms; CPU p95 ms):',
    ...Object.entries(latency).map(([k, v]) => `  ${k.padEnd(18)} ${v.p50Ms.toFixed(3).padStart(8)} ${v.p95Ms.toFixed(3).padStart(8)}   cpu ${v.cpuP95Ms.toFixed(3)}`),
    `  classify p95 / raw tokenisation p95 = ${ratio(latency.classify.p95Ms, latency.rawTokenize.p95Ms)}; goals: classify p95 <= 5 ms (${latency.classify.p95Ms <= 5 ? 'met' : 'NOT met'}), instant answer p95 <= 50 ms (${latency.instantAnswer.p95Ms <= 50 ? 'met' : 'NOT met'})`,
  ].join('\n'),
);
console.log(out.join('\n\n'));

const result = {
  benchmark: 'coach-eval',
  date: new Date().toISOString(),
  machine: { loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100, cpus: os.cpus().length, node: process.version },
  data: { testSplit: test.length, oldHoldout: holdout.length, corpus: 'test/fixtures/coach-corpus/*.json (split test)', model: MODEL_PATH },
  reports,
  latency,
  ratios: { classifyP95OverRawP95: ratio(latency.classify.p95Ms, latency.rawTokenize.p95Ms), classifyP50OverRawP50: ratio(latency.classify.p50Ms, latency.rawTokenize.p50Ms) },
  goals: { classifyP95Ms: 5, classifyMet: latency.classify.p95Ms <= 5, instantP95Ms: 50, instantMet: latency.instantAnswer.p95Ms <= 50 },
};
const outDir = path.join(root, 'bench-results');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'coach-eval.json'), `${JSON.stringify(result, null, 2)}\n`);
