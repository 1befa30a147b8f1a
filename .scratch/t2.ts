import { createTempCore } from '../test/helpers/temp-core';
import { seedDefaultPack } from '../src-main/knowledge/seed';
import { fallbackCoach, toAnalyzeOutput } from '../src-main/coaching/fallback-coach';
const core = createTempCore(); seedDefaultPack(core.db);
for (const [t, l] of [['Za drogo, a poza tym muszę zapytać żonę.', 'pl'], ['Sounds good, when can I pick it up?', 'en']] as const) {
  const r = fallbackCoach(core.db, t, l);
  console.log(JSON.stringify(toAnalyzeOutput(r), null, 1), r.analysis, r.elapsedMs.toFixed(2));
}
for (let i = 0; i < 5; i++) { const r = fallbackCoach(core.db, 'Cena mnie zabija, konkurencja daje taniej', 'pl'); console.log(r.elapsedMs.toFixed(2)); }
void core.close();
