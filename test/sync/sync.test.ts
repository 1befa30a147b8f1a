import net from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSyncedBulk, pendingChangeCount, recordBulkUpdate, recordChange } from '@main/db/changes';
import { peekClock } from '@main/db/clock';
import { analyses, knowledgeEntries, leads, palletItems, rules } from '@main/db/schema';
import { deleteSynced, insertSynced, updateSynced } from '@main/db/synced-repo';
import { SchemaMismatchError, connectServer } from '@main/sync/connection';
import { runSync } from '@main/sync/engine';
import { recordStates } from '@main/sync/local-state';
import { SYNC_SCHEMA_VERSION } from '@main/sync/server/migrations';
import { freePort, startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { localSnapshot, openDevice, outboxCount, serverSnapshot, syncOnce, syncServer } from './helpers';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

describe('push and pull between devices (real PostgreSQL, real SQLite files)', () => {
  it('merges concurrent edits per field, carries tombstones and never re-queues pulled changes', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    const b = openDevice();
    const lead = insertSynced(a.db, leads, { name: 'Anna Nowak', language: 'pl' }, 1_000);
    const rule = insertSynced(a.db, rules, { name: 'No TVs', type: 'category', action: 'block', conditionJson: '{"category":"tv"}' }, 1_000);
    expect(recordStates(a.db, 'leads', [lead.id])[lead.id]?.state).toBe('pending');
    await syncOnce(srv, 'alice', a.db);
    expect(outboxCount(a.db)).toBe(0);
    expect(recordStates(a.db, 'leads', [lead.id])[lead.id]?.state).toBe('synced');

    const pulled = await syncOnce(srv, 'carol', b.db);
    expect(pulled.pulled).toBe(2);
    expect(outboxCount(b.db)).toBe(0); // applying pulled rows queued nothing
    expect(b.db.select().from(rules).where(eq(rules.id, rule.id)).get()?.enabled).toBe(true);

    // Offline on both: different fields of the same lead, and the same field with later clock on B.
    updateSynced(a.db, leads, lead.id, { company: 'Elektro SA', notes: 'from A' }, 2_000);
    updateSynced(b.db, leads, lead.id, { email: 'anna@example.com', notes: 'from B (later)' }, 3_000);
    deleteSynced(b.db, rules, rule.id, 3_000);
    await syncOnce(srv, 'alice', a.db);
    await syncOnce(srv, 'carol', b.db);
    await syncOnce(srv, 'alice', a.db);

    const row = a.db.select().from(leads).where(eq(leads.id, lead.id)).get();
    expect(row).toMatchObject({ company: 'Elektro SA', email: 'anna@example.com', notes: 'from B (later)' });
    expect(a.db.select().from(rules).where(eq(rules.id, rule.id)).get()?.deletedAt).toBe(3_000);
    expect(localSnapshot(a.db)).toEqual(localSnapshot(b.db));
    expect(await serverSnapshot(srv, 'A')).toEqual(localSnapshot(a.db));
    expect(outboxCount(a.db) + outboxCount(b.db)).toBe(0);
    a.close();
    b.close();
  });

  it('a replayed batch (acknowledgement lost after commit) changes nothing on the server', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    const lead = insertSynced(a.db, leads, { name: 'Ewa', language: 'pl' });
    updateSynced(a.db, leads, lead.id, { company: 'Ewa Sp.' });
    // The server commits, then the device "crashes" before deleting its outbox entries.
    await expect(
      syncOnce(srv, 'alice', a.db, {
        hooks: {
          step: (s) => {
            if (s === 'push:committed') throw new Error('simulated crash after commit');
          },
        },
      }),
    ).rejects.toThrow();
    expect(outboxCount(a.db)).toBe(2);
    const admin = await srv.admin();
    const before = (await admin.query('SELECT name, company, _hlc, _xid::text AS xid FROM fieldmate.leads WHERE id = $1', [lead.id])).rows[0];
    // Meanwhile a teammate changes the company: a replay of the old batch must not undo it.
    const b = openDevice();
    await syncOnce(srv, 'carol', b.db);
    updateSynced(b.db, leads, lead.id, { company: 'Changed by Carol' });
    await syncOnce(srv, 'carol', b.db);
    const afterCarol = (await admin.query('SELECT company, _xid::text AS xid FROM fieldmate.leads WHERE id = $1', [lead.id])).rows[0];
    expect(afterCarol.company).toBe('Changed by Carol');

    const replay = await syncOnce(srv, 'alice', a.db);
    expect(replay.pushed).toBe(2);
    expect(outboxCount(a.db)).toBe(0);
    const after = (await admin.query('SELECT company, _xid::text AS xid FROM fieldmate.leads WHERE id = $1', [lead.id])).rows[0];
    expect(after).toEqual(afterCarol); // not even touched: same xid
    expect(before.name).toBe('Ewa');
    expect(a.db.select().from(leads).where(eq(leads.id, lead.id)).get()?.company).toBe('Changed by Carol');

    // The same batch sent again by hand: recognised and skipped.
    const raw = await srv.raw('alice');
    const device = (a.db.$client.prepare("SELECT value FROM sync_state WHERE key = 'device_id'").get() as { value: string }).value;
    const res = await raw.query('SELECT fieldmate.push($1, $2, $3, $4::jsonb) AS r', [
      SYNC_SCHEMA_VERSION,
      device,
      'replay',
      JSON.stringify([{ s: 1, t: 'leads', i: lead.id, h: '000000000000001:000000:x', f: { company: 'old' } }]),
    ]);
    expect(res.rows[0].r).toMatchObject({ applied: 0, skipped: 1 });
    await raw.end();
    await admin.end();
    a.close();
    b.close();
  });

  it('orders by clock across devices minutes apart, and a write after seeing the other one wins', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    const b = openDevice();
    const t = Date.now();
    const ahead = t + 7 * 60_000; // B's wall clock runs 7 minutes fast
    const lead = insertSynced(a.db, leads, { name: 'Skew', language: 'en' }, t);
    await syncOnce(srv, 'alice', a.db, { now: () => t });
    await syncOnce(srv, 'carol', b.db, { now: () => ahead });
    updateSynced(b.db, leads, lead.id, { notes: 'B, fast clock' }, ahead + 1);
    await syncOnce(srv, 'carol', b.db, { now: () => ahead + 2 });
    // A pulls B's write (its clock follows B's), then edits: A's edit is later and must win even
    // though A's wall clock is minutes behind.
    await syncOnce(srv, 'alice', a.db, { now: () => t + 10 });
    expect(a.db.select().from(leads).where(eq(leads.id, lead.id)).get()?.notes).toBe('B, fast clock');
    updateSynced(a.db, leads, lead.id, { notes: 'A, after reading B' }, t + 20);
    expect(peekClock(a.db) > ((b.db.$client.prepare("SELECT hlc FROM sync_field_clocks WHERE field = 'notes'").get() as { hlc: string }).hlc)).toBe(true);
    await syncOnce(srv, 'alice', a.db, { now: () => t + 30 });
    await syncOnce(srv, 'carol', b.db, { now: () => ahead + 40 });
    expect(b.db.select().from(leads).where(eq(leads.id, lead.id)).get()?.notes).toBe('A, after reading B');
    expect(localSnapshot(a.db)).toEqual(localSnapshot(b.db));
    a.close();
    b.close();
  });
});

describe('the pull cursor cannot skip a transaction that commits late', () => {
  it('two concurrent pushes interleaved with a pull: the early-started, late-committing push is still pulled', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    const b = openDevice();
    const c = openDevice();
    const slow = insertSynced(a.db, leads, { name: 'Slow (starts first, commits last)', language: 'pl' });
    const fast = insertSynced(b.db, leads, { name: 'Fast (starts second, commits first)', language: 'pl' });

    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached!: () => void;
    const atCommit = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const slowPush = syncOnce(srv, 'alice', a.db, {
      skipPull: true,
      hooks: {
        step: async (s) => {
          if (s === 'push:before-commit') {
            reached();
            await held;
          }
        },
      },
    });
    await atCommit; // A's transaction has written its row (and has its xid) but has not committed
    await syncOnce(srv, 'carol', b.db, { skipPull: true }); // B starts later and commits first

    const admin = await srv.admin();
    const xids = await admin.query("SELECT id, _xid::text AS xid FROM fieldmate.leads");
    expect(xids.rows).toHaveLength(1); // only B is visible
    const fastXid = BigInt(xids.rows[0].xid);

    const first = await syncOnce(srv, 'carol', c.db);
    expect(first.pulled).toBe(1);
    expect(c.db.select().from(leads).all().map((l) => l.id)).toEqual([fast.id]);

    release();
    await slowPush;
    const slowXid = BigInt((await admin.query('SELECT _xid::text AS xid FROM fieldmate.leads WHERE id = $1', [slow.id])).rows[0].xid);
    // The interesting case: the late commit has the LOWER transaction id. A "max id seen" cursor skips it.
    expect(slowXid < fastXid).toBe(true);

    const second = await syncOnce(srv, 'carol', c.db);
    expect(second.pulled).toBeGreaterThanOrEqual(1);
    expect(new Set(c.db.select().from(leads).all().map((l) => l.id))).toEqual(new Set([slow.id, fast.id]));
    await admin.end();
    for (const d of [a, b, c]) d.close();
  });
});

describe('bulk imports', () => {
  it('pushes 5,000 pallet lines by COPY in pages, resumes after a failure mid-way, and a one-field change sends one row', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    const b = openDevice();
    const analysis = insertSynced(a.db, analyses, { name: 'Pallet 7' });
    const rows = Array.from({ length: 5_000 }, (_, i) => ({
      analysis_id: analysis.id,
      source_row: i + 2,
      name: i === 7 ? 'Tab\there\nnewline \\ backslash' : `Item ${i}`,
      quantity: i % 5,
      price_net: i / 3,
      status: 'ok',
      data_json: '{}',
      score: 50,
    }));
    const { ids } = insertSyncedBulk(a.db, 'pallet_items', rows);
    expect(pendingChangeCount(a.db)).toBe(5_001);
    let pages = 0;
    await expect(
      syncOnce(srv, 'alice', a.db, {
        limits: { bulkPage: 1_000 },
        hooks: {
          step: (s) => {
            if (s === 'bulk:committed' && ++pages === 3) throw new Error('connection lost after page 3');
          },
        },
      }),
    ).rejects.toThrow();
    // Page 3 committed on the server but its acknowledgement was lost: it is sent again (and skipped
    // by the server), pages 1–2 are not.
    expect(pendingChangeCount(a.db)).toBe(3_000);
    const resumed = await syncOnce(srv, 'alice', a.db, { limits: { bulkPage: 1_000 } });
    expect(resumed.rowsSent).toBe(3_000);
    expect(pendingChangeCount(a.db)).toBe(0);

    const admin = await srv.admin();
    expect((await admin.query('SELECT count(*)::int AS n FROM fieldmate.pallet_items')).rows[0].n).toBe(5_000);
    await syncOnce(srv, 'carol', b.db, { limits: { pullPage: 700 } });
    expect(localSnapshot(b.db)).toEqual(localSnapshot(a.db));
    expect(b.db.select().from(palletItems).where(eq(palletItems.id, ids[7]!)).get()?.name).toBe('Tab\there\nnewline \\ backslash');

    updateSynced(b.db, palletItems, ids[42]!, { quantity: 99 });
    const one = await syncOnce(srv, 'carol', b.db);
    expect(one.rowsSent).toBe(1);
    await syncOnce(srv, 'alice', a.db);
    expect(a.db.select().from(palletItems).where(eq(palletItems.id, ids[42]!)).get()?.quantity).toBe(99);

    // A bulk update (re-scoring) travels as one entry too, and a pending bulk update protects its
    // fields from older server values during pull.
    a.db.$client.transaction(() => {
      a.db.$client.prepare("UPDATE pallet_items SET score = 10, status = 'blocked' WHERE analysis_id = ?").run(analysis.id);
      recordBulkUpdate(a.db, 'pallet_items', ids, ['score', 'status']);
    })();
    updateSynced(b.db, palletItems, ids[0]!, { name: 'renamed on B' });
    await syncOnce(srv, 'carol', b.db);
    await syncOnce(srv, 'alice', a.db);
    await syncOnce(srv, 'carol', b.db);
    expect(b.db.select().from(palletItems).where(eq(palletItems.id, ids[0]!)).get()).toMatchObject({ name: 'renamed on B', score: 10, status: 'blocked' });
    expect(localSnapshot(b.db)).toEqual(localSnapshot(a.db));
    expect(await serverSnapshot(srv, 'A')).toEqual(localSnapshot(a.db));
    await admin.end();
    a.close();
    b.close();
  });
});

describe('clear outcomes, nothing lost', () => {
  it('schema version mismatch: refuses before sending anything, in both directions', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    insertSynced(a.db, leads, { name: 'Kept', language: 'pl' });
    const admin = await srv.admin();
    await admin.query("INSERT INTO fieldmate.schema_migrations (version, name, checksum) VALUES (99, 'future', 'x')");
    const error = await srv.connect('alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaMismatchError);
    expect((error as Error).message).toMatch(new RegExp(`newer \\(schema 99\\) than this app \\(schema ${SYNC_SCHEMA_VERSION}\\): update Fieldmate`));
    // An old client calling the entry points directly is refused by the server too.
    const raw = await srv.raw('alice');
    await expect(raw.query("SELECT fieldmate.push($1, 'dev', 'b', '[]'::jsonb)", [SYNC_SCHEMA_VERSION])).rejects.toMatchObject({ code: 'FM001' });
    await raw.end();
    expect(outboxCount(a.db)).toBe(1);
    expect((await admin.query('SELECT count(*)::int AS n FROM fieldmate.leads')).rows[0].n).toBe(0);

    await admin.query('DELETE FROM fieldmate.schema_migrations WHERE version = 99');
    const empty = await pg.createDatabase('empty');
    const noSchema = await connectServer({ url: `postgres://${pg.host}:${pg.port}/${empty}`, user: 'postgres', password: 'fieldmate-test' }).catch((e: unknown) => e);
    expect((noSchema as Error).message).toMatch(/no Fieldmate sync schema/);
    await admin.end();
    a.close();
  });

  it('wrong password and an unreachable server: one sentence, outbox intact', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    insertSynced(a.db, leads, { name: 'Waiting', language: 'pl' });
    const wrong = await connectServer({ url: srv.url, user: srv.roles.alice!, password: 'not-the-password' }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'SYNC_ERROR', message: expect.stringMatching(/refused the user name or password/) });
    const port = await freePort();
    const down = await connectServer({ url: `postgres://127.0.0.1:${port}/x`, user: 'u', password: 'p' }).catch((e: unknown) => e);
    expect(down).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/Cannot reach 127\.0\.0\.1/) });
    // A server that accepts TCP and never answers: the connect timeout turns it into the same outcome.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hang = await connectServer({ url: `postgres://127.0.0.1:${(silent.address() as net.AddressInfo).port}/x`, user: 'u', password: 'p' }, { connectTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(hang).toMatchObject({ code: 'UNAVAILABLE' });
    silent.close();
    expect(outboxCount(a.db)).toBe(1);
    // Once the password is right, the waiting change goes through.
    expect((await syncOnce(srv, 'alice', a.db)).pushed).toBe(1);
    a.close();
  });

  it('a change the server refuses is marked rejected on the record and does not block the queue', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    const good = insertSynced(a.db, leads, { name: 'Good', language: 'pl' });
    const bad = insertSynced(a.db, leads, { name: 'Bad', language: 'pl' });
    a.db.$client.transaction(() => recordChange(a.db, 'leads', bad.id, { not_a_column: 1 }))();
    const after = insertSynced(a.db, leads, { name: 'After', language: 'pl' });
    const result = await syncOnce(srv, 'alice', a.db);
    expect(result.rejected).toBe(1);
    const states = recordStates(a.db, 'leads', [good.id, bad.id, after.id]);
    expect(states[bad.id]).toEqual({ state: 'rejected', reason: 'unknown column not_a_column' });
    expect(states[good.id]?.state).toBe('synced');
    expect(states[after.id]?.state).toBe('synced');
    // A later accepted change to the record clears the mark.
    updateSynced(a.db, leads, bad.id, { name: 'Fixed' });
    await syncOnce(srv, 'alice', a.db);
    expect(recordStates(a.db, 'leads', [bad.id])[bad.id]?.state).toBe('synced');
    a.close();
  });

  it('a device whose clock is days ahead is refused with a reason; shipped defaults never beat real edits', async () => {
    const srv = await syncServer(pg);
    const broken = openDevice();
    const future = Date.now() + 3 * 24 * 60 * 60_000;
    const lead = insertSynced(broken.db, leads, { name: 'From the future', language: 'pl' }, future);
    const result = await syncOnce(srv, 'alice', broken.db, { now: () => future });
    expect(result.rejected).toBe(1);
    expect(recordStates(broken.db, 'leads', [lead.id])[lead.id]).toEqual({ state: 'rejected', reason: expect.stringMatching(/clock is more than a day ahead/) });
    broken.close();

    // A pack entry under a deterministic id: device A edits it; device C seeds it much later.
    const a = openDevice();
    const c = openDevice();
    const packId = '01900000-0000-7000-8000-000000000001';
    const pack = { id: packId, kind: 'objection' as const, key: 'price', language: 'pl', title: 'Za drogo', body: 'Default body' };
    insertSynced(a.db, knowledgeEntries, pack, 1_000, { baseline: true });
    updateSynced(a.db, knowledgeEntries, packId, { body: 'Edited by the team' }, 2_000);
    await syncOnce(srv, 'alice', a.db);
    insertSynced(c.db, knowledgeEntries, pack, Date.now(), { baseline: true });
    await syncOnce(srv, 'carol', c.db);
    await syncOnce(srv, 'alice', a.db);
    for (const d of [a, c]) expect(d.db.select().from(knowledgeEntries).where(eq(knowledgeEntries.id, packId)).get()?.body).toBe('Edited by the team');
    a.close();
    c.close();
  });

  it('the sync lock keeps two processes from syncing one store at once', async () => {
    const srv = await syncServer(pg);
    const a = openDevice();
    insertSynced(a.db, leads, { name: 'Locked', language: 'pl' });
    const conn1 = await srv.connect('alice');
    const conn2 = await srv.connect('alice');
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inside!: () => void;
    const started = new Promise<void>((r) => {
      inside = r;
    });
    const first = runSync(a.db, conn1, {
      hooks: {
        step: async (s) => {
          if (s === 'push:before-commit') {
            inside();
            await held;
          }
        },
      },
    });
    await started;
    await expect(runSync(a.db, conn2)).rejects.toMatchObject({ code: 'CONFLICT' });
    release();
    await first;
    await expect(runSync(a.db, conn2)).resolves.toMatchObject({ ok: true });
    await conn1.close();
    await conn2.close();
    a.close();
  });
});
