import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findAppRoot } from '@main/core/paths';
import { migrateDatabase } from '@main/db/migrate';
import { closeDatabase, openDatabase, type Db } from '@main/db/open';
import { refreshKnowledgeIndex } from '@main/knowledge/fts-index';
import { createKnowledge } from '@main/knowledge/knowledge-repo';
import { searchKnowledge } from '@main/knowledge/retrieval';
import { tempDir } from '../helpers/temp-core';

const migrations = path.join(findAppRoot(import.meta.dirname), 'drizzle');
const refoldSql = fs.readFileSync(path.join(migrations, '0009_refold_knowledge_fts.sql'), 'utf8');
const opened: Db[] = [];
afterEach(() => opened.splice(0).forEach(closeDatabase));

function migratedStore(): Db {
  const file = path.join(tempDir(), 'store.sqlite');
  const db = migrateDatabase(openDatabase(file), file, migrations).db;
  opened.push(db);
  return db;
}

const ids = (db: Db, query: string) => searchKnowledge(db, query, { language: 'en' }).map((h) => h.entry.id);

describe('knowledge index after the folding table changed (drizzle/0009)', () => {
  it('re-indexes rows folded the old way, so queries folded the new way find them again', () => {
    const db = migratedStore();
    const entry = createKnowledge(db, { kind: 'response', language: 'en', title: 'Ħamrun branch', body: 'Ask for Ħamrun.', category: 'need' });
    expect(ids(db, 'hamrun')).toEqual([entry.id]);

    // What the coaching fold before src-shared/text/fold.ts stored: ħ was not in its table, so the
    // tokenizer kept only "amrun". A store written by that version holds rows like this one.
    db.$client.exec("UPDATE knowledge_fts SET title = 'amrun branch', body = 'ask amrun'");
    expect(refreshKnowledgeIndex(db)).toBe(0);
    expect(ids(db, 'Ħamrun')).toEqual([]);

    db.$client.exec(refoldSql);
    expect(ids(db, 'Ħamrun')).toEqual([entry.id]);
    expect(ids(db, 'hamrun branch')).toEqual([entry.id]);
    expect(refreshKnowledgeIndex(db)).toBe(0);
  });
});
