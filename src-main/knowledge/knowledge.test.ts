import { afterAll, describe, expect, it } from 'vitest';
import { ARCHETYPES, OBJECTION_CATEGORIES, type CoachLanguage } from '@shared/coaching/keys';
import { createTempCore } from '../../test/helpers/temp-core';
import type { Core } from '../composition/create-core';
import { rebuildKnowledgeIndex, refreshKnowledgeIndex } from './fts-index';
import { createKnowledge, deleteKnowledge, findByKey, listKnowledge, updateKnowledge } from './knowledge-repo';
import { DEFAULT_PACK, packEntryId } from './pack';
import { pendingChangeCount } from '../db/changes';
import { searchKnowledge } from './retrieval';
import { seedDefaultPack } from './seed';

const cores: Core[] = [];
function core(): Core {
  const c = createTempCore();
  cores.push(c);
  return c;
}
afterAll(async () => {
  for (const c of cores) await c.close();
});

const outboxCount = (c: Core, table: string) => (c.db.$client.prepare('SELECT count(*) AS n FROM sync_outbox WHERE table_name = ?').get(table) as { n: number }).n;

describe('default pack', () => {
  it.each(['pl', 'en'] as const)('%s: every archetype, every objection category with ≥3 responses, a playbook per archetype', (language: CoachLanguage) => {
    const pack = DEFAULT_PACK[language];
    for (const archetype of ARCHETYPES) {
      expect(pack.some((e) => e.kind === 'archetype' && e.archetype === archetype && (e.tags ?? []).length > 5), archetype).toBe(true);
      expect(pack.filter((e) => e.kind === 'playbook' && e.archetype === archetype), archetype).toHaveLength(1);
    }
    for (const category of OBJECTION_CATEGORIES) {
      expect(pack.some((e) => e.kind === 'objection' && e.category === category && (e.tags ?? []).length > 5), category).toBe(true);
      const responses = pack.filter((e) => e.kind === 'response' && e.category === category && !(e.tags ?? []).includes('question'));
      expect(responses.length, category).toBeGreaterThanOrEqual(3);
    }
    for (const kind of ['product', 'competitor', 'promotion'] as const) expect(pack.some((e) => e.kind === kind)).toBe(true);
    expect(new Set(pack.map((e) => e.key)).size).toBe(pack.length);
  });

  it('has the same keys in both languages', () => {
    expect(DEFAULT_PACK.pl.map((e) => e.key).sort()).toEqual(DEFAULT_PACK.en.map((e) => e.key).sort());
  });
});

describe('seeding', () => {
  it('is idempotent, queues nothing to send until an entry is edited, and keeps user deletions and edits', () => {
    const c = core();
    const first = seedDefaultPack(c.db);
    const total = DEFAULT_PACK.pl.length + DEFAULT_PACK.en.length;
    expect(first).toEqual({ inserted: total, skipped: 0 });
    expect(outboxCount(c, 'knowledge_entries')).toBe(0);
    expect(pendingChangeCount(c.db)).toBe(0);
    expect(seedDefaultPack(c.db)).toEqual({ inserted: 0, skipped: total });
    expect(outboxCount(c, 'knowledge_entries')).toBe(0);

    const price = findByKey(c.db, 'objection.price.1', 'pl')!;
    deleteKnowledge(c.db, price.id);
    const response = findByKey(c.db, 'response.price.1', 'en')!;
    updateKnowledge(c.db, response.id, { body: 'My own words.' });
    // Each edited built-in entry: its whole row under the baseline clock (so the server can create it), then the edit.
    const queued = c.db.$client.prepare("SELECT row_id, changes_json, hlc FROM sync_outbox WHERE table_name = 'knowledge_entries' ORDER BY seq").all() as { row_id: string; changes_json: string; hlc: string }[];
    expect(queued.map((q) => q.row_id)).toEqual([price.id, price.id, response.id, response.id]);
    expect(JSON.parse(queued[2]!.changes_json)).toMatchObject({ id: response.id, key: 'response.price.1', origin: 'pack', title: response.title });
    expect(queued[2]!.hlc < queued[3]!.hlc).toBe(true);
    expect(JSON.parse(queued[3]!.changes_json)).toMatchObject({ body: 'My own words.' });
    expect(seedDefaultPack(c.db).inserted).toBe(0);
    expect(findByKey(c.db, 'objection.price.1', 'pl')?.deletedAt).not.toBeNull();
    expect(findByKey(c.db, 'response.price.1', 'en')?.body).toBe('My own words.');
  });

  it('gives every device the same ids for the pack (sync merges instead of duplicating)', () => {
    const a = core();
    const b = core();
    seedDefaultPack(a.db);
    seedDefaultPack(b.db);
    const ids = (c: Core) => (c.db.$client.prepare('SELECT id FROM knowledge_entries ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    expect(ids(a)).toEqual(ids(b));
    expect(findByKey(a.db, 'archetype.skeptic', 'pl')?.id).toBe(packEntryId('archetype.skeptic', 'pl'));
  });
});

describe('knowledge repository', () => {
  it('creates, updates and deletes through the synced write path, with key uniqueness per language', () => {
    const c = core();
    const before = outboxCount(c, 'knowledge_entries');
    const entry = createKnowledge(c.db, { kind: 'response', key: 'my.price', language: 'pl', title: 'Moja odpowiedź', body: 'Rata zamiast ceny.', category: 'price', tags: ['x'] });
    expect(entry).toMatchObject({ origin: 'user', category: 'price', tags: ['x'] });
    expect(() => createKnowledge(c.db, { kind: 'response', key: 'my.price', language: 'pl', title: 'Dup', body: '' })).toThrow(/already uses the key/);
    expect(createKnowledge(c.db, { kind: 'response', key: 'my.price', language: 'en', title: 'Same key, other language', body: '' }).key).toBe('my.price');
    updateKnowledge(c.db, entry.id, { title: 'Nowy tytuł' });
    deleteKnowledge(c.db, entry.id);
    expect(outboxCount(c, 'knowledge_entries') - before).toBe(4);
    expect(listKnowledge(c.db, { language: 'pl' }).entries.some((e) => e.id === entry.id)).toBe(false);
    expect(() => updateKnowledge(c.db, entry.id, { title: 'x' })).toThrow(/does not exist/);
  });
});

describe('full-text retrieval (FTS5, folded + stemmed)', () => {
  const c = core();
  seedDefaultPack(c.db);
  const topCategory = (query: string, language: CoachLanguage) => searchKnowledge(c.db, query, { language, kinds: ['objection'], limit: 3 })[0]?.entry.category;

  it.each([
    ['za drogo', 'pl'],
    ['droższy niż myślałem', 'pl'],
    ['cena mnie zabija', 'pl'],
    ['ZA DROGIE!!!', 'pl'],
    ['too expensive', 'en'],
    ['out of budget', 'en'],
  ] as const)('"%s" reaches price', (query, language) => {
    expect(topCategory(query, language)).toBe('price');
  });

  it.each([
    ['muszę porozmawiać z żoną', 'pl', 'authority'],
    ['konkurencja daje lepszą ofertę', 'pl', 'competitor'],
    ['raty są za wysokie', 'pl', 'financing'],
    ['zasięg zimą', 'pl', 'product_fit'],
    ['I need to talk to my wife', 'en', 'authority'],
    ['the monthly payments are high', 'en', 'financing'],
  ] as const)('"%s" reaches %s', (query, language, category) => {
    expect(topCategory(query, language)).toBe(category);
  });

  it('finds text typed without Polish letters', () => {
    expect(topCategory('zasieg zima ladowanie', 'pl')).toBe('product_fit');
  });

  it('is safe against FTS query syntax in user text', () => {
    for (const query of ['"', 'NEAR(a b)', 'price OR', '*', 'a AND NOT b', "'; DROP TABLE knowledge_entries; --", '']) {
      expect(() => searchKnowledge(c.db, query, { language: 'en' })).not.toThrow();
    }
  });

  it('follows creates, edits and deletes, including rows written outside the repository (sync pull)', () => {
    const entry = createKnowledge(c.db, { kind: 'response', language: 'en', title: 'Zorblax answer', body: 'Quux.', category: 'need' });
    expect(searchKnowledge(c.db, 'zorblax', { language: 'en' }).map((h) => h.entry.id)).toEqual([entry.id]);
    updateKnowledge(c.db, entry.id, { title: 'Renamed answer' });
    expect(searchKnowledge(c.db, 'zorblax', { language: 'en' })).toEqual([]);
    expect(searchKnowledge(c.db, 'renamed', { language: 'en' }).map((h) => h.entry.id)).toEqual([entry.id]);
    deleteKnowledge(c.db, entry.id);
    expect(searchKnowledge(c.db, 'renamed', { language: 'en' })).toEqual([]);

    c.db.$client
      .prepare("INSERT INTO knowledge_entries (id, created_at, updated_at, kind, language, title, body, tags_json, origin) VALUES ('pulled-1', 1, 1, 'response', 'pl', 'Przyszło z serwera', 'Wymyślonywyraz', '[]', 'user')")
      .run();
    expect(searchKnowledge(c.db, 'wymyślonywyraz', { language: 'pl' }).map((h) => h.entry.id)).toEqual(['pulled-1']);
    c.db.$client.prepare("UPDATE knowledge_entries SET deleted_at = 2 WHERE id = 'pulled-1'").run();
    expect(searchKnowledge(c.db, 'wymyślonywyraz', { language: 'pl' })).toEqual([]);
  });

  it('rebuilds the whole index to the same results', () => {
    const before = searchKnowledge(c.db, 'za drogo', { language: 'pl', limit: 5 }).map((h) => h.entry.id);
    expect(rebuildKnowledgeIndex(c.db)).toBeGreaterThan(100);
    expect(refreshKnowledgeIndex(c.db)).toBe(0);
    expect(searchKnowledge(c.db, 'za drogo', { language: 'pl', limit: 5 }).map((h) => h.entry.id)).toEqual(before);
  });
});
