import { afterAll, describe, expect, it } from 'vitest';
import { createTempCore } from '../../test/helpers/temp-core';
import { createKnowledge, deleteKnowledge, listKnowledge } from '../knowledge/knowledge-repo';
import { seedDefaultPack } from '../knowledge/seed';
import { archetypeHistory, sessionEvidence } from './archetype-evidence';
import { sendMessage, startCoachSession, type CoachDeps } from './coach-service';
import { fallbackCoach } from './fallback-coach';
import { getProfile } from './profiles-repo';
import { getSession } from './sessions-repo';
import { listSuggestions } from './suggestions-repo';
import { getKnowledge } from '../knowledge';

const core = createTempCore();
afterAll(() => core.close());
const db = core.db;
seedDefaultPack(db);
const deps: CoachDeps = { db, events: core.events, log: () => undefined, llm: () => null, defaultLanguage: () => 'en' };
let n = 0;
const send = (sessionId: string, text: string) => sendMessage(deps, { sessionId, text, requestId: `r${++n}` });
const day = (iso: string) => new Date(`${iso}T12:00:00`).getTime();

describe('one language per session', () => {
  it('an English session answers in English even when the client speaks Polish', () => {
    const session = startCoachSession(deps, { language: 'en' });
    const sent = send(session.id, 'Muszę to jeszcze omówić z żoną, sam nie zdecyduję.');
    expect(sent.instant!.language).toBe('en');
    expect(sent.instant!.detectedLanguage).toBe('pl');
    for (const s of sent.instant!.suggestions) for (const id of s.knowledgeIds) expect(getKnowledge(db, id).language).toBe('en');
    expect(sent.instant!.suggestions.map((s) => s.kind)).toEqual(expect.arrayContaining(['next_question', 'playbook_step']));
  });

  it('an entry that exists only in the other language is replaced by the coach’s own template', () => {
    const other = startCoachSession(deps, { language: 'en' });
    // Remove every English "need" response and question: only the Polish ones remain.
    for (const e of listKnowledge(db, { language: 'en', kind: 'response', category: 'need' }).entries) deleteKnowledge(db, e.id);
    const result = fallbackCoach(db, "I don't really need it, my current car is fine.", 'en');
    const responses = result.suggestions.filter((s) => s.kind === 'objection_response');
    expect(result.classification.objections[0]?.category).toBe('need');
    expect(responses[0]).toMatchObject({ knowledgeIds: [] });
    expect(responses[0]!.text).toMatch(/^What you have works/);
    const question = result.suggestions.find((s) => s.kind === 'next_question')!;
    for (const id of question.knowledgeIds) expect(getKnowledge(db, id).language).toBe('en');
    expect(other.language).toBe('en');
  });
});

describe('knowledge in the answers', () => {
  it('offers a promotion while it runs and never after its last day', () => {
    createKnowledge(db, { kind: 'promotion', key: 'promotion.test-discount', language: 'en', title: 'Test discount', body: 'A 5% discount on the list price.', tags: ['discount'], facts: { validFrom: '2030-01-01', validUntil: '2030-01-31', amount: 5000, currency: 'PLN' } });
    const text = 'Can you give me a discount? What is your best price?';
    const before = fallbackCoach(db, text, 'en', { now: day('2030-01-31') });
    const offered = before.suggestions.find((s) => s.text.includes('Test discount'));
    expect(offered?.text).toMatch(/until 31 January 2030/);
    expect(offered?.text).toMatch(/5,000 PLN/);
    expect(getKnowledge(db, offered!.knowledgeIds[0]!).key).toBe('promotion.test-discount');
    const after = fallbackCoach(db, text, 'en', { now: day('2030-02-01') });
    expect(after.suggestions.some((s) => s.text.includes('Test discount'))).toBe(false);
  });

  it('answers a named competitor with its battlecard and a product-fit worry with the product fact, citing them', () => {
    const competitor = fallbackCoach(db, 'The Kairo K3 is much cheaper than yours, I got a better offer there.', 'en');
    const card = competitor.suggestions.find((s) => s.knowledgeIds.some((id) => getKnowledge(db, id).kind === 'competitor'));
    expect(card?.text).toMatch(/Kairo K3/);
    const fit = fallbackCoach(db, 'I have nowhere to charge it at home, the range isn’t enough for me.', 'en');
    const fact = fit.suggestions.find((s) => s.knowledgeIds.some((id) => getKnowledge(db, id).kind === 'product'));
    expect(fact?.text).toMatch(/charging|range/);
  });

  it('answers in Polish with Polish numbers and dates', () => {
    createKnowledge(db, { kind: 'promotion', key: 'promotion.test-rabat', language: 'pl', title: 'Rabat testowy', body: 'Rabat od ceny katalogowej.', facts: { validFrom: '2030-01-01', validUntil: '2030-01-31', amount: 4500.5, currency: 'PLN' } });
    const result = fallbackCoach(db, 'Za drogo. Jaka jest najlepsza cena, da Pan rabat?', 'pl', { now: day('2030-01-10') });
    const offered = result.suggestions.find((s) => s.text.includes('Rabat testowy'));
    expect(offered?.text).toMatch(/do 31\.01\.2030/);
    expect(offered?.text).toMatch(/4\s500,5 PLN/);
  });
});

describe('archetype from the whole conversation', () => {
  it('accumulates evidence, does not flip on one message, shows the supporting phrases and keeps a history', () => {
    const session = startCoachSession(deps, { language: 'en' });
    send(session.id, 'Send me the data sheet and the exact consumption figures, I want to compare the numbers.');
    send(session.id, 'What is the measured range in winter according to the independent tests? Show me the data.');
    const settled = getSession(db, session.id).archetype;
    expect(settled).toBe('analytical');
    send(session.id, 'Wow, the colour looks amazing!');
    expect(getSession(db, session.id).archetype).toBe('analytical');
    const evidence = sessionEvidence(db, session.id);
    expect(evidence.messages).toBe(3);
    const profile = getProfile(db, getSession(db, session.id).leadId!);
    expect(profile?.analysis.archetype).toBe('analytical');
    expect(profile?.archetypeEvidence.length).toBeGreaterThan(0);
    expect(profile?.archetypeHistory.map((h) => h.archetype)).toEqual(['analytical']);
    expect(archetypeHistory(db, session.leadId!)[0]!.evidence.length).toBeGreaterThan(0);
    expect(listSuggestions(db, session.id).length).toBeGreaterThan(0);
  });
});
