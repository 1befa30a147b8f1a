import { createTempCore } from '../test/helpers/temp-core';
import { seedDefaultPack } from '../src-main/knowledge/seed';
import { searchKnowledge } from '../src-main/knowledge/retrieval';
import { stemSequence } from '../src-shared/coaching/stem';
const core = createTempCore();
let t = performance.now();
console.log(seedDefaultPack(core.db), performance.now() - t);
console.log(seedDefaultPack(core.db));
for (const [q, l] of [['za drogo', 'pl'], ['droższy', 'pl'], ['cena mnie zabija', 'pl'], ['too expensive', 'en'], ['out of budget', 'en'], ['Muszę porozmawiać z żoną', 'pl'], ['konkurencja daje taniej', 'pl']] as const) {
  t = performance.now();
  const hits = searchKnowledge(core.db, q, { language: l, kinds: ['objection', 'response'], limit: 3 });
  console.log(q, stemSequence(q, l), (performance.now() - t).toFixed(2), hits.map((h) => `${h.entry.category}:${h.entry.title.slice(0, 30)}:${h.score.toFixed(2)}`));
}
await core.close();
const core2 = createTempCore();
seedDefaultPack(core2.db);
for (let i = 0; i < 3; i++) for (const q of ['za drogo', 'cena mnie zabija', 'droższy']) {
  const t0 = performance.now();
  searchKnowledge(core2.db, q, { language: 'pl', kinds: ['objection', 'response'], limit: 3 });
  console.log(q, (performance.now() - t0).toFixed(2));
}
