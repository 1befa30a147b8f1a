import { COACH_LANGUAGES } from './languages';
import type { Db } from '../db/open';
import { DEFAULT_PACK, packEntryId } from './pack';
import { createKnowledge } from './knowledge-repo';
import { refreshKnowledgeIndex } from './fts-index';

export interface SeedResult {
  inserted: number;
  skipped: number;
}

const seeded = new WeakSet<Db>();

/**
 * Inserts the default pack's entries that this store has never had, matched by key + language and
 * including deleted ones (a pack entry the user deleted stays deleted; an edited one keeps the edit).
 * Ids are derived from key + language so independent devices create the same rows. One transaction.
 */
export function seedDefaultPack(db: Db, now = Date.now()): SeedResult {
  const known = new Set(
    (db.$client.prepare('SELECT key, language FROM knowledge_entries WHERE key IS NOT NULL').all() as { key: string; language: string }[]).map((r) => `${r.language}:${r.key}`),
  );
  const knownIds = new Set((db.$client.prepare("SELECT id FROM knowledge_entries WHERE origin = 'pack'").all() as { id: string }[]).map((r) => r.id));
  let inserted = 0;
  let skipped = 0;
  db.$client.transaction(() => {
    for (const language of COACH_LANGUAGES) {
      for (const entry of DEFAULT_PACK[language]) {
        const id = packEntryId(entry.key, language);
        if (known.has(`${language}:${entry.key}`) || knownIds.has(id)) {
          skipped += 1;
          continue;
        }
        createKnowledge(
          db,
          {
            kind: entry.kind,
            key: entry.key,
            language,
            title: entry.title,
            body: entry.body,
            archetype: entry.archetype ?? null,
            category: entry.category ?? null,
            tags: entry.tags ?? [],
            facts: entry.facts ?? null,
          },
          { origin: 'pack', id, now },
        );
        inserted += 1;
      }
    }
  })();
  refreshKnowledgeIndex(db);
  seeded.add(db);
  return { inserted, skipped };
}

/** Seeds once per open store (the first coaching or knowledge call), then costs nothing. */
export function ensurePackSeeded(db: Db): void {
  if (seeded.has(db)) return;
  seedDefaultPack(db);
}
