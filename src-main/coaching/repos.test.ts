import { afterAll, describe, expect, it } from 'vitest';
import { createTempCore } from '../../test/helpers/temp-core';
import { createLead, deleteLead, getLead, listLeads, updateLead } from '../leads/leads-repo';
import { getProfile, saveProfile } from './profiles-repo';
import { addMessage, createSession, listMessages, listSessions, removeMessagesFrom } from './sessions-repo';
import { addSuggestions, listSuggestions, rateSuggestion } from './suggestions-repo';

const core = createTempCore();
afterAll(() => core.close());
const db = core.db;
const outbox = (table: string) => (db.$client.prepare('SELECT count(*) AS n FROM sync_outbox WHERE table_name = ?').get(table) as { n: number }).n;

describe('leads', () => {
  it('CRUD through the outbox; search treats % and _ literally', () => {
    const before = outbox('leads');
    const anna = createLead(db, { name: '  Anna Nowak ', company: 'Elektro 100%', language: 'pl' });
    createLead(db, { name: 'Bob', company: 'Other', language: 'en' });
    expect(anna.name).toBe('Anna Nowak');
    expect(listLeads(db, { query: 'nowak' }).map((l) => l.id)).toEqual([anna.id]);
    expect(listLeads(db, { query: '100%' }).map((l) => l.id)).toEqual([anna.id]);
    expect(listLeads(db, { query: '%' }).map((l) => l.id)).toEqual([anna.id]);
    expect(updateLead(db, anna.id, { phone: '+48 600' }).phone).toBe('+48 600');
    deleteLead(db, anna.id);
    expect(() => getLead(db, anna.id)).toThrow(/does not exist/);
    expect(outbox('leads') - before).toBe(4);
  });
});

describe('sessions, messages, suggestions, feedback, profiles', () => {
  const lead = createLead(db, { name: 'Client', language: 'en' });
  const session = createSession(db, { leadId: lead.id, mode: 'coach', title: 'First meeting', language: 'en' });

  it('numbers messages in order and tombstones from a point on with their suggestions', () => {
    const a = addMessage(db, session.id, 'client', 'one');
    const b = addMessage(db, session.id, 'assistant', 'two', 'model');
    const c = addMessage(db, session.id, 'client', 'three');
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    addSuggestions(db, session.id, c.id, [{ kind: 'next_question', text: 'q', knowledgeIds: ['k'] }], 'fallback');
    expect(removeMessagesFrom(db, session.id, 2)).toEqual([b.id, c.id]);
    expect(listMessages(db, session.id).map((m) => m.content)).toEqual(['one']);
    expect(listSuggestions(db, session.id)).toEqual([]);
    expect(addMessage(db, session.id, 'client', 'four').seq).toBe(4);
    expect(listSessions(db, { leadId: lead.id })[0]).toMatchObject({ id: session.id, messageCount: 2 });
  });

  it('keeps one rating per suggestion (a new one replaces it), attributed to the first knowledge id', () => {
    const [s] = addSuggestions(db, session.id, null, [{ kind: 'objection_response', text: 'r', knowledgeIds: ['resp-1', 'obj-1'] }], 'fallback');
    expect(rateSuggestion(db, s!.id, 2, 'meh')).toMatchObject({ rating: 2, comment: 'meh' });
    expect(rateSuggestion(db, s!.id, 5, null)).toMatchObject({ rating: 5, comment: null });
    const rows = db.$client.prepare('SELECT knowledge_id, rating FROM feedback WHERE suggestion_id = ? AND deleted_at IS NULL').all(s!.id);
    expect(rows).toEqual([{ knowledge_id: 'resp-1', rating: 5 }]);
    expect(() => rateSuggestion(db, s!.id, 6, null)).toThrow(/1 to 5/);
    expect(() => rateSuggestion(db, 'missing', 3, null)).toThrow(/does not exist/);
  });

  it('keeps one profile row per lead, updated in place', () => {
    const analysis = { archetype: 'driver' as const, archetype_confidence: 'high' as const, needs: [], objections: [], buying_signals: [], sentiment: 'neutral' as const, purchase_likelihood: 50, next_best_question: '' };
    const first = saveProfile(db, lead.id, session.id, analysis, 'fallback');
    const second = saveProfile(db, lead.id, session.id, { ...analysis, purchase_likelihood: 80 }, 'model');
    expect(second.id).toBe(first.id);
    expect(getProfile(db, lead.id)).toMatchObject({ source: 'model', analysis: { purchase_likelihood: 80 } });
    expect(() => saveProfile(db, lead.id, null, { ...analysis, purchase_likelihood: 500 }, 'model')).toThrow();
  });
});
