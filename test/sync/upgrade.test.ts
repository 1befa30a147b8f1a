import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_MIGRATIONS, type ServerMigration } from '../../src-main/sync/server/migrations';
import { addColumnsSql } from '../../src-main/sync/server/sql';
import { addServerUser, setupServer } from '../../src-main/sync/server/setup';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import pg from 'pg';

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(async () => {
  await pgs?.stop();
});

const V2: ServerMigration = {
  version: 2,
  name: 'leads-status-and-visits',
  columns: { leads: [['status', 'text']], visits: [['created_at', 'bigint'], ['lead_id', 'text'], ['note', 'text']] },
  sql: (all) => addColumnsSql({ leads: [['status', 'text']], visits: [['created_at', 'bigint'], ['lead_id', 'text'], ['note', 'text']] }, all, 11),
};
const clock = '000001700000000:000000:dev-1';

describe('server schema upgrades are versioned migrations', () => {
  it('upgrades 1 → 2 in place, keeps data, and refuses mismatched clients and tampered history', async () => {
    const db = await pgs.createDatabase('upgrade');
    const admin = pgs.adminUrl(db);
    expect(await setupServer(admin)).toMatchObject({ from: 0, to: 1 });
    const user = `upg_${process.pid}`;
    await addServerUser(admin, user, 'T', 'upgrade-pass');
    const client = new pg.Client({ connectionString: pgs.urlFor(user, 'upgrade-pass', db) });
    await client.connect();
    await client.query('SELECT fieldmate.push(1, $1, $2, $3::jsonb)', ['dev-1', 'b', JSON.stringify([{ s: 1, t: 'leads', i: 'L1', h: clock, f: { name: 'Before upgrade' } }])]);

    expect(await setupServer(admin, () => {}, [...SERVER_MIGRATIONS, V2])).toMatchObject({ from: 1, to: 2, applied: ['2 leads-status-and-visits'] });
    // A version-1 client is refused before it changes anything.
    await expect(client.query('SELECT fieldmate.push(1, $1, $2, $3::jsonb)', ['dev-1', 'c', '[]'])).rejects.toMatchObject({ code: 'FM001' });
    const pushed = await client.query('SELECT fieldmate.push(2, $1, $2, $3::jsonb) AS r', [
      'dev-1',
      'd',
      JSON.stringify([
        { s: 2, t: 'leads', i: 'L1', h: '000001700000001:000000:dev-1', f: { status: 'hot' } },
        { s: 3, t: 'visits', i: 'V1', h: '000001700000001:000000:dev-1', f: { lead_id: 'L1', note: 'coffee' } },
      ]),
    ]);
    expect(pushed.rows[0].r).toMatchObject({ applied: 2, rejected: [] });
    const pulled = await client.query("SELECT fieldmate.pull(2, 'other', '0'::xid8, 0, '0'::xid8, '', 100) AS r");
    const page = pulled.rows[0].r as { columns: Record<string, string[]>; rows: [string, string, string, unknown[]][] };
    const lead = page.rows.find((r) => r[0] === 'leads')!;
    expect(lead[3][page.columns.leads!.indexOf('name')]).toBe('Before upgrade');
    expect(lead[3][page.columns.leads!.indexOf('status')]).toBe('hot');
    expect(page.rows.find((r) => r[0] === 'visits')?.[3]).toContain('coffee');
    await client.end();

    // An older build refuses to touch a newer server; a changed shipped migration is detected.
    await expect(setupServer(admin)).rejects.toThrow(/version 2, newer than this Fieldmate/);
    const tampered: ServerMigration = { ...V2, sql: (all) => `${V2.sql(all)}\n-- edited` };
    await expect(setupServer(admin, () => {}, [...SERVER_MIGRATIONS, tampered])).rejects.toThrow(/differs from the one this build ships/);
  });
});
