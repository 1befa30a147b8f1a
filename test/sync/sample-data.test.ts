import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '@main/composition/create-core';
import { pendingChangeCount } from '@main/db/changes';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { createTempCore } from '../helpers/temp-core';
import { syncOnce, syncServer } from './helpers';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const result = await core.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

const SAMPLE_TABLES = ['leads', 'coaching_sessions', 'messages', 'client_profiles', 'analyses', 'pallet_items'] as const;

/** Live (not deleted) rows per synced table the sample writes to. */
function liveRows(core: Core): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of SAMPLE_TABLES) out[table] = (core.db.$client.prepare(`SELECT count(*) AS n FROM "${table}" WHERE deleted_at IS NULL`).get() as { n: number }).n;
  return out;
}

describe('sample data across sync (real PostgreSQL, real SQLite files)', () => {
  it('loads on one device, reaches another, and its removal leaves no live record on either or on the server', async () => {
    const srv = await syncServer(pg);
    const a = createTempCore();
    const b = createTempCore();
    try {
      const state = await call<{ loaded: boolean; leadId: string; analysisId: string; sessionId: string }>(a, 'sample:load', { requestId: 'sample-1', language: 'en' });
      expect(state).toMatchObject({ loaded: true, leadId: expect.any(String), analysisId: expect.any(String), sessionId: expect.any(String) });
      // Loading twice gives the same records instead of a second copy.
      expect(await call(a, 'sample:load', { requestId: 'sample-2', language: 'en' })).toEqual(state);
      const loaded = liveRows(a);
      expect(loaded).toMatchObject({ leads: 1, coaching_sessions: 1, messages: 3, client_profiles: 1, analyses: 1, pallet_items: 8 });
      const lead = a.db.$client.prepare('SELECT name FROM leads WHERE id = ?').get(state.leadId) as { name: string };
      expect(lead.name).toMatch(/^Sample/);

      await syncOnce(srv, 'alice', a.db);
      await syncOnce(srv, 'carol', b.db);
      expect(liveRows(b)).toEqual(loaded);

      // The person adds a message of their own to the sample session: removal takes it too.
      await call(a, 'coaching:send', { requestId: 'send-1', sessionId: state.sessionId, text: 'We might need a lower price.' });
      expect((await call<{ removed: number }>(a, 'sample:remove', {})).removed).toBeGreaterThan(5);
      expect(await call(a, 'sample:status', {})).toMatchObject({ loaded: false, leadId: null, analysisId: null });
      expect(liveRows(a)).toEqual({ leads: 0, coaching_sessions: 0, messages: 0, client_profiles: 0, analyses: 0, pallet_items: 0 });
      expect(pendingChangeCount(a.db)).toBeGreaterThan(0); // the tombstones wait to be sent
      // Any other synced table hanging off the lead (lead_id) is emptied too.
      for (const { name } of a.db.$client.prepare("SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'lead_id') AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'deleted_at')").all() as { name: string }[]) {
        expect((a.db.$client.prepare(`SELECT count(*) AS n FROM "${name}" WHERE lead_id = ? AND deleted_at IS NULL`).get(state.leadId) as { n: number }).n, name).toBe(0);
      }

      await syncOnce(srv, 'alice', a.db);
      await syncOnce(srv, 'carol', b.db);
      expect(pendingChangeCount(a.db)).toBe(0);
      expect(liveRows(b)).toEqual({ leads: 0, coaching_sessions: 0, messages: 0, client_profiles: 0, analyses: 0, pallet_items: 0 });
      const admin = await srv.admin();
      try {
        for (const table of SAMPLE_TABLES) {
          const server = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM fieldmate."${table}" WHERE deleted_at IS NULL`);
          expect(server.rows[0]?.n, table).toBe(0);
        }
      } finally {
        await admin.end();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('sends a built-in knowledge entry only once it is edited, and the edit reaches the other device', async () => {
    const srv = await syncServer(pg);
    const a = createTempCore();
    const b = createTempCore();
    try {
      await call(a, 'coaching:status', {});
      await call(b, 'coaching:status', {});
      expect(pendingChangeCount(a.db)).toBe(0);
      const entry = a.db.$client.prepare("SELECT id FROM knowledge_entries WHERE origin = 'pack' AND language = 'en' ORDER BY id LIMIT 1").get() as { id: string };
      await call(a, 'knowledge:update', { id: entry.id, patch: { body: 'Our team says it this way.' } });
      expect(pendingChangeCount(a.db)).toBe(2);
      await syncOnce(srv, 'alice', a.db);
      await syncOnce(srv, 'carol', b.db);
      const onB = b.db.$client.prepare('SELECT body FROM knowledge_entries WHERE id = ?').get(entry.id) as { body: string };
      expect(onB.body).toBe('Our team says it this way.');
      expect(pendingChangeCount(b.db)).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
