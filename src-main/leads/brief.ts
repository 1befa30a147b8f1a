import { Archetype, ObjectionCategory } from '@shared/coaching/keys';
import type { PreCallBrief } from '@shared/coaching/pipeline-views';
import type { Db } from '../db/open';
import { getLead } from './leads-repo';
import { listOutcomes } from './outcomes';

/** Sentences in which the salesperson commits to something, in either language (letter bounds, not \b: Polish ends in ę). */
const PROMISE_RE = /(?<!\p{L})(i will|i'll|we will|we'll|i can send|i promise|wyślę|prześlę|przygotuję|zadzwonię|sprawdzę|obiecuję|odezwę się|przyślę)(?!\p{L})/iu;

const rate = (won: number, lost: number) => (won + lost === 0 ? null : Math.round((won / (won + lost)) * 1000) / 1000);

function stringArray(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** One screen before a meeting: who the client is, what they objected to, what was promised, what worked elsewhere. */
export function preCallBrief(db: Db, leadId: string): PreCallBrief {
  const lead = getLead(db, leadId);
  const c = db.$client;
  const archetypeHistory = (
    c
      .prepare('SELECT archetype, previous_archetype AS previous, confidence, evidence_json AS evidence, created_at AS at FROM lead_archetypes WHERE lead_id = ? AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20')
      .all(leadId) as { archetype: string; previous: string | null; confidence: string; evidence: string; at: number }[]
  ).flatMap((r) => {
    const archetype = Archetype.safeParse(r.archetype);
    if (!archetype.success) return [];
    return [{ archetype: archetype.data, previousArchetype: Archetype.nullable().catch(null).parse(r.previous), confidence: r.confidence, evidence: stringArray(r.evidence), at: r.at }];
  });
  const openObjections = (
    c
      .prepare(
        `SELECT k.category AS category, max(s.created_at) AS lastRaisedAt, count(DISTINCT s.message_id) AS times
         FROM suggestions s JOIN coaching_sessions cs ON cs.id = s.session_id JOIN knowledge_entries k ON k.id = json_extract(s.knowledge_ids_json, '$[0]')
         WHERE cs.lead_id = ? AND cs.deleted_at IS NULL AND s.deleted_at IS NULL AND s.kind = 'objection_response' AND k.category IS NOT NULL
         GROUP BY k.category ORDER BY lastRaisedAt DESC`,
      )
      .all(leadId) as { category: string; lastRaisedAt: number; times: number }[]
  ).flatMap((r) => (ObjectionCategory.safeParse(r.category).success ? [{ category: r.category as ObjectionCategory, lastRaisedAt: r.lastRaisedAt, times: r.times }] : []));
  const promises = (
    c
      .prepare(
        `SELECT m.content AS text, m.created_at AS at FROM messages m JOIN coaching_sessions cs ON cs.id = m.session_id
         WHERE cs.lead_id = ? AND cs.deleted_at IS NULL AND m.deleted_at IS NULL AND m.role = 'salesperson' ORDER BY m.created_at DESC LIMIT 200`,
      )
      .all(leadId) as { text: string; at: number }[]
  )
    .flatMap((m) => m.text.split(/(?<=[.!?])\s+/).filter((s) => PROMISE_RE.test(s)).map((text) => ({ text: text.trim(), at: m.at })))
    .slice(0, 10);
  const categories = openObjections.map((o) => o.category);
  const archetype = archetypeHistory[0]?.archetype ?? null;
  const whatWorked = (
    c
      .prepare(
        `WITH latest AS (
           SELECT o.* FROM outcomes o WHERE o.deleted_at IS NULL AND o.outcome IN ('won', 'lost') AND o.session_id IS NOT NULL AND o.lead_id <> ?
             AND o.created_at = (SELECT max(o2.created_at) FROM outcomes o2 WHERE o2.session_id = o.session_id AND o2.deleted_at IS NULL)
         )
         SELECT k.id AS knowledgeId, k.title AS title, k.category AS category,
           count(DISTINCT CASE WHEN l.outcome = 'won' THEN l.session_id END) AS won, count(DISTINCT CASE WHEN l.outcome = 'lost' THEN l.session_id END) AS lost
         FROM latest l JOIN json_each(l.suggestion_ids_json) j JOIN suggestions s ON s.id = j.value
           JOIN coaching_sessions cs ON cs.id = l.session_id JOIN knowledge_entries k ON k.id = json_extract(s.knowledge_ids_json, '$[0]')
         WHERE k.kind = 'response' AND (cs.archetype = ? OR k.category IN (SELECT value FROM json_each(?)))
         GROUP BY k.id HAVING won > 0 ORDER BY won DESC, lost ASC LIMIT 10`,
      )
      .all(leadId, archetype, JSON.stringify(categories)) as { knowledgeId: string; title: string; category: string | null; won: number; lost: number }[]
  ).map((r) => ({ ...r, category: ObjectionCategory.nullable().catch(null).parse(r.category), rate: rate(r.won, r.lost) }));
  return {
    lead,
    archetypeHistory,
    openObjections,
    lastNextStep: lead.nextStep ? { text: lead.nextStep, due: lead.nextStepDue, doneAt: lead.nextStepDoneAt } : null,
    promises,
    whatWorked,
    outcomes: listOutcomes(db, leadId),
  };
}
