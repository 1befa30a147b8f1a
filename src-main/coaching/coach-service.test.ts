import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, RequestChannel, RequestOutput } from '@shared/contract';
import { createTempCore } from '../../test/helpers/temp-core';
import { CustomerAnalysis } from '@shared/coaching/analysis';
import { getKnowledge } from '../knowledge/knowledge-repo';
import { scriptedLlm } from '../../test/helpers/scripted-llm';

const core = createTempCore();
afterAll(() => core.close());
const events: { channel: EventChannel; payload: unknown }[] = [];
core.events.subscribe((channel, payload) => events.push({ channel, payload }));
beforeEach(() => {
  events.length = 0;
  core.useCoachLlm(null);
});

async function call<C extends RequestChannel>(channel: C, input: unknown): Promise<RequestOutput<C>> {
  const result = await core.call(channel, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as RequestOutput<C>;
}
async function callError(channel: RequestChannel, input: unknown) {
  const result = await core.call(channel, input);
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return result.error;
}
const of = <T>(channel: EventChannel) => events.filter((e) => e.channel === channel).map((e) => e.payload as T);
let counter = 0;
const rid = () => `req-${++counter}`;

async function newSession(language: 'pl' | 'en' = 'pl') {
  const lead = await call('leads:create', { name: 'Jan Kowalski', language });
  return call('coaching:startSession', { leadId: lead.id });
}

describe('coaching without a model (fallback coach)', () => {
  it('answers instantly with cited, stored suggestions and a fallback profile', async () => {
    const session = await newSession();
    const sent = await call('coaching:send', { requestId: rid(), sessionId: session.id, text: 'Szczerze mówiąc, cena mnie zabija.' });
    expect(sent.model).toBe('unavailable');
    expect(sent.instant?.source).toBe('fallback');
    expect(sent.instant?.objections[0]).toMatchObject({ category: 'price', quote: 'cena mnie zabija.' });
    expect(sent.instant?.notices.map((n) => n.code)).toContain('model_unavailable');
    const kinds = sent.instant!.suggestions.map((s) => s.kind);
    // Three rated responses, plus a current promotion quoted from the knowledge base while one is valid today.
    expect(kinds.filter((k) => k === 'objection_response').length).toBeGreaterThanOrEqual(3);
    expect(kinds).toContain('next_question');
    expect(kinds).toContain('playbook_step');
    for (const s of sent.instant!.suggestions) {
      expect(s.source).toBe('fallback');
      for (const id of s.knowledgeIds) expect(getKnowledge(core.db, id).language).toBe('pl');
    }
    const price = sent.instant!.suggestions[0]!;
    expect(getKnowledge(core.db, price.knowledgeIds[0]!).category).toBe('price');

    const stored = await call('coaching:messages', { sessionId: session.id });
    expect(stored.messages.map((m) => [m.role, m.content])).toEqual([['client', 'Szczerze mówiąc, cena mnie zabija.']]);
    expect(stored.suggestions.map((s) => s.id)).toEqual(sent.instant!.suggestions.map((s) => s.id));
    expect(stored.profile).toMatchObject({ source: 'fallback', analysis: { objections: [{ category: 'price' }] } });
    expect(of('coaching:analysis')).toHaveLength(1);
  });

  it('a placeholder lead is created for a quick session; regenerate explains there is no model', async () => {
    const session = await call('coaching:startSession', { language: 'en' });
    expect(session.leadId).not.toBeNull();
    expect((await callError('coaching:regenerate', { requestId: rid(), sessionId: session.id })).code).toBe('UNAVAILABLE');
  });

  it('advances the playbook one step per client message', async () => {
    const session = await newSession('en');
    const steps: string[] = [];
    for (const text of ['Let me see the numbers.', 'What is the consumption exactly?', 'Send me the data sheet.']) {
      const sent = await call('coaching:send', { requestId: rid(), sessionId: session.id, text, language: 'en' });
      steps.push(sent.instant!.suggestions.find((s) => s.kind === 'playbook_step')!.text);
    }
    expect(new Set(steps).size).toBe(3);
  });
});

describe('bad input gets a clear answer, never a crash', () => {
  it('empty, blank and control-only messages are refused with a sentence', async () => {
    const session = await newSession();
    expect(await callError('coaching:send', { requestId: rid(), sessionId: session.id, text: '' })).toMatchObject({ code: 'VALIDATION' });
    expect(await callError('coaching:send', { requestId: rid(), sessionId: session.id, text: '   \n\t ' })).toEqual({ code: 'VALIDATION', message: 'Type what the client said first: the message is empty.' });
    expect((await callError('coaching:send', { requestId: rid(), sessionId: session.id, text: '\u0000\u0007\u202E' })).code).toBe('VALIDATION');
    expect((await callError('coaching:send', { requestId: rid(), sessionId: session.id, text: '?!... ---' })).message).toMatch(/no words/);
    expect((await call('coaching:messages', { sessionId: session.id })).messages).toEqual([]);
  });

  it('a 100 kB paste is answered from its first 8,000 characters, with a notice', async () => {
    const session = await newSession();
    const paste = 'Klient mówi, że jest za drogo i że konkurencja daje lepszą ofertę. '.repeat(1600);
    expect(paste.length).toBeGreaterThan(100_000);
    const sent = await call('coaching:send', { requestId: rid(), sessionId: session.id, text: paste });
    expect(sent.message.content.length).toBeLessThanOrEqual(8000);
    expect(sent.instant!.notices.map((n) => n.code)).toContain('truncated');
    expect(sent.instant!.objections.map((o) => o.category)).toEqual(expect.arrayContaining(['price', 'competitor']));
    expect(sent.instant!.objections[0]!.quote.length).toBeLessThanOrEqual(300);
  });

  it('control characters are removed and reported; another language is flagged', async () => {
    const session = await newSession('en');
    const controls = await call('coaching:send', { requestId: rid(), sessionId: session.id, text: 'Too\u0000 expensive\u0007!' });
    expect(controls.message.content).toBe('Too expensive!');
    expect(controls.instant!.notices.map((n) => n.code)).toContain('control_removed');
    const german = await call('coaching:send', { requestId: rid(), sessionId: session.id, text: 'Das ist mir viel zu teuer und ich habe keine Zeit dafür.' });
    expect(german.instant!.notices.map((n) => n.code)).toContain('other_language');
    expect(german.instant!.suggestions.length).toBeGreaterThan(0);
    const cyrillic = await call('coaching:send', { requestId: rid(), sessionId: session.id, text: 'Это слишком дорого для меня' });
    expect(cyrillic.instant!.notices.map((n) => n.code)).toContain('other_language');
  });

  it('reads a clearly English message in a Polish session as English but answers in Polish', async () => {
    const session = await newSession('pl');
    const auto = await call('coaching:send', { requestId: rid(), sessionId: session.id, text: 'I need to discuss it with my wife.' });
    expect(auto.instant).toMatchObject({ language: 'pl', detectedLanguage: 'en', objections: [{ category: 'authority' }] });
    for (const s of auto.instant!.suggestions) for (const id of s.knowledgeIds) expect(getKnowledge(core.db, id).language).toBe('pl');
    const forced = await call('coaching:send', { requestId: rid(), sessionId: session.id, text: 'I need to discuss it with my wife.', language: 'pl' });
    expect(forced.instant!.language).toBe('pl');
    expect(forced.instant!.notices.map((n) => n.code)).toContain('language_mismatch');
  });

  it('unknown ids are NOT_FOUND', async () => {
    expect((await callError('coaching:send', { requestId: rid(), sessionId: 'nope', text: 'hi' })).code).toBe('NOT_FOUND');
    expect((await callError('coaching:rate', { suggestionId: 'nope', rating: 3 })).code).toBe('NOT_FOUND');
    expect((await callError('coaching:rate', { suggestionId: 'nope', rating: 9 })).code).toBe('VALIDATION');
  });
});

const validAnalysis = {
  archetype: 'bargain_hunter',
  archetype_confidence: 'high',
  needs: ['a family car'],
  objections: [{ category: 'price', quote: 'too expensive' }],
  buying_signals: [],
  sentiment: 'negative',
  purchase_likelihood: 35,
  next_best_question: 'What budget did you have in mind?',
};

describe('coaching with a model', () => {
  it('streams a cited reply after the instant answer, then updates the profile from a validated analysis', async () => {
    const llm = scriptedLlm({ reply: () => 'Acknowledge the price, then show the total cost [K1]. Ask about budget.', json: () => validAnalysis });
    core.useCoachLlm(llm);
    const session = await newSession('en');
    const requestId = rid();
    const sent = await call('coaching:send', { requestId, sessionId: session.id, text: "It's too expensive for us." });
    expect(sent.model).toBe('streaming');
    expect(sent.instant!.suggestions.length).toBeGreaterThan(0);
    await core.operations.settled(requestId);

    const deltas = of<{ requestId: string; text: string }>('coaching:delta').filter((d) => d.requestId === requestId);
    expect(deltas.length).toBeGreaterThan(3);
    const [done] = of<{ message: { content: string; source: string }; suggestion: { kind: string; knowledgeIds: string[] }; cancelled: boolean; error: null }>('coaching:done');
    expect(done).toMatchObject({ cancelled: false, error: null, message: { source: 'model' } });
    expect(deltas.map((d) => d.text).join('').trim()).toBe(done!.message.content);
    expect(done!.suggestion.kind).toBe('elaboration');
    expect(done!.suggestion.knowledgeIds).toEqual([sent.instant!.suggestions[0]!.knowledgeIds[0]]);

    const [chat] = llm.chats;
    expect(chat).toMatchObject({ requestId, conversationId: session.id, history: [] });
    expect(chat!.message).toMatch(/\[K1\]/);
    expect(llm.jsons[0]!.schema).toBe(CustomerAnalysis);
    const profile = await call('coaching:analysis', { sessionId: session.id });
    // The model's archetype is evidence added to the conversation's: its confidence is the accumulated one.
    expect(profile).toMatchObject({ modelReady: true, profile: { source: 'model', analysis: { ...validAnalysis, archetype_confidence: 'medium' } } });
    expect((await call('coaching:sessions', { leadId: session.leadId! })).sessions[0]!.archetype).toBe('bargain_hunter');

    // The second turn replays the first as history, unchanged (the runtime can reuse its KV cache).
    const second = rid();
    await call('coaching:send', { requestId: second, sessionId: session.id, text: 'And the other dealer gives more.' });
    await core.operations.settled(second);
    expect(llm.chats[1]!.history).toEqual([
      { role: 'user', text: "Customer: It's too expensive for us." },
      { role: 'assistant', text: done!.message.content },
    ]);
    expect(llm.chats[1]!.systemPrompt).toBe(chat!.systemPrompt);
  });

  it('stop ends the stream early and keeps what was said', async () => {
    const requestId = rid();
    const llm = scriptedLlm({
      reply: () => 'one two three four five six seven eight nine ten',
      pieceDelayMs: 2,
      onPiece: (i) => {
        if (i === 2) void core.call('ops:cancel', { requestId });
      },
    });
    core.useCoachLlm(llm);
    const session = await newSession('en');
    await call('coaching:send', { requestId, sessionId: session.id, text: 'Not now, maybe next year.' });
    await core.operations.settled(requestId);
    const [done] = of<{ cancelled: boolean; message: { content: string } }>('coaching:done');
    expect(done!.cancelled).toBe(true);
    expect(done!.message.content).toBe('one two three');
    expect(of('coaching:analysis').length).toBe(1); // only the instant fallback profile, no model analysis
    expect(await call('ops:cancel', { requestId })).toEqual({ cancelled: false });
  });

  it('regenerate replaces the last model reply; edit-and-resend replaces the message and what followed', async () => {
    let n = 0;
    const llm = scriptedLlm({ reply: () => `Answer number ${++n}.`, json: () => validAnalysis });
    core.useCoachLlm(llm);
    const session = await newSession('en');
    const first = rid();
    const sent = await call('coaching:send', { requestId: first, sessionId: session.id, text: 'I need to discuss it with my wife.' });
    await core.operations.settled(first);
    const again = rid();
    const regenerated = await call('coaching:regenerate', { requestId: again, sessionId: session.id });
    expect(regenerated.clientMessage.id).toBe(sent.message.id);
    await core.operations.settled(again);
    let stored = await call('coaching:messages', { sessionId: session.id });
    expect(stored.messages.map((m) => m.content)).toEqual(['I need to discuss it with my wife.', 'Answer number 2.']);
    expect(stored.suggestions.filter((s) => s.kind === 'elaboration').map((s) => s.text)).toEqual(['Answer number 2.']);
    expect(llm.chats[1]!.message).toBe(llm.chats[0]!.message);

    const edit = rid();
    const edited = await call('coaching:editAndResend', { requestId: edit, sessionId: session.id, messageId: sent.message.id, text: 'The monthly payments are too high.' });
    expect(edited.instant!.objections[0]!.category).toBe('financing');
    await core.operations.settled(edit);
    stored = await call('coaching:messages', { sessionId: session.id });
    expect(stored.messages.map((m) => m.content)).toEqual(['The monthly payments are too high.', 'Answer number 3.']);
    expect(stored.suggestions.every((s) => s.messageId !== sent.message.id)).toBe(true);
  });

  it('a failing model leaves the fallback answer standing and says so', async () => {
    core.useCoachLlm(scriptedLlm({ chatError: new Error('context overflow in native code') }));
    const session = await newSession('en');
    const requestId = rid();
    const sent = await call('coaching:send', { requestId, sessionId: session.id, text: 'Too expensive.' });
    await core.operations.settled(requestId);
    expect(sent.instant!.suggestions.length).toBeGreaterThan(0);
    const [done] = of<{ error: string | null; message: unknown }>('coaching:done');
    expect(done).toMatchObject({ message: null });
    expect(done!.error).toMatch(/fallback suggestions/);
    expect(done!.error).not.toMatch(/native/);
  });

  it('an analysis outside the schema is rejected and never stored', async () => {
    core.useCoachLlm(scriptedLlm({ json: () => ({ ...validAnalysis, archetype: 'wizard', purchase_likelihood: Number.POSITIVE_INFINITY }) }));
    const session = await newSession('en');
    const requestId = rid();
    await call('coaching:send', { requestId, sessionId: session.id, text: 'Too expensive.' });
    await core.operations.settled(requestId);
    const analyses = of<{ profile: { source: string } | null; error: string | null }>('coaching:analysis');
    expect(analyses.at(-1)).toMatchObject({ profile: null });
    expect(analyses.at(-1)!.error).toMatch(/non-finite|schema/);
    expect((await call('coaching:analysis', { sessionId: session.id })).profile?.source).toBe('fallback');
  });

  it('a long session never overflows a small context: old turns are trimmed and summarised', async () => {
    const llm = scriptedLlm({ contextTokens: 2048, reply: (_r, turn) => `Reply ${turn}: ${'keep calm and ask questions '.repeat(6)}`, json: () => validAnalysis });
    core.useCoachLlm(llm);
    const session = await newSession('en');
    for (let i = 0; i < 30; i++) {
      const requestId = rid();
      await call('coaching:send', { requestId, sessionId: session.id, text: `Message ${i}: the price is too high and I need to think about it. ${'blah '.repeat(30)}` });
      await core.operations.settled(requestId);
    }
    const last = llm.chats.at(-1)!;
    const chars = last.systemPrompt.length + last.message.length + last.history.reduce((s, t) => s + t.text.length, 0);
    expect(chars / 3).toBeLessThan(2048 - 400);
    expect(last.history.length).toBeGreaterThan(2);
    expect(last.systemPrompt).toMatch(/Earlier in this conversation: \d+ older turns were left out/);
    expect(last.history[0]!.role).toBe('user');
    expect(of<{ error: string | null }>('coaching:done').every((d) => d.error === null)).toBe(true);
  });
});

describe('feedback changes future ranking', () => {
  it('a response rated down drops below one rated up for the same kind of message', async () => {
    const session = await newSession('en');
    const ask = async () => (await call('coaching:send', { requestId: rid(), sessionId: session.id, text: 'Their warranty is longer than yours.' })).instant!.suggestions.filter((s) => s.kind === 'objection_response');
    const before = await ask();
    const [top, , third] = before;
    await call('coaching:rate', { suggestionId: top!.id, rating: 1, comment: 'Sounds defensive' });
    await call('coaching:rate', { suggestionId: third!.id, rating: 5 });
    const after = await ask();
    const position = (list: typeof before, id: string | undefined) => {
      const i = list.findIndex((s) => s.knowledgeIds[0] === id);
      return i < 0 ? list.length : i;
    };
    expect(position(before, top!.knowledgeIds[0])).toBe(0);
    expect(position(after, third!.knowledgeIds[0])).toBeLessThan(position(after, top!.knowledgeIds[0]));
    expect(position(after, third!.knowledgeIds[0])).toBeLessThan(2);
  });
});
