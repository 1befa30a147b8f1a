import type { CoachLanguage } from '@shared/coaching/keys';
import type { TeamInsights } from '@shared/coaching/pipeline-views';
import { ObjectionCategory } from '@shared/coaching/keys';
import { knowledgeEntries } from '../db/schema';
import { updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';
import { createKnowledge } from '../knowledge';

/** Outcomes and ratings weigh in as if every response had this many neutral data points (few data count less). */
const PRIOR = 3;

/**
 * Team insights: every response the team's sessions used or rated (synced from everyone), ranked by
 * outcomes and ratings together, with who wrote it (author) and who used it (owners of the leads).
 */
export function teamInsights(db: Db): TeamInsights {
  const rows = db.$client
    .prepare(
      `WITH latest AS (
         SELECT o.* FROM outcomes o WHERE o.deleted_at IS NULL AND o.outcome IN ('won', 'lost') AND o.session_id IS NOT NULL
           AND o.created_at = (SELECT max(o2.created_at) FROM outcomes o2 WHERE o2.session_id = o.session_id AND o2.deleted_at IS NULL)
       ), used AS (
         SELECT json_extract(s.knowledge_ids_json, '$[0]') AS knowledge_id, s.session_id AS session_id FROM suggestions s WHERE s.deleted_at IS NULL
       ), results AS (
         SELECT u.knowledge_id AS knowledge_id,
           count(DISTINCT CASE WHEN l.outcome = 'won' THEN l.session_id END) AS won, count(DISTINCT CASE WHEN l.outcome = 'lost' THEN l.session_id END) AS lost
         FROM latest l JOIN json_each(l.suggestion_ids_json) j JOIN suggestions s ON s.id = j.value JOIN used u ON u.session_id = s.session_id AND u.knowledge_id = json_extract(s.knowledge_ids_json, '$[0]')
         GROUP BY u.knowledge_id
       ), ratings AS (
         SELECT f.knowledge_id AS knowledge_id, avg(f.rating) AS average, count(*) AS n FROM feedback f WHERE f.deleted_at IS NULL AND f.knowledge_id IS NOT NULL GROUP BY f.knowledge_id
       ), users AS (
         SELECT u.knowledge_id AS knowledge_id, json_group_array(DISTINCT ld.owner) AS owners
         FROM used u JOIN coaching_sessions cs ON cs.id = u.session_id JOIN leads ld ON ld.id = cs.lead_id WHERE ld.owner IS NOT NULL GROUP BY u.knowledge_id
       )
       SELECT k.id AS knowledgeId, k.title AS title, k.body AS body, k.category AS category, k.author AS author, users.owners AS owners,
         coalesce(results.won, 0) AS won, coalesce(results.lost, 0) AS lost, ratings.average AS average, coalesce(ratings.n, 0) AS ratings
       FROM knowledge_entries k LEFT JOIN results ON results.knowledge_id = k.id LEFT JOIN ratings ON ratings.knowledge_id = k.id LEFT JOIN users ON users.knowledge_id = k.id
       WHERE k.deleted_at IS NULL AND k.kind = 'response' AND (results.knowledge_id IS NOT NULL OR ratings.knowledge_id IS NOT NULL OR k.author IS NOT NULL)`,
    )
    .all() as { knowledgeId: string; title: string; body: string; category: string | null; author: string | null; owners: string | null; won: number; lost: number; average: number | null; ratings: number }[];
  const responses = rows.map((r) => {
    const decided = r.won + r.lost;
    // Win share and rating share (rating 1–5 mapped to 0–1), each shrunk towards 0.5 by PRIOR neutral points.
    const winShare = (r.won + 0.5 * PRIOR) / (decided + PRIOR);
    const ratingShare = ((r.average ?? 3) - 1) / 4;
    const ratingScore = (ratingShare * r.ratings + 0.5 * PRIOR) / (r.ratings + PRIOR);
    let usedBy: string[] = [];
    try {
      const parsed: unknown = JSON.parse(r.owners ?? '[]');
      if (Array.isArray(parsed)) usedBy = parsed.filter((x): x is string => typeof x === 'string');
    } catch {
      usedBy = [];
    }
    return {
      knowledgeId: r.knowledgeId,
      title: r.title,
      body: r.body,
      category: ObjectionCategory.nullable().catch(null).parse(r.category),
      author: r.author,
      usedBy,
      won: r.won,
      lost: r.lost,
      rate: decided === 0 ? null : Math.round((r.won / decided) * 1000) / 1000,
      ratingAverage: r.average === null ? null : Math.round(r.average * 100) / 100,
      ratings: r.ratings,
      score: Math.round(((winShare + ratingScore) / 2) * 1000) / 1000,
    };
  });
  responses.sort((a, b) => b.score - a.score || b.won + b.ratings - (a.won + a.ratings) || a.title.localeCompare(b.title));
  return { responses: responses.slice(0, 100) };
}

/** "Save to team library": a response entry (synced) carrying its author, found by retrieval like any other. */
export function saveToLibrary(db: Db, input: { text: string; title?: string; author?: string; language?: CoachLanguage }, now = Date.now()): { knowledgeId: string } {
  const text = input.text.trim();
  const title = input.title?.trim() || (text.length > 80 ? `${text.slice(0, 77)}…` : text);
  const entry = createKnowledge(db, { kind: 'response', language: input.language ?? 'pl', title, body: text, tags: ['team-library'] }, { now });
  if (input.author?.trim()) updateSynced(db, knowledgeEntries, entry.id, { author: input.author.trim() }, now);
  return { knowledgeId: entry.id };
}
