import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_MIGRATIONS, type ServerMigration } from '@main/sync/server/migrations';
import { addColumnsSql } from '@main/sync/server/sql';
import { addServerUser, setupServer } from '@main/sync/server/setup';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import pg from 'pg';

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(async () => {
  await pgs?.stop();
});

/** The migrations this build ships end at version N; NEXT is a hypothetical later one (its new table takes the next free ordinal). */
const N = SERVER_MIGRATIONS.length;
const NEXT: ServerMigration = {
  version: N + 1,
  name: 'leads-status-and-visits',
  columns: { leads: [['status', 'text']], visits: [['created_at', 'bigint'], ['lead_id', 'text'], ['note', 'text']] },
  sql: (all) => addColumnsSql({ leads: [['status', 'text']], visits: [['created_at', 'bigint'], ['lead_id', 'text'], ['note', 'text']] }, all, Object.keys(all).length - 1),
};
const clock = '000001700000000:000000:dev-1';

describe('server schema upgrades are versioned migrations', () => {
  it(`upgrades ${N} → ${N + 1} in place, keeps data, and refuses mismatched clients and tampered history`, async () => {
    const db = await pgs.createDatabase('upgrade');
    const admin = pgs.adminUrl(db);
    expect(await setupServer(admin)).toMatchObject({ from: 0, to: N });
    const user = `upg_${process.pid}`;
    await addServerUser(admin, user, 'T', 'upgrade-pass');
    const client = new pg.Client({ connectionString: pgs.urlFor(user, 'upgrade-pass', db) });
    await client.connect();
    await client.query('SELECT fieldmate.push($1, $2, $3, $4::jsonb)', [N, 'dev-1', 'b', JSON.stringify([{ s: 1, t: 'leads', i: 'L1', h: clock, f: { name: 'Before upgrade' } }])]);

    expect(await setupServer(admin, () => {}, [...SERVER_MIGRATIONS, NEXT])).toMatchObject({ from: N, to: N + 1, applied: [`${N + 1} leads-status-and-visits`] });
    // A client of the previous version is refused before it changes anything.
    await expect(client.query('SELECT fieldmate.push($1, $2, $3, $4::jsonb)', [N, 'dev-1', 'c', '[]'])).rejects.toMatchObject({ code: 'FM001' });
    const pushed = await client.query('SELECT fieldmate.push($1, $2, $3, $4::jsonb) AS r', [
      N + 1,
      'dev-1',
      'd',
      JSON.stringify([
        { s: 2, t: 'leads', i: 'L1', h: '000001700000001:000000:dev-1', f: { status: 'hot' } },
        { s: 3, t: 'visits', i: 'V1', h: '000001700000001:000000:dev-1', f: { lead_id: 'L1', note: 'coffee' } },
      ]),
    ]);
    expect(pushed.rows[0].r).toMatchObject({ applied: 2, rejected: [] });
    const pulled = await client.query("SELECT fieldmate.pull($1, 'other', '0'::xid8, 0, '0'::xid8, '', 100) AS r", [N + 1]);
    const page = pulled.rows[0].r as { columns: Record<string, string[]>; rows: [string, string, string, unknown[]][] };
    const lead = page.rows.find((r) => r[0] === 'leads')!;
    expect(lead[3][page.columns.leads!.indexOf('name')]).toBe('Before upgrade');
    expect(lead[3][page.columns.leads!.indexOf('status')]).toBe('hot');
    expect(page.rows.find((r) => r[0] === 'visits')?.[3]).toContain('coffee');
    await client.end();

    // An older build refuses to touch a newer server; a changed shipped migration is detected.
    await expect(setupServer(admin)).rejects.toThrow(new RegExp(`version ${N + 1}, newer than this Fieldmate`));
    const tampered: ServerMigration = { ...NEXT, sql: (all) => `${NEXT.sql(all)}\n-- edited` };
    await expect(setupServer(admin, () => {}, [...SERVER_MIGRATIONS, tampered])).rejects.toThrow(/differs from the one this build ships/);
  });

  it('version 2 gives pallet lines their fired / blocking rule columns, filled from the data_json of lines pushed before', async () => {
    const db = await pgs.createDatabase('rulecols');
    const admin = pgs.adminUrl(db);
    const v1 = SERVER_MIGRATIONS.slice(0, 1);
    expect(await setupServer(admin, () => {}, v1)).toMatchObject({ from: 0, to: 1 });
    const user = `rc_${process.pid}`;
    await addServerUser(admin, user, 'T', 'rulecols-pass');
    const client = new pg.Client({ connectionString: pgs.urlFor(user, 'rulecols-pass', db) });
    await client.connect();
    const line = (id: string, row: number, data: string) => ({ s: row, t: 'pallet_items', i: id, h: clock, f: { analysis_id: 'A1', source_row: row, score: 10, status: 'blocked', data_json: data } });
    await client.query('SELECT fieldmate.push(1, $1, $2, $3::jsonb)', [
      'dev-1',
      'b',
      JSON.stringify([
        { s: 0, t: 'analyses', i: 'A1', h: clock, f: { name: 'A', status: 'ready', mapping_json: '{}' } },
        line('P1', 1, JSON.stringify({ f: '|r1|r2|', b: '|r1|', i: [], x: {}, s: [] })),
        line('P2', 2, JSON.stringify({ f: null, b: null, i: [], x: {}, s: [] })),
        line('P3', 3, '{"f":"|r1|'),
      ]),
    ]);

    expect(await setupServer(admin, () => {}, SERVER_MIGRATIONS.slice(0, 2))).toMatchObject({ from: 1, to: 2, applied: ['2 pallet-rule-columns'] });
    const pulled = await client.query("SELECT fieldmate.pull(2, 'other', '0'::xid8, 0, '0'::xid8, '', 100) AS r");
    const page = pulled.rows[0].r as { columns: Record<string, string[]>; rows: [string, string, string, unknown[]][] };
    const columns = page.columns.pallet_items!;
    const keys = Object.fromEntries(page.rows.filter((r) => r[0] === 'pallet_items').map((r) => [r[2], [r[3][columns.indexOf('fired_rules')], r[3][columns.indexOf('blocking_rules')]]]));
    expect(keys).toEqual({ P1: ['|r1|r2|', '|r1|'], P2: [null, null], P3: [null, null] });
    await client.end();
    // Row-level security is forced again after the backfill.
    const owner = new pg.Client({ connectionString: admin });
    await owner.connect();
    const forced = await owner.query("SELECT relforcerowsecurity FROM pg_class WHERE oid = 'fieldmate.pallet_items'::regclass");
    expect(forced.rows[0].relforcerowsecurity).toBe(true);
    await owner.end();
  });
});
