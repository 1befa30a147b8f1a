import { afterAll, describe, expect, it } from 'vitest';
import { createTempCore } from '../../test/helpers/temp-core';
import { getKnowledge } from '../knowledge';
import { seedDefaultPack } from '../knowledge/seed';
import { sendMessage, startCoachSession, type CoachDeps } from './coach-service';
import { coachingDashboard } from './dashboard';
import { createSession } from './sessions-repo';
import { listSuggestions, rateSuggestion } from './suggestions-repo';

const core = createTempCore();
afterAll(() => core.close());
const db = core.db;
seedDefaultPack(db);
// The instant answer needs no model: the deps the coaching feature builds, without one.
const deps: CoachDeps = { db, events: core.events, log: core.log, llm: () => null, defaultLanguage: () => 'en' };
const DAY = 86_400_000;
const now = Date.parse('2026-11-20T12:00:00Z');

describe('coaching dashboard', () => {
  it('starts empty but complete (every day present)', () => {
    const empty = coachingDashboard(db, { days: 7, now });
    expect(empty.sessionsOverTime).toHaveLength(7);
    expect(empty.sessionsOverTime.at(-1)).toEqual({ day: '2026-11-20', coach: 0, roleplay: 0 });
    expect(empty.totals).toEqual({ sessions: 0, messages: 0, suggestions: 0, ratings: 0, averageRating: null });
  });

  it('counts sessions per day and mode, archetypes, objections per message and ratings', () => {
    // Messages and ratings are stamped with the real clock, so the sessions are too: a fixed date here
    // would fall out of the 7-day window a week after it was written.
    const today = Date.now();
    const a = startCoachSession(deps, { language: 'pl' }, today - 2 * DAY);
    const b = startCoachSession(deps, { language: 'en' }, today);
    createSession(db, { leadId: null, mode: 'roleplay', title: 'practice', language: 'en', archetype: 'skeptic' }, today);
    sendMessage(deps, { sessionId: a.id, text: 'Za drogo, a do tego muszę zapytać żonę. Bezpieczeństwo dzieci jest dla mnie najważniejsze, rodzina przede wszystkim.', requestId: 'r1' });
    sendMessage(deps, { sessionId: b.id, text: "It's too expensive.", requestId: 'r2' });
    sendMessage(deps, { sessionId: b.id, text: 'I got a better offer from the dealer down the road.', requestId: 'r3' });

    // Rated responses from the library (a quoted promotion or product fact is not a response entry).
    const responses = listSuggestions(db, b.id).filter((s) => s.kind === 'objection_response' && getKnowledge(db, s.knowledgeIds[0]!).kind === 'response');
    rateSuggestion(db, responses[0]!.id, 5, null);
    rateSuggestion(db, responses[1]!.id, 2, 'too long');
    const dash = coachingDashboard(db, { days: 7, now: today });

    const total = dash.sessionsOverTime.reduce((s, d) => ({ coach: s.coach + d.coach, roleplay: s.roleplay + d.roleplay }), { coach: 0, roleplay: 0 });
    expect(total).toEqual({ coach: 2, roleplay: 1 });
    expect(dash.archetypeDistribution).toEqual(expect.arrayContaining([{ archetype: 'skeptic', sessions: 1 }, { archetype: 'amiable', sessions: 1 }]));
    const freq = Object.fromEntries(dash.objectionFrequency.map((o) => [o.category, o.messages]));
    expect(freq).toMatchObject({ price: 2, authority: 1, competitor: 1 });
    expect(dash.totals).toMatchObject({ sessions: 3, ratings: 2, averageRating: 3.5 });
    expect(dash.responseRatings.map((r) => r.average).sort()).toEqual([2, 5]);
    expect(dash.mostEffective[0]).toMatchObject({ knowledgeId: responses[0]!.knowledgeIds[0], average: 5, count: 1 });
    expect(dash.ratingsOverTime.at(-1)).toMatchObject({ average: 3.5, count: 2 });
  });

  it('splits days at the viewer\'s local midnight', () => {
    const lateUtc = Date.parse('2026-10-09T23:30:00Z');
    createSession(db, { leadId: null, mode: 'roleplay', title: 'late', language: 'pl' }, lateUtc);
    const utc = coachingDashboard(db, { days: 3, now: lateUtc });
    const warsaw = coachingDashboard(db, { days: 3, now: lateUtc, tzOffsetMinutes: 60 });
    expect(utc.sessionsOverTime.find((d) => d.day === '2026-10-09')?.roleplay).toBe(1);
    expect(warsaw.sessionsOverTime.find((d) => d.day === '2026-10-10')?.roleplay).toBe(1);
    expect(warsaw.sessionsOverTime.find((d) => d.day === '2026-10-09')?.roleplay).toBe(0);
  });
});
