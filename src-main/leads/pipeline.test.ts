import { afterAll, describe, expect, it } from 'vitest';
import { createTempCore } from '../../test/helpers/temp-core';
import { scriptedLlm } from '../../test/helpers/scripted-llm';
import { followupDrafter } from '../composition/coach-llm';
import { addMessage, createSession } from '../coaching/sessions-repo';
import { addSuggestions } from '../coaching/suggestions-repo';
import { coachingDashboard } from '../coaching/dashboard';
import { createKnowledge } from '../knowledge';
import { preCallBrief } from './brief';
import { completeFollowup, dueFollowups, snoozeFollowup } from './followups';
import { saveToLibrary, teamInsights } from './insights';
import { createLead, getLead, listLeads, updateLead } from './leads-repo';
import { recordOutcome, winRates } from './outcomes';
import { draftStep, logReply, markStepSent, startSequence } from './sequences';
import { todayView } from './today';

const core = createTempCore();
afterAll(() => core.close());
const db = core.db;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 9);
const outbox = (table: string) => (db.$client.prepare('SELECT count(*) AS n FROM sync_outbox WHERE table_name = ?').get(table) as { n: number }).n;

describe('pipeline fields', () => {
  it('stores stage, deal, tags, owner and next step through the outbox; filters and sorts', () => {
    const before = outbox('leads');
    const a = createLead(db, { name: 'Alfa', stage: 'offer', dealValue: 12_500, currency: 'pln', tags: ['vip', 'vip', 'b2b'], owner: 'Ola', nextStep: 'Call back', nextStepDue: T0 + DAY }, T0);
    const b = createLead(db, { name: 'Beta', nextStep: 'Send offer', nextStepDue: T0 - DAY }, T0);
    expect(a).toMatchObject({ stage: 'offer', dealValue: 12_500, currency: 'PLN', tags: ['vip', 'b2b'], owner: 'Ola', nextStepDue: T0 + DAY });
    expect(b.stage).toBe('new');
    expect(listLeads(db, { stage: 'offer' }).map((l) => l.name)).toEqual(['Alfa']);
    expect(listLeads(db, { dueBefore: T0 }).map((l) => l.name)).toEqual(['Beta']);
    expect(listLeads(db, { sort: 'due' }).slice(0, 2).map((l) => l.name)).toEqual(['Beta', 'Alfa']);
    const lost = updateLead(db, a.id, { stage: 'lost', lostReason: 'Too expensive' }, T0 + 1);
    expect(lost).toMatchObject({ stage: 'lost', lostReason: 'Too expensive' });
    expect(updateLead(db, a.id, { stage: 'negotiation' }, T0 + 2).lostReason).toBeNull();
    // Field-level changes: the stage move is its own outbox entry with only its fields.
    const last = db.$client.prepare("SELECT changes_json FROM sync_outbox WHERE table_name = 'leads' ORDER BY seq DESC LIMIT 1").get() as { changes_json: string };
    expect(Object.keys(JSON.parse(last.changes_json) as object).sort()).toEqual(['lost_reason', 'stage', 'updated_at']);
    expect(outbox('leads') - before).toBe(4);
  });
});

describe('reminders and sequences', () => {
  it('lists due next steps and sequence steps oldest first; snooze, done, sent, reply pauses', async () => {
    const lead = createLead(db, { name: 'Gamma', language: 'en', nextStep: 'Demo', nextStepDue: T0 + 3 * DAY }, T0);
    const session = createSession(db, { leadId: lead.id, mode: 'coach', title: 'Heat pump', language: 'en' }, T0);
    expect(session.leadId).toBe(lead.id);
    const seq = startSequence(db, lead.id, { now: T0 });
    expect(seq.steps.map((s) => [s.kind, s.dayOffset, s.dueAt - T0])).toEqual([['thank_you', 0, 0], ['offer', 2, 2 * DAY], ['check_in', 7, 7 * DAY]]);
    expect(seq.steps[1]!.body).toContain('Heat pump');
    const at = T0 + 3 * DAY + 1;
    const due = dueFollowups(db, { at, leadId: lead.id });
    expect(due.map((d) => [d.kind, d.text, d.overdue])).toEqual([['sequence_step', seq.steps[0]!.subject, true], ['sequence_step', seq.steps[1]!.subject, true], ['next_step', 'Demo', true]]);
    snoozeFollowup(db, { kind: 'next_step', id: lead.id }, T0 + 5 * DAY, at);
    markStepSent(db, seq.steps[0]!.id, at);
    expect(dueFollowups(db, { at, leadId: lead.id }).map((d) => d.id)).toEqual([seq.steps[1]!.id]);
    expect(dueFollowups(db, { at: T0 + 5 * DAY, leadId: lead.id }).map((d) => d.kind)).toEqual(['sequence_step', 'next_step']);
    completeFollowup(db, { kind: 'next_step', id: lead.id }, at);
    expect(getLead(db, lead.id).nextStepDoneAt).toBe(at);
    const drafted = await draftStep(db, seq.steps[2]!.id, followupDrafter(scriptedLlm({ reply: () => 'Hello Gamma, any questions about the heat pump?' })), new AbortController().signal, at);
    expect(drafted).toMatchObject({ draftSource: 'model', body: 'Hello Gamma, any questions about the heat pump?' });
    const fallback = await draftStep(db, seq.steps[2]!.id, null, new AbortController().signal, at);
    expect(fallback.draftSource).toBe('template');
    const paused = logReply(db, seq.id, 'Call me on Monday', at);
    expect(paused.status).toBe('paused');
    expect(dueFollowups(db, { at: T0 + 30 * DAY, leadId: lead.id })).toEqual([]);
    const today = todayView(db, { at: T0 + 30 * DAY });
    expect(today.followups.some((f) => f.leadId === lead.id)).toBe(false);
  });

  it('drafts the offer per archetype and language', () => {
    const lead = createLead(db, { name: 'Delta', language: 'pl' }, T0);
    const s = createSession(db, { leadId: lead.id, mode: 'coach', title: 'Fotowoltaika', language: 'pl', archetype: 'analytical' }, T0);
    expect(s.archetype).toBe('analytical');
    const seq = startSequence(db, lead.id, { now: T0 });
    expect(seq.archetype).toBe('analytical');
    expect(seq.steps[1]!.body).toContain('pełną specyfikacją');
    expect(seq.steps[0]!.subject).toBe('Dziękuję za dzisiejszą rozmowę, Delta');
  });
});

describe('outcomes, win rates, brief, team library', () => {
  it('links the session suggestions to the outcome and moves the win rate', () => {
    const response = createKnowledge(db, { kind: 'response', language: 'pl', title: 'Koszt ogrzewania', body: 'Policzmy, ile dziś kosztuje ogrzewanie.', category: 'price' });
    const before = winRates(db).overall;
    const lead = createLead(db, { name: 'Epsilon', owner: 'Ola' }, T0);
    const session = createSession(db, { leadId: lead.id, mode: 'coach', title: 'Klimatyzacja', language: 'pl', archetype: 'skeptic' }, T0);
    const msg = addMessage(db, session.id, 'salesperson', 'Dobrze. Wyślę ofertę jutro rano.', null, T0);
    const [used] = addSuggestions(db, session.id, msg.id, [{ kind: 'objection_response', text: response.body, knowledgeIds: [response.id] }], 'fallback', T0);
    expect(() => recordOutcome(db, { target: session.id, outcome: 'lost' })).toThrow(/needs a reason/);
    const outcome = recordOutcome(db, { target: session.id, outcome: 'won' }, T0 + DAY);
    expect(outcome).toMatchObject({ leadId: lead.id, sessionId: session.id, suggestionIds: [used!.id] });
    expect(getLead(db, lead.id).stage).toBe('won');
    const after = coachingDashboard(db, { now: T0 + DAY }).winRates;
    expect(after.overall.won).toBe(before.won + 1);
    expect(after.byResponse.find((r) => r.knowledgeId === response.id)).toMatchObject({ won: 1, rate: 1 });
    expect(after.byCategory.find((r) => r.category === 'price')).toMatchObject({ won: 1 });
    expect(after.byArchetype.find((r) => r.archetype === 'skeptic')).toMatchObject({ won: 1 });
    const next = recordOutcome(db, { target: lead.id, outcome: 'next_meeting', reason: 'Montaż', nextMeetingAt: T0 + 9 * DAY }, T0 + 2 * DAY);
    expect(next.sessionId).toBeNull();
    expect(getLead(db, lead.id)).toMatchObject({ nextStep: 'Montaż', nextStepDue: T0 + 9 * DAY });

    const other = createLead(db, { name: 'Zeta' }, T0);
    createSession(db, { leadId: other.id, mode: 'coach', title: 'x', language: 'pl', archetype: 'skeptic' }, T0);
    const brief = preCallBrief(db, lead.id);
    expect(brief.promises.map((p) => p.text)).toEqual(['Wyślę ofertę jutro rano.']);
    expect(brief.lastNextStep?.text).toBe('Montaż');
    expect(brief.outcomes).toHaveLength(2);

    const insights = teamInsights(db).responses.find((r) => r.knowledgeId === response.id);
    expect(insights).toMatchObject({ won: 1, usedBy: ['Ola'] });
    const saved = saveToLibrary(db, { text: 'Zapytaj o koszt obecnego ogrzewania, zanim padnie cena.', author: 'Ola' }, T0);
    expect(teamInsights(db).responses.find((r) => r.knowledgeId === saved.knowledgeId)?.author).toBe('Ola');
  });
});
