import { afterAll, describe, expect, it } from 'vitest';
import { createTempCore } from '../../test/helpers/temp-core';
import { addSuggestions, rateSuggestion } from '../coaching/suggestions-repo';
import { createSession } from '../coaching/sessions-repo';
import { createLead } from '../leads/leads-repo';
import { createKnowledge } from './knowledge-repo';
import { feedbackAdjustment, rankedByFeedback, searchKnowledge, searchKnowledgeSemantic } from './retrieval';
import { seedDefaultPack } from './seed';

const core = createTempCore();
afterAll(() => core.close());
const db = core.db;
seedDefaultPack(db);
const lead = createLead(db, { name: 'Test', language: 'pl' });
const session = createSession(db, { leadId: lead.id, mode: 'coach', title: 't', language: 'pl' });

function rate(knowledgeId: string, rating: number, times = 1) {
  for (let i = 0; i < times; i++) {
    const [suggestion] = addSuggestions(db, session.id, null, [{ kind: 'objection_response', text: 'x', knowledgeIds: [knowledgeId] }], 'fallback');
    rateSuggestion(db, suggestion!.id, rating, null);
  }
}

describe('feedback re-ranking', () => {
  it('shrinks averages towards neutral: one vote moves less than many', () => {
    expect(feedbackAdjustment(3, 10)).toBe(0);
    expect(feedbackAdjustment(5, 1)).toBeLessThan(feedbackAdjustment(5, 10));
    expect(feedbackAdjustment(1, 10)).toBeLessThan(0);
  });

  it('moves a well-rated response above a badly rated one in future results', () => {
    const before = rankedByFeedback(db, { language: 'pl', kind: 'response', category: 'timing', questions: false });
    const first = before[0]!.entry;
    const last = before.at(-1)!.entry;
    rate(first.id, 1, 3);
    rate(last.id, 5, 3);
    const after = rankedByFeedback(db, { language: 'pl', kind: 'response', category: 'timing', questions: false });
    expect(after[0]!.entry.id).toBe(last.id);
    expect(after.at(-1)!.entry.id).toBe(first.id);
    expect(after[0]!.feedback).toEqual({ average: 5, count: 3 });
  });

  it('re-ranks lexical search results too', () => {
    const a = createKnowledge(db, { kind: 'response', language: 'en', title: 'Glorp offer one', body: 'glorp', category: 'price' });
    const b = createKnowledge(db, { kind: 'response', language: 'en', title: 'Glorp offer two', body: 'glorp', category: 'price' });
    const order = () => searchKnowledge(db, 'glorp', { language: 'en' }).map((h) => h.entry.id);
    const [top] = order();
    const other = top === a.id ? b.id : a.id;
    rate(top!, 1, 2);
    rate(other, 5, 2);
    expect(order()).toEqual([other, top]);
  });
});

describe('semantic re-ranking with an injected embedder', () => {
  it('re-orders by cosine similarity and caches entry vectors', async () => {
    const one = createKnowledge(db, { kind: 'response', language: 'en', title: 'Blorft alpha', body: 'blorft', category: 'need' });
    const two = createKnowledge(db, { kind: 'response', language: 'en', title: 'Blorft beta', body: 'blorft', category: 'need' });
    const calls: string[][] = [];
    // Query and "beta" point the same way; "alpha" is orthogonal.
    const embed = async (texts: string[]) => {
      calls.push(texts);
      return texts.map((t) => (t.includes('alpha') ? [0, 1] : [1, 0]));
    };
    const hits = await searchKnowledgeSemantic(db, 'blorft', { language: 'en' }, embed);
    expect(hits.map((h) => h.entry.id)).toEqual([two.id, one.id]);
    expect(hits[0]!.semantic).toBeCloseTo(1);
    expect(hits[1]!.semantic).toBeCloseTo(0);
    await searchKnowledgeSemantic(db, 'blorft', { language: 'en' }, embed);
    expect(calls[1]).toEqual(['blorft']);
  });

  it('falls back to the lexical order when the embedder fails', async () => {
    const lexical = searchKnowledge(db, 'za drogo', { language: 'pl', limit: 5 }).map((h) => h.entry.id);
    const failing = async () => {
      throw new Error('model unloaded');
    };
    expect((await searchKnowledgeSemantic(db, 'za drogo', { language: 'pl', limit: 5 }, failing)).map((h) => h.entry.id)).toEqual(lexical);
  });
});
