import fs from 'node:fs';
import { createTempCore } from '../test/helpers/temp-core';
import { seedDefaultPack } from '../src-main/knowledge/seed';
import { classify } from '../src-main/coaching/classifier';
type Item = { id: string; lang: 'pl' | 'en'; text: string; objection: string | null; archetype: string | null; split: string };
const file = process.argv[2] ?? '.scratch/dev.json';
const split = process.argv[3];
const items = (JSON.parse(fs.readFileSync(file, 'utf8')) as Item[] | { items: Item[] });
const list = (Array.isArray(items) ? items : items.items).filter((i) => !split || i.split === split);
const core = createTempCore();
seedDefaultPack(core.db);
let ok = 0, aOk = 0, aN = 0;
for (const item of list) {
  const c = classify(core.db, item.text, item.lang);
  const got = c.objections[0]?.category ?? null;
  if (got === item.objection) ok++;
  else console.log('OBJ', item.id, JSON.stringify(item.text), 'want', item.objection, 'got', c.objections.map((o) => `${o.category}:${o.score}`).join(','));
  if (item.archetype) {
    aN++;
    if (c.archetype === item.archetype) aOk++;
    else console.log('ARC', item.id, JSON.stringify(item.text), 'want', item.archetype, 'got', c.archetype, c.archetypeConfidence, JSON.stringify(c.archetypeScores));
  }
}
console.log(`objection accuracy ${ok}/${list.length} = ${(ok / list.length).toFixed(3)}; archetype ${aOk}/${aN} = ${(aOk / aN).toFixed(3)}`);
void core.close();
