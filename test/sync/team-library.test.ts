import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '@main/coaching/sessions-repo';
import { addSuggestions } from '@main/coaching/suggestions-repo';
import { saveToLibrary, teamInsights } from '@main/leads/insights';
import { createLead, getLead, updateLead } from '@main/leads/leads-repo';
import { recordOutcome, winRates } from '@main/leads/outcomes';
import { startSequence, logReply } from '@main/leads/sequences';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { openDevice, outboxCount, syncOnce, syncServer } from './helpers';

/**
 * Team insights across devices (real PostgreSQL): a response saved to the team library on one device,
 * with its author, and an outcome that used it reach a teammate's device; the pipeline fields, a paused
 * sequence and a concurrent stage / next-step edit merge field by field.
 */
let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(async () => {
  await pgs?.stop();
});

describe('pipeline and team library over sync', () => {
  it('a saved response, its author and its outcome are visible on a second device', async () => {
    const srv = await syncServer(pgs, { alice: 'A', carol: 'A' });
    const a = openDevice();
    const b = openDevice();
    try {
      const saved = saveToLibrary(a.db, { text: 'Ask what the current heating costs per month.', author: 'Alice' });
      const lead = createLead(a.db, { name: 'Team lead', owner: 'Alice', stage: 'offer', dealValue: 9000, currency: 'EUR' });
      const session = createSession(a.db, { leadId: lead.id, mode: 'coach', title: 'Heating', language: 'en', archetype: 'analytical' });
      addSuggestions(a.db, session.id, null, [{ kind: 'objection_response', text: 'x', knowledgeIds: [saved.knowledgeId] }], 'fallback');
      recordOutcome(a.db, { target: session.id, outcome: 'won' });
      const seq = startSequence(a.db, lead.id);
      logReply(a.db, seq.id, 'Thanks, call me Monday');
      await syncOnce(srv, 'alice', a.db);
      await syncOnce(srv, 'carol', b.db);
      expect(outboxCount(a.db)).toBe(0);

      const seen = teamInsights(b.db).responses.find((r) => r.knowledgeId === saved.knowledgeId);
      expect(seen).toMatchObject({ author: 'Alice', won: 1, usedBy: ['Alice'] });
      expect(winRates(b.db).overall).toMatchObject({ won: 1, lost: 0, rate: 1 });
      expect(getLead(b.db, lead.id)).toMatchObject({ stage: 'won', dealValue: 9000, currency: 'EUR', owner: 'Alice' });
      expect((b.db.$client.prepare('SELECT status FROM followup_sequences WHERE id = ?').get(seq.id) as { status: string }).status).toBe('paused');

      // Concurrent edits of different fields of the same lead both survive.
      updateLead(a.db, lead.id, { stage: 'negotiation' }, Date.now() + 1000);
      updateLead(b.db, lead.id, { nextStep: 'Visit', nextStepDue: Date.UTC(2027, 0, 5) }, Date.now() + 2000);
      for (let round = 0; round < 2; round++) {
        await syncOnce(srv, 'alice', a.db);
        await syncOnce(srv, 'carol', b.db);
      }
      for (const db of [a.db, b.db]) expect(getLead(db, lead.id)).toMatchObject({ stage: 'negotiation', nextStep: 'Visit', nextStepDue: Date.UTC(2027, 0, 5) });
    } finally {
      a.close();
      b.close();
    }
  }, 120_000);
});
