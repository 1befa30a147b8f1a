import { Archetype, ObjectionCategory } from '@shared/coaching/keys';
import type { CoachingDashboard } from '@shared/coaching/types';
import type { Db } from '../db/open';
import { FEEDBACK_PRIOR_COUNT } from '../knowledge';
import { winRates } from '../leads';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DashboardInput {
  days?: number;
  /** Minutes east of UTC of the viewer (-new Date().getTimezoneOffset()), so days split at local midnight. */
  tzOffsetMinutes?: number;
  now?: number;
}

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Coaching KPIs for the dashboard: sessions per day by mode, archetype distribution, objection
 * frequency (client messages per detected category), ratings over time, average rating per response and
 * the most effective responses (average shrunk towards 3, so one lucky 5 does not top the list).
 */
export function coachingDashboard(db: Db, input: DashboardInput = {}): CoachingDashboard {
  const days = Math.max(1, Math.min(365, Math.round(input.days ?? 30)));
  const offsetMs = Math.round(input.tzOffsetMinutes ?? 0) * 60_000;
  const now = input.now ?? Date.now();
  const firstDay = dayKey(now + offsetMs - (days - 1) * DAY_MS);
  const since = Date.parse(`${firstDay}T00:00:00Z`) - offsetMs;
  const until = since + days * DAY_MS;
  const shift = offsetMs / 1000;
  const c = db.$client;

  const sessionRows = c
    .prepare(
      `SELECT date(created_at / 1000 + ?, 'unixepoch') AS day, sum(mode = 'coach') AS coach, sum(mode = 'roleplay') AS roleplay
       FROM coaching_sessions WHERE deleted_at IS NULL AND created_at >= ? AND created_at < ? GROUP BY day`,
    )
    .all(shift, since, until) as { day: string; coach: number; roleplay: number }[];
  const byDay = new Map(sessionRows.map((r) => [r.day, r]));
  const sessionsOverTime = Array.from({ length: days }, (_, i) => {
    const day = dayKey(Date.parse(`${firstDay}T00:00:00Z`) + i * DAY_MS);
    const row = byDay.get(day);
    return { day, coach: row?.coach ?? 0, roleplay: row?.roleplay ?? 0 };
  });

  const archetypeDistribution = (
    c.prepare('SELECT archetype, count(*) AS sessions FROM coaching_sessions WHERE deleted_at IS NULL AND archetype IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY archetype ORDER BY sessions DESC').all(since, until) as {
      archetype: string;
      sessions: number;
    }[]
  ).flatMap((r) => (Archetype.safeParse(r.archetype).success ? [{ archetype: r.archetype as Archetype, sessions: r.sessions }] : []));

  // A client message counts once per category it raised: objection_response suggestions cite the response first.
  const objectionFrequency = (
    c
      .prepare(
        `SELECT k.category AS category, count(DISTINCT s.message_id) AS messages
         FROM suggestions s JOIN knowledge_entries k ON k.id = json_extract(s.knowledge_ids_json, '$[0]')
         WHERE s.deleted_at IS NULL AND s.kind = 'objection_response' AND s.created_at >= ? AND s.created_at < ? AND k.category IS NOT NULL
         GROUP BY k.category ORDER BY messages DESC`,
      )
      .all(since, until) as { category: string; messages: number }[]
  ).flatMap((r) => (ObjectionCategory.safeParse(r.category).success ? [{ category: r.category as ObjectionCategory, messages: r.messages }] : []));

  const ratingsOverTime = c
    .prepare(
      `SELECT date(updated_at / 1000 + ?, 'unixepoch') AS day, avg(rating) AS average, count(*) AS count
       FROM feedback WHERE deleted_at IS NULL AND updated_at >= ? AND updated_at < ? GROUP BY day ORDER BY day`,
    )
    .all(shift, since, until) as { day: string; average: number; count: number }[];

  const prior = FEEDBACK_PRIOR_COUNT;
  const ratedResponses = (
    c
      .prepare(
        `SELECT k.id AS knowledgeId, k.title AS title, k.category AS category, avg(f.rating) AS average, count(*) AS count,
                (sum(f.rating) + 3.0 * ${prior}) / (count(*) + ${prior}) AS score
         FROM feedback f JOIN knowledge_entries k ON k.id = f.knowledge_id
         WHERE f.deleted_at IS NULL AND k.kind = 'response'
         GROUP BY k.id`,
      )
      .all() as { knowledgeId: string; title: string; category: string | null; average: number; count: number; score: number }[]
  ).map((r) => ({ ...r, category: ObjectionCategory.nullable().catch(null).parse(r.category), average: Math.round(r.average * 100) / 100, score: Math.round(r.score * 1000) / 1000 }));

  const responseRatings = [...ratedResponses].sort((a, b) => b.count - a.count || b.average - a.average).slice(0, 50).map(({ score: _score, ...rest }) => rest);
  const mostEffective = [...ratedResponses].sort((a, b) => b.score - a.score || b.count - a.count).slice(0, 10);

  const count = (sql: string) => (c.prepare(sql).get() as { n: number }).n;
  const averageRow = c.prepare('SELECT avg(rating) AS a FROM feedback WHERE deleted_at IS NULL').get() as { a: number | null };
  return {
    days,
    sessionsOverTime,
    archetypeDistribution,
    objectionFrequency,
    ratingsOverTime: ratingsOverTime.map((r) => ({ ...r, average: Math.round(r.average * 100) / 100 })),
    responseRatings,
    mostEffective,
    totals: {
      sessions: count('SELECT count(*) AS n FROM coaching_sessions WHERE deleted_at IS NULL'),
      messages: count('SELECT count(*) AS n FROM messages WHERE deleted_at IS NULL'),
      suggestions: count('SELECT count(*) AS n FROM suggestions WHERE deleted_at IS NULL'),
      ratings: count('SELECT count(*) AS n FROM feedback WHERE deleted_at IS NULL'),
      averageRating: averageRow.a === null ? null : Math.round(averageRow.a * 100) / 100,
    },
    winRates: winRates(db),
  };
}
