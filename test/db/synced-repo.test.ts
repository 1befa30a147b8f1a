import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { leads, coachingSessions } from '@main/db/schema';
import { deleteSynced, insertSynced, updateSynced } from '@main/db/synced-repo';
import { pendingChangeCount } from '@main/db/changes';
import { createTempCore } from '../helpers/temp-core';

const core = createTempCore();
afterAll(() => core.close());
const db = core.db;

function outbox() {
  return db.$client.prepare('SELECT table_name, row_id, changes_json, hlc FROM sync_outbox ORDER BY seq').all() as {
    table_name: string;
    row_id: string;
    changes_json: string;
    hlc: string;
  }[];
}

describe('synced repository writes (real SQLite file)', () => {
  it('insert, update and delete each append to the outbox with increasing clocks', () => {
    const start = pendingChangeCount(db);
    const lead = insertSynced(db, leads, { name: 'Anna Nowak', company: 'Elektro SA', language: 'pl' }, 1_000);
    expect(lead.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    updateSynced(db, leads, lead.id, { company: 'Elektro Sp. z o.o.' }, 1_000);
    deleteSynced(db, leads, lead.id, 999); // wall clock went backwards: the HLC must still increase

    const entries = outbox().slice(start);
    expect(entries.map((e) => e.table_name)).toEqual(['leads', 'leads', 'leads']);
    expect(JSON.parse(entries[0]!.changes_json)).toMatchObject({ id: lead.id, name: 'Anna Nowak', created_at: 1000 });
    expect(JSON.parse(entries[1]!.changes_json)).toEqual({ company: 'Elektro Sp. z o.o.', updated_at: 1000 });
    expect(JSON.parse(entries[2]!.changes_json)).toEqual({ deleted_at: 999, updated_at: 999 });
    const clocks = entries.map((e) => e.hlc);
    expect([...clocks].sort()).toEqual(clocks);
    expect(new Set(clocks).size).toBe(3);

    const row = db.select().from(leads).where(eq(leads.id, lead.id)).get();
    expect(row?.deletedAt).toBe(999);
    const fieldClock = db.$client.prepare("SELECT hlc FROM sync_field_clocks WHERE row_id = ? AND field = 'company'").get(lead.id) as { hlc: string };
    expect(fieldClock.hlc).toBe(clocks[1]);
  });

  it('a failed write leaves no outbox entry behind (same transaction)', () => {
    const before = pendingChangeCount(db);
    expect(() => insertSynced(db, coachingSessions, { leadId: 'no-such-lead', mode: 'coach', title: 'x', language: 'pl' })).toThrow(/FOREIGN KEY/);
    expect(pendingChangeCount(db)).toBe(before);
  });

  it('updating a missing row is a clear NOT_FOUND, not a silent no-op', () => {
    expect(() => updateSynced(db, leads, 'missing', { name: 'x' })).toThrow(/No leads with this id/);
  });

  it('the clock survives a restart', async () => {
    const dataDir = core.paths.dataDir;
    const last = outbox().at(-1)!.hlc;
    const again = createTempCore({ dataDir });
    try {
      const lead = insertSynced(again.db, leads, { name: 'B', language: 'en' }, 1);
      const hlc = (again.db.$client.prepare('SELECT hlc FROM sync_outbox WHERE row_id = ?').get(lead.id) as { hlc: string }).hlc;
      expect(hlc > last).toBe(true);
    } finally {
      await again.close();
    }
  });
});
