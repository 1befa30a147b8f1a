import { and, eq, getTableColumns, isNull, sql, type SQL } from 'drizzle-orm';
import { AppError } from '@shared/contract/errors';
import { Archetype, KnowledgeKind, ObjectionCategory, type CoachLanguage } from '@shared/coaching/keys';
import { parseFacts } from '@shared/coaching/facts';
import type { KnowledgeEntry, KnowledgeFields } from '@shared/coaching/types';
import { knowledgeEntries } from '../db/schema';
import { recordChange } from '../db/changes';
import { deleteSynced, insertSynced, updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';
import { refreshKnowledgeIndex } from './fts-index';

export type KnowledgeRow = typeof knowledgeEntries.$inferSelect;

function parseTags(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

const KINDS: ReadonlySet<string> = new Set(KnowledgeKind.options);
const ARCHETYPE_KEYS: ReadonlySet<string> = new Set(Archetype.options);
const CATEGORY_KEYS: ReadonlySet<string> = new Set(ObjectionCategory.options);

/**
 * Rows can arrive from other devices: anything outside the fixed keys is shown as null, never a crash.
 * (Plain set lookups: this runs for every search candidate.)
 */
export function toKnowledgeEntry(row: KnowledgeRow): KnowledgeEntry {
  return {
    id: row.id,
    kind: (KINDS.has(row.kind) ? row.kind : 'response') as KnowledgeKind,
    key: row.key,
    language: row.language === 'pl' ? 'pl' : 'en',
    title: row.title,
    body: row.body,
    archetype: row.archetype !== null && ARCHETYPE_KEYS.has(row.archetype) ? (row.archetype as Archetype) : null,
    category: row.category !== null && CATEGORY_KEYS.has(row.category) ? (row.category as ObjectionCategory) : null,
    tags: parseTags(row.tagsJson),
    facts: parseFacts(row.factsJson),
    origin: row.origin === 'pack' ? 'pack' : 'user',
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export interface KnowledgeFilter {
  kind?: KnowledgeKind;
  language?: CoachLanguage;
  category?: ObjectionCategory;
  archetype?: Archetype;
  limit?: number;
  offset?: number;
}

export function listKnowledge(db: Db, filter: KnowledgeFilter = {}): { entries: KnowledgeEntry[]; total: number } {
  const conditions: SQL[] = [isNull(knowledgeEntries.deletedAt), sql`${knowledgeEntries.language} IN ('pl', 'en')`];
  if (filter.kind) conditions.push(eq(knowledgeEntries.kind, filter.kind));
  if (filter.language) conditions.push(eq(knowledgeEntries.language, filter.language));
  if (filter.category) conditions.push(eq(knowledgeEntries.category, filter.category));
  if (filter.archetype) conditions.push(eq(knowledgeEntries.archetype, filter.archetype));
  const where = and(...conditions);
  const rows = db
    .select()
    .from(knowledgeEntries)
    .where(where)
    .orderBy(knowledgeEntries.kind, knowledgeEntries.language, knowledgeEntries.key, knowledgeEntries.title)
    .limit(filter.limit ?? 500)
    .offset(filter.offset ?? 0)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(knowledgeEntries).where(where).get()?.n ?? 0;
  return { entries: rows.map(toKnowledgeEntry), total };
}

export function getKnowledgeRow(db: Db, id: string): KnowledgeRow | undefined {
  return db.select().from(knowledgeEntries).where(eq(knowledgeEntries.id, id)).get();
}

export function getKnowledge(db: Db, id: string): KnowledgeEntry {
  const row = getKnowledgeRow(db, id);
  if (!row || row.deletedAt !== null) throw new AppError('NOT_FOUND', 'This knowledge entry does not exist (it may have been deleted).');
  return toKnowledgeEntry(row);
}

/** Live or tombstoned row with this key in this language (a deleted pack entry stays deleted). */
export function findByKey(db: Db, key: string, language: CoachLanguage): KnowledgeRow | undefined {
  return db
    .select()
    .from(knowledgeEntries)
    .where(and(eq(knowledgeEntries.key, key), eq(knowledgeEntries.language, language)))
    .orderBy(knowledgeEntries.deletedAt)
    .get();
}

function assertKeyFree(db: Db, key: string | null | undefined, language: CoachLanguage, exceptId?: string): void {
  if (!key) return;
  const existing = findByKey(db, key, language);
  if (existing && existing.deletedAt === null && existing.id !== exceptId) {
    throw new AppError('CONFLICT', `Another ${language.toUpperCase()} entry already uses the key "${key}".`);
  }
}

function columnsOf(fields: Partial<KnowledgeFields>) {
  return {
    ...(fields.kind !== undefined ? { kind: fields.kind } : {}),
    ...(fields.key !== undefined ? { key: fields.key } : {}),
    ...(fields.language !== undefined ? { language: fields.language } : {}),
    ...(fields.title !== undefined ? { title: fields.title } : {}),
    ...(fields.body !== undefined ? { body: fields.body } : {}),
    ...(fields.archetype !== undefined ? { archetype: fields.archetype } : {}),
    ...(fields.category !== undefined ? { category: fields.category } : {}),
    ...(fields.tags !== undefined ? { tagsJson: JSON.stringify(fields.tags) } : {}),
    ...(fields.facts !== undefined ? { factsJson: fields.facts === null ? null : JSON.stringify(fields.facts) } : {}),
  };
}

export function createKnowledge(db: Db, fields: KnowledgeFields, options: { origin?: 'pack' | 'user'; id?: string; now?: number } = {}): KnowledgeEntry {
  assertKeyFree(db, fields.key, fields.language);
  const row = insertSynced(
    db,
    knowledgeEntries,
    {
      ...(options.id ? { id: options.id } : {}),
      kind: fields.kind,
      key: fields.key ?? null,
      language: fields.language,
      title: fields.title,
      body: fields.body,
      archetype: fields.archetype ?? null,
      category: fields.category ?? null,
      tagsJson: JSON.stringify(fields.tags ?? []),
      factsJson: fields.facts ? JSON.stringify(fields.facts) : null,
      origin: options.origin ?? 'user',
    },
    options.now,
    // Pack entries have the same id on every device: a baseline clock lets any real edit win over them.
    // They are not the person's changes, so nothing is queued until one is edited (queueShippedRow).
    { baseline: options.origin === 'pack' && options.id !== undefined, queue: !(options.origin === 'pack' && options.id !== undefined) },
  );
  refreshKnowledgeIndex(db);
  return toKnowledgeEntry(row);
}

/**
 * A built-in entry was seeded without an outbox entry; before its first edit reaches the outbox the whole
 * row is queued under the baseline clock, so the server can create it and any real edit still wins.
 * Queuing it again on later edits is harmless for the same reason.
 */
function queueShippedRow(db: Db, id: string): void {
  const row = getKnowledgeRow(db, id);
  if (row?.origin !== 'pack') return;
  const columns = getTableColumns(knowledgeEntries);
  const values: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) values[column.name] = (row as Record<string, unknown>)[key];
  recordChange(db, 'knowledge_entries', id, values, Date.now(), { baseline: true });
}

export function updateKnowledge(db: Db, id: string, patch: Partial<KnowledgeFields>, now?: number): KnowledgeEntry {
  const current = getKnowledge(db, id);
  if (patch.key !== undefined || patch.language !== undefined) assertKeyFree(db, patch.key ?? current.key, patch.language ?? current.language, id);
  const row = db.$client.transaction(() => {
    queueShippedRow(db, id);
    return updateSynced(db, knowledgeEntries, id, columnsOf(patch), now);
  })();
  refreshKnowledgeIndex(db);
  return toKnowledgeEntry(row);
}

export function deleteKnowledge(db: Db, id: string, now?: number): void {
  getKnowledge(db, id);
  db.$client.transaction(() => {
    queueShippedRow(db, id);
    deleteSynced(db, knowledgeEntries, id, now);
  })();
  refreshKnowledgeIndex(db);
}
