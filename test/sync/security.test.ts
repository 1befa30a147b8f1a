import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '@main/db/schema';
import { insertSynced } from '@main/db/synced-repo';
import { SYNCED_TABLES } from '@main/db/changes';
import { connectServer } from '@main/sync/connection';
import { SYNC_SCHEMA_VERSION } from '@main/sync/server/migrations';
import { addServerUser } from '@main/sync/server/setup';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { openDevice, syncOnce, syncServer, type SyncServer } from './helpers';

let pgs: TestPostgres;
let srv: SyncServer & { roles: Record<string, string> };
let bob: pg.Client;
let teamALead: string;
const clock = (n: number) => `${String(Date.now() + n).padStart(15, '0')}:000000:attacker`;

beforeAll(async () => {
  pgs = await startTestPostgres();
  srv = await syncServer(pgs);
  const a = openDevice();
  teamALead = insertSynced(a.db, leads, { name: 'Team A secret', company: 'A Corp', language: 'pl' }).id;
  await syncOnce(srv, 'alice', a.db);
  a.close();
  const b = openDevice();
  insertSynced(b.db, leads, { name: 'Team B lead', language: 'en' });
  await syncOnce(srv, 'bob', b.db);
  b.close();
  bob = await srv.raw('bob');
});
afterAll(async () => {
  await bob?.end();
  await pgs?.stop();
});

async function teamARow(): Promise<Record<string, unknown>> {
  const admin = await srv.admin();
  try {
    return (await admin.query("SELECT name, company, _xid::text AS xid FROM fieldmate.leads WHERE team_id = 'A' AND id = $1", [teamALead])).rows[0];
  } finally {
    await admin.end();
  }
}

describe('row-level security: a team B user cannot read or change team A rows', () => {
  it('direct SQL under their role sees only team B rows in every table', async () => {
    for (const table of SYNCED_TABLES) {
      const rows = (await bob.query(`SELECT team_id FROM fieldmate."${table}"`)).rows as { team_id: string }[];
      expect(rows.every((r) => r.team_id === 'B')).toBe(true);
    }
    expect((await bob.query('SELECT count(*)::int AS n FROM fieldmate.leads')).rows[0].n).toBe(1);
    expect((await bob.query('SELECT count(*)::int AS n FROM fieldmate.leads WHERE id = $1', [teamALead])).rows[0].n).toBe(0);
    expect((await bob.query('SELECT DISTINCT team_id FROM fieldmate.devices')).rows).toEqual([{ team_id: 'B' }]);
    expect((await bob.query('SELECT fieldmate.current_team() AS t')).rows[0].t).toBe('B');
    await expect(bob.query('SELECT * FROM fieldmate.users')).rejects.toThrow(/permission denied/);
  });

  it('direct writes are refused outright (writes go only through the checked functions)', async () => {
    const before = await teamARow();
    await expect(bob.query("UPDATE fieldmate.leads SET name = 'pwned'")).rejects.toThrow(/permission denied/);
    await expect(bob.query('DELETE FROM fieldmate.leads')).rejects.toThrow(/permission denied/);
    await expect(bob.query("INSERT INTO fieldmate.leads (team_id, id, name) VALUES ('A', 'x', 'y')")).rejects.toThrow(/permission denied/);
    await expect(bob.query("UPDATE fieldmate.devices SET last_seq = 0")).rejects.toThrow(/permission denied/);
    await expect(bob.query("INSERT INTO fieldmate.users VALUES ('bob', 'A')")).rejects.toThrow(/permission denied/);
    await expect(bob.query("SELECT fieldmate._merge_leads('A', 'dev', '[]'::jsonb)")).rejects.toThrow(/permission denied/);
    await expect(bob.query("SELECT fieldmate._device_position('A', 'dev')")).rejects.toThrow(/permission denied/);
    await expect(bob.query(`SET ROLE ${srv.roles.alice}`)).rejects.toThrow(/permission denied/);
    await expect(bob.query('TRUNCATE fieldmate.leads')).rejects.toThrow(/permission denied/);
    expect(await teamARow()).toEqual(before);
  });

  it('hand-crafted push payloads land in their own team or are refused', async () => {
    const before = await teamARow();
    const res = await bob.query('SELECT fieldmate.push($1, $2, $3, $4::jsonb) AS r', [
      SYNC_SCHEMA_VERSION,
      'attacker-device',
      'evil',
      JSON.stringify([
        { s: 1, t: 'leads', i: teamALead, h: clock(1), f: { name: 'overwritten by B', company: 'B Corp' } },
        { s: 2, t: 'leads', i: 'other', h: clock(2), f: { team_id: 'A', name: 'x' } },
        { s: 3, t: 'users', i: 'bob', h: clock(3), f: { team_id: 'A' } },
        { s: 4, t: 'devices', i: 'x', h: clock(4), f: {} },
        { s: 5, t: 'leads', i: 'y', h: "1'; DROP TABLE fieldmate.leads; --", f: { name: 'x' } },
        { s: 6, t: 'leads', i: 'z', h: clock(6), f: { '"name"': 'x' } },
      ]),
    ]);
    const r = res.rows[0].r as { rejected: { s: number; reason: string }[] };
    expect(r.rejected.map((x) => [x.s, x.reason])).toEqual([
      [2, 'unknown column team_id'],
      [3, 'unknown table'],
      [4, 'unknown table'],
      [5, 'invalid clock'],
      [6, 'unknown column "name"'],
    ]);
    // The crafted id created a team B row; team A's row is untouched.
    expect(await teamARow()).toEqual(before);
    expect((await bob.query('SELECT name FROM fieldmate.leads WHERE id = $1', [teamALead])).rows).toEqual([{ name: 'overwritten by B' }]);
    // …and alice never sees it.
    const alice = await srv.raw('alice');
    expect((await alice.query('SELECT name FROM fieldmate.leads WHERE id = $1', [teamALead])).rows).toEqual([{ name: 'Team A secret' }]);
    await alice.end();
  });

  it('bulk staging cannot be used to reach team A or to run code as the owner', async () => {
    const before = await teamARow();
    await bob.query('BEGIN');
    await bob.query('SELECT fieldmate.begin_bulk($1, $2)', [SYNC_SCHEMA_VERSION, 'leads']);
    await bob.query("INSERT INTO pg_temp.fm_stage_leads (_pos, id, name) VALUES (1, $1, 'bulk overwrite')", [teamALead]);
    await expect(bob.query('SELECT * FROM pg_temp.fm_stage_leads')).rejects.toThrow(/permission denied/);
    await expect(bob.query('CREATE TRIGGER t BEFORE INSERT ON pg_temp.fm_stage_leads FOR EACH ROW EXECUTE FUNCTION pg_catalog.now()')).rejects.toThrow();
    await bob.query('ROLLBACK');
    await bob.query('BEGIN');
    await bob.query('SELECT fieldmate.begin_bulk($1, $2)', [SYNC_SCHEMA_VERSION, 'leads']);
    await bob.query("INSERT INTO pg_temp.fm_stage_leads (_pos, id, name) VALUES (1, $1, 'bulk overwrite')", [teamALead]);
    await bob.query("SELECT fieldmate.push_bulk($1, 'attacker-device', 'leads', 100, 1, $2, NULL)", [SYNC_SCHEMA_VERSION, clock(100)]);
    await bob.query('COMMIT');
    expect(await teamARow()).toEqual(before);

    // A staging table of their own (with whatever triggers or views they like) is refused.
    await bob.query('BEGIN');
    await bob.query('CREATE TEMP TABLE fm_stage_leads (_pos bigint, id text, name text) ON COMMIT DROP');
    await expect(bob.query("SELECT fieldmate.push_bulk($1, 'attacker-device', 'leads', 200, 1, $2, NULL)", [SYNC_SCHEMA_VERSION, clock(200)])).rejects.toThrow(/No staged bulk page/);
    await bob.query('ROLLBACK');
  });

  it('pull never returns team A rows, whatever the cursor', async () => {
    const res = await bob.query("SELECT fieldmate.pull($1, 'x', '0'::xid8, 0, '0'::xid8, '', 10000) AS r", [SYNC_SCHEMA_VERSION]);
    const rows = res.rows[0].r.rows as [string, string, string, unknown[]][];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r[3].includes('Team A secret'))).toBe(false);
    expect(rows.some((r) => r[3].includes('Team B lead'))).toBe(true);
  });

  it('a login that is not a sync user gets a clear refusal; superusers cannot be made sync users', async () => {
    const admin = await srv.admin();
    const stranger = `stranger_${process.pid}`;
    await admin.query(`CREATE ROLE ${stranger} LOGIN PASSWORD 'stranger-pw'`);
    const refused = await connectServer({ url: srv.url, user: stranger, password: 'stranger-pw' }).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/may not sync/);
    await expect(addServerUser(srv.adminUrl, 'postgres', 'A', 'whatever-123')).rejects.toThrow(/superuser/);
    await expect(addServerUser(srv.adminUrl, srv.roles.bob!, 'A', 'whatever-123')).rejects.toThrow(/already belongs to team B/);
    await admin.end();
  });
});
