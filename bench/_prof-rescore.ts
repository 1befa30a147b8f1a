import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeManifestAoa } from '../src-main/pallets/test-fixtures';
import { openStore, scoreManifest, storeAnalysis } from './pallets-store.bench-lib';
import { scanLines, writeScoreChanges } from '../src-main/pallets/lines-repo';
import { rescoreAnalysis } from '../src-main/pallets/rescoring';
import { RULE_TEMPLATES } from '../src-shared/pallets/rule-templates';
import { compileRules } from '../src-shared/pallets/scoring';
import { firedKeys } from '../src-main/pallets/line-codec';
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const db = openStore(dir);
const m = scoreManifest(largeManifestAoa(100_000));
const id = storeAnalysis(db, m, 'x');
if (process.env.CS) db.$client.pragma('cache_size = ' + process.env.CS);
const edited = [...RULE_TEMPLATES.map((r) => (r.id === 'tpl-unit-price-budget' ? { ...r, when: { field: 'unit_cost' as const, op: 'gt' as const, value: 100 } } : r))];
for (let run = 0; run < 4; run++) {
  let t = performance.now();
  let after = -1; const all = [];
  for (;;) { const p = scanLines(db, id, after, 5000, false); all.push(...p); if (p.length < 5000) break; after = p[p.length-1]!.row; }
  const tScan = performance.now() - t; t = performance.now();
  const c = compileRules(run % 2 === 0 ? edited : RULE_TEMPLATES);
  const changes = [];
  for (const l of all) { const s = c.score(l); const { f, b } = firedKeys(s.fired); if (s.score !== l.score || s.status !== l.status || f !== l.f) changes.push({ rid: l.rid, id: l.id, score: s.score, status: s.status, f, b }); }
  const tScore = performance.now() - t; t = performance.now();
  writeScoreChanges(db, changes, Date.now());
  const tWrite = performance.now() - t;
  console.log({ tScan, tScore, tWrite, changed: changes.length });
}
for (let run = 0; run < 3; run++) { const t = performance.now(); const r = await rescoreAnalysis(db, id, run % 2 === 0 ? RULE_TEMPLATES : edited); console.log('full', performance.now() - t, r.changed); }
console.log(db.$client.prepare("select avg(length(data_json)) from pallet_items").pluck().get());
rmSync(dir, { recursive: true, force: true });
