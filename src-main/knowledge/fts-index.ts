import type Database from 'better-sqlite3';
import { CoachLanguage, TAG_AFFINITY_PREFIX, TAG_QUESTION } from '@shared/coaching/keys';
import { indexTerms } from '@shared/coaching/stem';
import type { Db } from '../db/open';

/**
 * Keeps `knowledge_fts` (migration 0001) in step with `knowledge_entries`. Triggers queue every changed
 * id in `knowledge_fts_pending`, whoever wrote the row (repository, sync pull, another process); this
 * module folds + stems the queued entries and rewrites their index rows. Searches call it first, so the
 * index is never behind what the searcher could read.
 */
interface Statements {
  pending: Database.Statement<[number], { entry_id: string }>;
  entry: Database.Statement<[string], EntryRow>;
  doc: Database.Statement<[string], { doc_id: number }>;
  deleteFts: Database.Statement<[number]>;
  insertDoc: Database.Statement<[string, string, string, string | null, string | null]>;
  updateDoc: Database.Statement<[string, string, string | null, string | null, number]>;
  deleteDoc: Database.Statement<[number]>;
  insertFts: Database.Statement<[number, string, string]>;
  done: Database.Statement<[string]>;
  hasPending: Database.Statement<[], { one: number }>;
}

interface EntryRow {
  id: string;
  kind: string;
  language: string;
  title: string;
  body: string;
  tags_json: string;
  category: string | null;
  archetype: string | null;
  deleted_at: number | null;
}

const statements = new WeakMap<Database.Database, Statements>();

function prepare(client: Database.Database): Statements {
  let s = statements.get(client);
  if (!s) {
    s = {
      pending: client.prepare('SELECT entry_id FROM knowledge_fts_pending LIMIT ?'),
      entry: client.prepare('SELECT id, kind, language, title, body, tags_json, category, archetype, deleted_at FROM knowledge_entries WHERE id = ?'),
      doc: client.prepare('SELECT doc_id FROM knowledge_fts_docs WHERE entry_id = ?'),
      deleteFts: client.prepare('DELETE FROM knowledge_fts WHERE rowid = ?'),
      insertDoc: client.prepare('INSERT INTO knowledge_fts_docs (entry_id, kind, language, category, archetype) VALUES (?, ?, ?, ?, ?)'),
      updateDoc: client.prepare('UPDATE knowledge_fts_docs SET kind = ?, language = ?, category = ?, archetype = ? WHERE doc_id = ?'),
      deleteDoc: client.prepare('DELETE FROM knowledge_fts_docs WHERE doc_id = ?'),
      insertFts: client.prepare('INSERT INTO knowledge_fts (rowid, title, body) VALUES (?, ?, ?)'),
      done: client.prepare('DELETE FROM knowledge_fts_pending WHERE entry_id = ?'),
      hasPending: client.prepare('SELECT 1 AS one FROM knowledge_fts_pending LIMIT 1'),
    };
    statements.set(client, s);
  }
  return s;
}

/** Cue phrases are indexed with the body (they are what clients say); `@…` and `question` tags are not. */
export function searchableTags(tagsJson: string): string[] {
  try {
    const tags = JSON.parse(tagsJson) as unknown;
    if (!Array.isArray(tags)) return [];
    return tags
      .filter((t): t is string => typeof t === 'string' && !t.startsWith(TAG_AFFINITY_PREFIX) && t !== TAG_QUESTION)
      .map((t) => t.replace(/\^\d+(?:\.\d+)?$/, ''));
  } catch {
    return [];
  }
}

function indexOne(s: Statements, entryId: string): void {
  const row = s.entry.get(entryId);
  const existing = s.doc.get(entryId);
  if (existing) s.deleteFts.run(existing.doc_id);
  const language = CoachLanguage.safeParse(row?.language);
  if (!row || row.deleted_at !== null || !language.success) {
    if (existing) s.deleteDoc.run(existing.doc_id);
    return;
  }
  let docId: number;
  if (existing) {
    docId = existing.doc_id;
    s.updateDoc.run(row.kind, row.language, row.category, row.archetype, docId);
  } else {
    docId = Number(s.insertDoc.run(row.id, row.kind, row.language, row.category, row.archetype).lastInsertRowid);
  }
  const title = indexTerms(row.title, language.data).join(' ');
  const body = indexTerms(`${row.body}\n${searchableTags(row.tags_json).join('\n')}`, language.data).join(' ');
  s.insertFts.run(docId, title, body);
}

/** Indexes every queued entry; returns how many were processed (0 costs one indexed lookup). */
export function refreshKnowledgeIndex(db: Db): number {
  const client = db.$client;
  const s = prepare(client);
  if (!s.hasPending.get()) return 0;
  let processed = 0;
  const batch = client.transaction((ids: string[]) => {
    for (const id of ids) {
      indexOne(s, id);
      s.done.run(id);
    }
  });
  for (;;) {
    const ids = s.pending.all(2000).map((r) => r.entry_id);
    if (ids.length === 0) break;
    batch(ids);
    processed += ids.length;
  }
  return processed;
}

/** Drops and rebuilds the whole index (after a restore, or if it was ever suspected stale). */
export function rebuildKnowledgeIndex(db: Db): number {
  db.$client.transaction(() => {
    db.$client.exec("DELETE FROM knowledge_fts; DELETE FROM knowledge_fts_docs; INSERT OR IGNORE INTO knowledge_fts_pending (entry_id) SELECT id FROM knowledge_entries;");
  })();
  return refreshKnowledgeIndex(db);
}
