import type Database from 'better-sqlite3';
import type { Archetype, CoachLanguage, KnowledgeKind, ObjectionCategory } from '@shared/coaching/keys';
import { distinctTerms } from '@shared/coaching/stem';
import type { SearchHit } from '@shared/coaching/types';
import type { Db } from '../db/open';
import { refreshKnowledgeIndex } from './fts-index';
import { toKnowledgeEntry, type KnowledgeRow } from './knowledge-repo';

export interface SearchOptions {
  language?: CoachLanguage;
  kinds?: readonly KnowledgeKind[];
  category?: ObjectionCategory;
  archetype?: Archetype;
  limit?: number;
}

/** Ratings are shrunk towards the neutral 3 with this many virtual ratings, so one vote cannot dominate. */
export const FEEDBACK_PRIOR_COUNT = 1;
/** How much a perfect (5) or terrible (1) track record moves a result, relative to the best lexical match (1.0). */
export const FEEDBACK_WEIGHT = 0.6;
export const SEMANTIC_WEIGHT = 0.8;
const MAX_QUERY_TERMS = 24;
/** bm25 weights: a term in the title counts twice as much as in the body. */
const BM25 = 'bm25(knowledge_fts, 2.0, 1.0)';

export function feedbackAdjustment(average: number, count: number): number {
  const shrunk = (average * count + 3 * FEEDBACK_PRIOR_COUNT) / (count + FEEDBACK_PRIOR_COUNT);
  return (shrunk - 3) / 2;
}

/** Stemmed query terms of a free text (both languages' stems when the language is not given). */
export function queryTerms(text: string, language?: CoachLanguage): string[] {
  const languages: CoachLanguage[] = language ? [language] : ['pl', 'en'];
  return [...new Set(languages.flatMap((l) => distinctTerms(text, l)))].slice(0, MAX_QUERY_TERMS);
}

/** The FTS5 MATCH expression for terms: OR-ed, each quoted (terms are [a-z0-9]: no query syntax leaks in). */
export function matchExpression(terms: readonly string[]): string | null {
  return terms.length > 0 ? terms.map((t) => `"${t}"`).join(' OR ') : null;
}

export function ftsQuery(text: string, language?: CoachLanguage): string | null {
  return matchExpression(queryTerms(text, language));
}

/**
 * Above this many indexed entries, terms found in more than COMMON_TERM_SHARE of them are left out of
 * the query (keeping at least the MIN_KEPT_TERMS rarest). bm25 gives such terms almost no weight, yet
 * they make FTS5 score thousands of rows: measured on 10,000 entries, p95 6.0 → 1.3 ms.
 */
const PRUNE_ABOVE_DOCS = 2000;
const COMMON_TERM_SHARE = 0.1;
const MIN_KEPT_TERMS = 3;

interface RawEntry {
  id: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  kind: string;
  key: string | null;
  language: string;
  title: string;
  body: string;
  archetype: string | null;
  category: string | null;
  tags_json: string;
  origin: string;
  facts_json: string | null;
  author: string | null;
}

export function rawToRow(r: RawEntry): KnowledgeRow {
  return {
    id: r.id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
    kind: r.kind as KnowledgeRow['kind'],
    key: r.key,
    language: r.language,
    title: r.title,
    body: r.body,
    archetype: r.archetype,
    category: r.category,
    tagsJson: r.tags_json,
    origin: r.origin,
    factsJson: r.facts_json,
    author: r.author,
  };
}

interface Cache {
  search: Map<string, Database.Statement>;
  docCount: Database.Statement<[], { n: number }>;
  docs: number | null;
  searches: number;
  documentFrequency: Database.Statement<[string], { doc: number }>;
  entries: Database.Statement<[string], RawEntry>;
  feedback: Database.Statement<[string], { knowledge_id: string; average: number; n: number }>;
  ranked: Map<string, Database.Statement>;
}
const caches = new WeakMap<Database.Database, Cache>();

function cacheFor(client: Database.Database): Cache {
  let c = caches.get(client);
  if (!c) {
    // fts5vocab over the index, in this connection's temp schema: document frequencies without a migration.
    client.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.knowledge_fts_vocab USING fts5vocab(main, knowledge_fts, row)');
    c = {
      search: new Map(),
      docCount: client.prepare('SELECT count(*) AS n FROM knowledge_fts_docs'),
      docs: null,
      searches: 0,
      documentFrequency: client.prepare('SELECT doc FROM temp.knowledge_fts_vocab WHERE term = ?'),
      entries: client.prepare('SELECT * FROM knowledge_entries WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL'),
      feedback: client.prepare(
        'SELECT knowledge_id, avg(rating) AS average, count(*) AS n FROM feedback WHERE deleted_at IS NULL AND knowledge_id IN (SELECT value FROM json_each(?)) GROUP BY knowledge_id',
      ),
      ranked: new Map(),
    };
    caches.set(client, c);
  }
  return c;
}

function filterSql(options: SearchOptions, alias: string): { sql: string; signature: string } {
  const parts: string[] = [];
  if (options.language) parts.push(`${alias}.language = @language`);
  if (options.kinds && options.kinds.length > 0) parts.push(`${alias}.kind IN (SELECT value FROM json_each(@kinds))`);
  if (options.category) parts.push(`${alias}.category = @category`);
  if (options.archetype) parts.push(`${alias}.archetype = @archetype`);
  return { sql: parts.map((p) => ` AND ${p}`).join(''), signature: parts.join('|') };
}

function filterParams(options: SearchOptions): Record<string, string> {
  const params: Record<string, string> = {};
  if (options.language) params.language = options.language;
  if (options.kinds && options.kinds.length > 0) params.kinds = JSON.stringify(options.kinds);
  if (options.category) params.category = options.category;
  if (options.archetype) params.archetype = options.archetype;
  return params;
}

function feedbackFor(cache: Cache, ids: string[]): Map<string, { average: number; count: number }> {
  const out = new Map<string, { average: number; count: number }>();
  if (ids.length === 0) return out;
  for (const row of cache.feedback.all(JSON.stringify(ids))) out.set(row.knowledge_id, { average: row.average, count: row.n });
  return out;
}

/**
 * Instant retrieval: FTS5 over folded + stemmed text, then re-ranked by the salesperson's ratings.
 * Synchronous and allocation-light: this is the ≤ 5 ms path the fallback coach runs on every message.
 */
/** Indexed entries, recounted after the index changed or every 500 searches (other processes write too). */
function indexedDocs(cache: Cache, indexChanged: boolean): number {
  if (indexChanged || cache.docs === null || cache.searches % 500 === 0) cache.docs = cache.docCount.get()?.n ?? 0;
  cache.searches += 1;
  return cache.docs;
}

function selectiveTerms(cache: Cache, terms: string[], docs: number): string[] {
  if (terms.length <= MIN_KEPT_TERMS) return terms;
  if (docs <= PRUNE_ABOVE_DOCS) return terms;
  const counted = terms.map((term) => ({ term, df: cache.documentFrequency.get(term)?.doc ?? 0 })).filter((t) => t.df > 0);
  const selective = counted.filter((t) => t.df <= COMMON_TERM_SHARE * docs);
  if (selective.length >= MIN_KEPT_TERMS) return selective.map((t) => t.term);
  return counted
    .sort((a, b) => a.df - b.df)
    .slice(0, MIN_KEPT_TERMS)
    .map((t) => t.term);
}

/** The MATCH expression searchKnowledge would run for this text (benchmarks compare raw FTS5 on it). */
export function plannedMatch(db: Db, query: string, language?: CoachLanguage): string | null {
  const changed = refreshKnowledgeIndex(db) > 0;
  const cache = cacheFor(db.$client);
  return matchExpression(selectiveTerms(cache, queryTerms(query, language), indexedDocs(cache, changed)));
}

export function searchKnowledge(db: Db, query: string, options: SearchOptions = {}): SearchHit[] {
  const changed = refreshKnowledgeIndex(db) > 0;
  const cache = cacheFor(db.$client);
  const match = matchExpression(selectiveTerms(cache, queryTerms(query, options.language), indexedDocs(cache, changed)));
  if (!match) return [];
  const limit = Math.max(1, Math.min(options.limit ?? 10, 100));
  const filter = filterSql(options, 'd');
  let statement = cache.search.get(filter.signature);
  if (!statement) {
    statement = db.$client.prepare(
      `SELECT d.entry_id AS id, ${BM25} AS rank FROM knowledge_fts JOIN knowledge_fts_docs d ON d.doc_id = knowledge_fts.rowid WHERE knowledge_fts MATCH @match${filter.sql} ORDER BY rank LIMIT @candidates`,
    );
    cache.search.set(filter.signature, statement);
  }
  const candidates = statement.all({ match, candidates: Math.max(limit * 2, 20), ...filterParams(options) }) as { id: string; rank: number }[];
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => c.id);
  const rows = new Map(cache.entries.all(JSON.stringify(ids)).map((r) => [r.id, r]));
  const ratings = feedbackFor(cache, ids);
  // bm25 is negative (more negative = better); normalise to (0, 1] against the best candidate.
  const best = Math.min(...candidates.map((c) => c.rank));
  const hits: SearchHit[] = [];
  for (const c of candidates) {
    const raw = rows.get(c.id);
    if (!raw) continue;
    const lexical = best < 0 ? c.rank / best : 1;
    const feedback = ratings.get(c.id) ?? null;
    const score = lexical + (feedback ? FEEDBACK_WEIGHT * feedbackAdjustment(feedback.average, feedback.count) : 0);
    hits.push({ entry: toKnowledgeEntry(rawToRow(raw)), score, lexical, feedback, semantic: null });
  }
  hits.sort((a, b) => b.score - a.score);
  return hits.slice(0, limit);
}

export interface RankedFilter {
  language: CoachLanguage;
  kind: KnowledgeKind;
  category?: ObjectionCategory | null;
  archetype?: Archetype | null;
  /** true: only entries tagged `question`; false: only entries without it. */
  questions?: boolean;
}

/**
 * Entries of a kind ranked by their rating track record alone (no text to match): how the coach fills
 * a category's responses when the client's words matched none of them lexically.
 */
export function rankedByFeedback(db: Db, filter: RankedFilter, limit = 10): SearchHit[] {
  const cache = cacheFor(db.$client);
  refreshKnowledgeIndex(db);
  // Filtered on the narrow docs table (indexed on language, kind, category), not on the wide entry rows.
  const parts = ['d.language = @language', 'd.kind = @kind', 'k.deleted_at IS NULL'];
  if (filter.category !== undefined) parts.push(filter.category === null ? 'd.category IS NULL' : 'd.category = @category');
  if (filter.archetype !== undefined) parts.push(filter.archetype === null ? 'd.archetype IS NULL' : 'd.archetype = @archetype');
  if (filter.questions !== undefined) parts.push(`${filter.questions ? '' : 'NOT '}EXISTS (SELECT 1 FROM json_each(k.tags_json) WHERE value = 'question')`);
  const signature = parts.join('|');
  let statement = cache.ranked.get(signature);
  if (!statement) {
    // Same formula as feedbackAdjustment(), in SQL so only the top rows leave SQLite. Ties keep pack order (key).
    statement = db.$client.prepare(
      `SELECT *, CASE WHEN fb_count > 0 THEN ${FEEDBACK_WEIGHT} * (((fb_sum + 3.0 * ${FEEDBACK_PRIOR_COUNT}) / (fb_count + ${FEEDBACK_PRIOR_COUNT})) - 3.0) / 2.0 ELSE 0 END AS score
       FROM (SELECT k.*,
               (SELECT sum(rating) FROM feedback f WHERE f.knowledge_id = k.id AND f.deleted_at IS NULL) AS fb_sum,
               (SELECT count(*) FROM feedback f WHERE f.knowledge_id = k.id AND f.deleted_at IS NULL) AS fb_count
             FROM knowledge_fts_docs d JOIN knowledge_entries k ON k.id = d.entry_id WHERE ${parts.join(' AND ')})
       ORDER BY score DESC, key, id LIMIT @limit`,
    );
    cache.ranked.set(signature, statement);
  }
  const params: Record<string, string | number> = { language: filter.language, kind: filter.kind, limit: Math.max(1, Math.min(limit, 500)) };
  if (filter.category) params.category = filter.category;
  if (filter.archetype) params.archetype = filter.archetype;
  const rows = statement.all(params) as (RawEntry & { fb_sum: number | null; fb_count: number; score: number })[];
  return rows.map((r): SearchHit => {
    const feedback = r.fb_count > 0 && r.fb_sum !== null ? { average: r.fb_sum / r.fb_count, count: r.fb_count } : null;
    return { entry: toKnowledgeEntry(rawToRow(r)), score: r.score, lexical: 0, feedback, semantic: null };
  });
}

/** An optional embedder (the loaded model's embeddings) for semantic re-ranking. */
export type Embedder = (texts: string[]) => Promise<number[][]>;

const vectorCaches = new WeakMap<Embedder, Map<string, number[]>>();
const MAX_CACHED_VECTORS = 20_000;

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Lexical candidates re-ranked by cosine similarity of embeddings (entry vectors cached by id and
 * version). Without an embedder, or if it fails, the lexical + feedback order is returned unchanged.
 */
export async function searchKnowledgeSemantic(db: Db, query: string, options: SearchOptions = {}, embed?: Embedder): Promise<SearchHit[]> {
  const limit = Math.max(1, Math.min(options.limit ?? 10, 100));
  const candidates = searchKnowledge(db, query, { ...options, limit: Math.max(limit * 3, 20) });
  if (!embed || candidates.length === 0) return candidates.slice(0, limit);
  let cache = vectorCaches.get(embed);
  if (!cache) {
    cache = new Map();
    vectorCaches.set(embed, cache);
  }
  const keyOf = (hit: SearchHit) => `${hit.entry.id}:${hit.entry.updatedAt}`;
  const missing = candidates.filter((h) => !cache.has(keyOf(h)));
  try {
    const vectors = await embed([query, ...missing.map((h) => `${h.entry.title}\n${h.entry.body}`)]);
    const queryVector = vectors[0];
    if (!queryVector || vectors.length !== missing.length + 1) return candidates.slice(0, limit);
    if (cache.size + missing.length > MAX_CACHED_VECTORS) cache.clear();
    missing.forEach((h, i) => cache.set(keyOf(h), vectors[i + 1] ?? []));
    const rescored = candidates.map((h) => {
      const semantic = cosine(queryVector, cache.get(keyOf(h)) ?? []);
      return { ...h, semantic, score: h.score + SEMANTIC_WEIGHT * semantic };
    });
    rescored.sort((a, b) => b.score - a.score);
    return rescored.slice(0, limit);
  } catch {
    return candidates.slice(0, limit);
  }
}
