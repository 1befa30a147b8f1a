import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestChannel, RequestOutput } from '@shared/contract';
import { createTempCore } from '../../test/helpers/temp-core';
import { getKnowledge } from '../knowledge/knowledge-repo';
import { rankedByFeedback } from '../knowledge/retrieval';
import { scriptedLlm } from '../../test/helpers/scripted-llm';
import { keyWords } from './drill';
import { SCORECARD_TOKENS } from './roleplay';

const core = createTempCore();
afterAll(() => core.close());
beforeEach(() => core.useCoachLlm(null));

async function call<C extends RequestChannel>(channel: C, input: unknown): Promise<RequestOutput<C>> {
  const result = await core.call(channel, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as RequestOutput<C>;
}
async function errorOf(channel: RequestChannel, input: unknown) {
  const result = await core.call(channel, input);
  return result.ok ? null : result.error;
}

const card = {
  discovery: { score: 4, reason: 'Asked about daily routes.' },
  objection_handling: { score: 3, reason: 'Acknowledged the price.' },
  value_articulation: { score: 7, reason: 'Out of range on purpose.' },
  closing: { score: 2, reason: 'No next step proposed.' },
};

describe('roleplay', () => {
  it('without a model says so and offers drill objections', async () => {
    const start = await call('roleplay:start', { requestId: 'rp0', archetype: 'bargain_hunter', language: 'pl' });
    expect(start).toMatchObject({ available: false, session: null, opening: null, notice: { code: 'model_unavailable' } });
    expect(start.objections).toHaveLength(3);
    expect(start.objections.every((o) => o.kind === 'objection' && o.language === 'pl')).toBe(true);
    expect((await call('coaching:sessions', {})).sessions).toEqual([]);
  });

  it('with a model: the model plays the customer, and the end produces a validated scorecard', async () => {
    const llm = scriptedLlm({ reply: (_r, turn) => (turn === 1 ? 'Hello. Honestly, it looks too expensive to me.' : 'Hmm, and what about the warranty?'), json: () => card });
    core.useCoachLlm(llm);
    const start = await call('roleplay:start', { requestId: 'rp1', archetype: 'skeptic', language: 'en', categories: ['price', 'trust'] });
    expect(start.available).toBe(true);
    expect(start.session).toMatchObject({ mode: 'roleplay', archetype: 'skeptic', language: 'en' });
    expect(start.opening).toMatchObject({ role: 'client', content: 'Hello. Honestly, it looks too expensive to me.' });
    expect(start.objections.map((o) => o.category)).toEqual(['price', 'trust']);
    expect(llm.chats[0]!.systemPrompt).toMatch(/Skeptic/);
    expect(llm.chats[0]!.systemPrompt).toContain(start.objections[0]!.title);

    const reply = await call('roleplay:reply', { requestId: 'rp2', sessionId: start.session!.id, text: 'I understand. Compared with what?' });
    expect(reply).toMatchObject({ message: { role: 'salesperson' }, reply: { role: 'client', content: 'Hmm, and what about the warranty?' }, cancelled: false });
    expect(llm.chats[1]!.history).toEqual([
      { role: 'user', text: 'Salesperson: Hello, how can I help you?' },
      { role: 'assistant', text: 'Hello. Honestly, it looks too expensive to me.' },
    ]);
    expect(llm.chats[1]!.systemPrompt).toBe(llm.chats[0]!.systemPrompt);

    const ended = await call('roleplay:end', { requestId: 'rp3', sessionId: start.session!.id });
    expect(ended.scorecard).toEqual({ ...card, value_articulation: { score: 5, reason: 'Out of range on purpose.' } });
    expect(ended.endedAt).not.toBeNull();
    // The scorecard has a bounded token budget and streams progress under the request's id.
    expect(llm.jsons.at(-1)).toMatchObject({ requestId: 'rp3', task: 'roleplay', maxTokens: SCORECARD_TOKENS });
    expect((await errorOf('roleplay:reply', { requestId: 'rp4', sessionId: start.session!.id, text: 'more' }))?.code).toBe('CONFLICT');
  });

  it('a scorecard outside the schema is an error, not a stored score', async () => {
    core.useCoachLlm(scriptedLlm({ reply: () => 'Too expensive.', json: () => ({ discovery: { score: 3, reason: 'ok' } }) }));
    const start = await call('roleplay:start', { requestId: 'rp5', archetype: 'driver', language: 'pl' });
    await call('roleplay:reply', { requestId: 'rp6', sessionId: start.session!.id, text: 'Rozumiem.' });
    expect(await errorOf('roleplay:end', { requestId: 'rp7', sessionId: start.session!.id })).toMatchObject({ code: 'MODEL_ERROR' });
    expect((await call('coaching:messages', { sessionId: start.session!.id })).session.scorecard).toBeNull();
  });
});

describe('objection drill (no model)', () => {
  it('serves objections from the pack, skipping ones already practised', async () => {
    const first = await call('roleplay:drillNext', { language: 'pl', category: 'price' });
    expect(first.objection).toMatchObject({ kind: 'objection', category: 'price', language: 'pl' });
    expect(first.recommendedCount).toBeGreaterThanOrEqual(3);
    const second = await call('roleplay:drillNext', { language: 'pl', category: 'price', excludeIds: [first.objection.id] });
    expect(second.objection.id).not.toBe(first.objection.id);
  });

  it('scores an answer by the words it shares with the recommended responses', async () => {
    const { objection } = await call('roleplay:drillNext', { language: 'en', category: 'timing' });
    const recommended = rankedByFeedback(core.db, { language: 'en', kind: 'response', category: 'timing', questions: false })[0]!.entry;
    const perfect = await call('roleplay:drillAnswer', { objectionId: objection.id, answer: recommended.body });
    expect(perfect).toMatchObject({ score: 100, verdict: 'strong', best: { id: recommended.id, overlap: 1, missingWords: [] } });
    const partial = await call('roleplay:drillAnswer', { objectionId: objection.id, answer: 'Sure, what would need to be different in three months for the decision to be easier?' });
    expect(partial.verdict).not.toBe('weak');
    expect(partial.best!.matchedWords.length).toBeGreaterThan(3);
    const weak = await call('roleplay:drillAnswer', { objectionId: objection.id, answer: 'OK bye.' });
    expect(weak).toMatchObject({ verdict: 'weak' });
    expect(weak.score).toBeLessThan(30);
    expect(weak.best!.missingWords.length).toBeGreaterThan(0);
  });

  it("keywords to add are stemmed content words: no stop-words, contractions or number fragments", () => {
    const en = [...keyWords("I can't lower the price, but after 200,000 km you'd keep 90% and an 8-year warranty with the test drive.", 'en').values()];
    expect(en).toEqual(['lower', 'price', 'keep', 'warranty', 'test', 'drive']);
    const pl = [...keyWords('Gwarancja 8 lat i 160 000 km, a to się naprawdę opłaca w gwarancji.', 'pl')];
    expect(pl.map(([, word]) => word)).not.toContain('160');
    expect(pl.filter(([, word]) => word.startsWith('gwarancj'))).toHaveLength(1);
    expect(pl.map(([, word]) => word)).not.toContain('się');
  });

  it('refuses an empty answer and a non-objection entry', async () => {
    const { objection } = await call('roleplay:drillNext', { language: 'en' });
    expect(await errorOf('roleplay:drillAnswer', { objectionId: objection.id, answer: ' \u0000 ' })).toMatchObject({ code: 'VALIDATION' });
    const product = rankedByFeedback(core.db, { language: 'en', kind: 'product' })[0]!.entry;
    expect(getKnowledge(core.db, product.id).kind).toBe('product');
    expect(await errorOf('roleplay:drillAnswer', { objectionId: product.id, answer: 'hello' })).toMatchObject({ code: 'VALIDATION' });
  });
});
