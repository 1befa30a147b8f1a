import { and, desc, eq, isNull } from 'drizzle-orm';
import { AppError } from '@shared/contract/errors';
import { Archetype, ObjectionCategory } from '@shared/coaching/keys';
import type { Outcome, OutcomeKind, WinRates } from '@shared/coaching/pipeline';
import { coachingSessions, outcomes, suggestions } from '../db/schema';
import { insertSynced } from '../db/synced-repo';
import type { Db } from '../db/open';
import { getLead, updateLead } from './leads-repo';

type OutcomeRow = typeof outcomes.$inferSelect;

function toOutcome(row: OutcomeRow): Outcome {
  let ids: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.suggestionIdsJson);
    if (Array.isArray(parsed)) ids = parsed.filter((x): x is string => typeof x === 'string');
  } catch {
    ids = [];
  }
  return { id: row.id, leadId: row.leadId, sessionId: row.sessionId, outcome: row.outcome, reason: row.reason, nextMeetingAt: row.nextMeetingAt, suggestionIds: ids, createdAt: row.createdAt };
}

export interface OutcomeInput {
  /** A session id or a lead id: a session's outcome is also its lead's. */
  target: string;
  outcome: OutcomeKind;
  reason?: string | null;
  nextMeetingAt?: number | null;
}

/**
 * Records how a session or a lead ended. The session's suggestions are linked to the outcome (the coach
 * learns which answers end in a sale), and the lead's stage follows: won, lost (with the reason), or a
 * next meeting that becomes the lead's next step.
 */
export function recordOutcome(db: Db, input: OutcomeInput, now = Date.now()): Outcome {
  const session = db.select().from(coachingSessions).where(and(eq(coachingSessions.id, input.target), isNull(coachingSessions.deletedAt))).get();
  const leadId = session ? session.leadId : input.target;
  if (!leadId) throw new AppError('VALIDATION', 'This session has no lead, so its outcome cannot be recorded.');
  const lead = getLead(db, leadId);
  if (input.outcome === 'lost' && !input.reason?.trim()) throw new AppError('VALIDATION', 'A lost deal needs a reason (use --reason).');
  const suggestionIds = session
    ? db.select({ id: suggestions.id }).from(suggestions).where(and(eq(suggestions.sessionId, session.id), isNull(suggestions.deletedAt))).all().map((s) => s.id)
    : [];
  return db.transaction(() => {
    const row = insertSynced(
      db,
      outcomes,
      { leadId, sessionId: session?.id ?? null, outcome: input.outcome, reason: input.reason?.trim() || null, nextMeetingAt: input.nextMeetingAt ?? null, suggestionIdsJson: JSON.stringify(suggestionIds) },
      now,
    );
    if (input.outcome === 'won') updateLead(db, lead.id, { stage: 'won' }, now);
    else if (input.outcome === 'lost') updateLead(db, lead.id, { stage: 'lost', lostReason: input.reason?.trim() ?? null }, now);
    else {
      const meetingText = lead.language === 'pl' ? 'Spotkanie' : 'Meeting';
      const stage = lead.stage === 'new' || lead.stage === 'contacted' ? 'meeting' : lead.stage;
      updateLead(db, lead.id, { stage, ...(input.nextMeetingAt ? { nextStep: input.reason?.trim() || meetingText, nextStepDue: input.nextMeetingAt } : {}) }, now);
    }
    return toOutcome(row);
  });
}

export function listOutcomes(db: Db, leadId: string): Outcome[] {
  return db.select().from(outcomes).where(and(eq(outcomes.leadId, leadId), isNull(outcomes.deletedAt))).orderBy(desc(outcomes.createdAt)).all().map(toOutcome);
}

const rate = (won: number, lost: number) => (won + lost === 0 ? null : Math.round((won / (won + lost)) * 1000) / 1000);

/**
 * Win rate (won / (won + lost)) of the suggestions linked to decided outcomes: by objection category, by
 * response and by archetype. Only each session's latest outcome counts (a next meeting then a win is a win).
 */
export function winRates(db: Db): WinRates {
  const c = db.$client;
  const decided = `WITH latest AS (
      SELECT o.* FROM outcomes o WHERE o.deleted_at IS NULL AND o.outcome IN ('won', 'lost') AND o.session_id IS NOT NULL
        AND o.created_at = (SELECT max(o2.created_at) FROM outcomes o2 WHERE o2.session_id = o.session_id AND o2.deleted_at IS NULL)
    ), used AS (
      SELECT latest.outcome AS outcome, latest.session_id AS session_id, j.value AS suggestion_id FROM latest, json_each(latest.suggestion_ids_json) j
    )`;
  const byResponse = (
    c
      .prepare(
        `${decided} SELECT k.id AS knowledgeId, k.title AS title, k.category AS category,
           count(DISTINCT CASE WHEN u.outcome = 'won' THEN u.session_id END) AS won, count(DISTINCT CASE WHEN u.outcome = 'lost' THEN u.session_id END) AS lost
         FROM used u JOIN suggestions s ON s.id = u.suggestion_id JOIN knowledge_entries k ON k.id = json_extract(s.knowledge_ids_json, '$[0]')
         WHERE k.kind = 'response' GROUP BY k.id ORDER BY won DESC, lost ASC LIMIT 50`,
      )
      .all() as { knowledgeId: string; title: string; category: string | null; won: number; lost: number }[]
  ).map((r) => ({ ...r, category: ObjectionCategory.nullable().catch(null).parse(r.category), rate: rate(r.won, r.lost) }));
  const byCategory = (
    c
      .prepare(
        `${decided} SELECT k.category AS category,
           count(DISTINCT CASE WHEN u.outcome = 'won' THEN u.session_id END) AS won, count(DISTINCT CASE WHEN u.outcome = 'lost' THEN u.session_id END) AS lost
         FROM used u JOIN suggestions s ON s.id = u.suggestion_id JOIN knowledge_entries k ON k.id = json_extract(s.knowledge_ids_json, '$[0]')
         WHERE s.kind = 'objection_response' AND k.category IS NOT NULL GROUP BY k.category`,
      )
      .all() as { category: string; won: number; lost: number }[]
  ).flatMap((r) => (ObjectionCategory.safeParse(r.category).success ? [{ category: r.category as ObjectionCategory, won: r.won, lost: r.lost, rate: rate(r.won, r.lost) }] : []));
  const byArchetype = (
    c
      .prepare(
        `${decided} SELECT s.archetype AS archetype, sum(l.outcome = 'won') AS won, sum(l.outcome = 'lost') AS lost
         FROM latest l JOIN coaching_sessions s ON s.id = l.session_id WHERE s.archetype IS NOT NULL GROUP BY s.archetype`,
      )
      .all() as { archetype: string; won: number; lost: number }[]
  ).flatMap((r) => (Archetype.safeParse(r.archetype).success ? [{ archetype: r.archetype as Archetype, won: r.won, lost: r.lost, rate: rate(r.won, r.lost) }] : []));
  // Overall: each lead's latest decided outcome, session-level or lead-level.
  const overall = c
    .prepare(
      `SELECT coalesce(sum(outcome = 'won'), 0) AS won, coalesce(sum(outcome = 'lost'), 0) AS lost FROM outcomes o
       WHERE o.deleted_at IS NULL AND o.outcome IN ('won', 'lost')
         AND o.created_at = (SELECT max(o2.created_at) FROM outcomes o2 WHERE o2.lead_id = o.lead_id AND o2.deleted_at IS NULL AND o2.outcome IN ('won', 'lost'))`,
    )
    .get() as { won: number; lost: number };
  return { overall: { ...overall, rate: rate(overall.won, overall.lost) }, byCategory, byResponse, byArchetype };
}
