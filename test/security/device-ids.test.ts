import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leads } from '@main/db/schema';
import { insertSynced, updateSynced } from '@main/db/synced-repo';
import { deviceMarkerPath } from '@main/sync/device';
import { SYNC_SCHEMA_VERSION } from '@main/sync/server/migrations';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { localSnapshot, openDevice, outboxCount, serverSnapshot, syncOnce, syncServer, tempDir, type SyncServer } from '../sync/helpers';

/**
 * The server's push position per device decides which of that device's changes count as applied (the
 * device then drops them from its outbox). A second store pushing under the same device id — a
 * teammate's crafted push, or a store file copied to another machine — must not make a device lose
 * changes.
 */
let pgs: TestPostgres;
let srv: SyncServer & { roles: Record<string, string> };
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  pgs = await startTestPostgres();
  srv = await syncServer(pgs, { alice: 'A', carol: 'A' });
});
afterAll(async () => {
  for (const c of cleanup) c();
  await pgs?.stop();
});

const deviceIdOf = (db: { $client: { prepare(sql: string): { get(): unknown } } }) =>
  (db.$client.prepare("SELECT value FROM sync_state WHERE key = 'device_id'").get() as { value: string }).value;
const leadNames = (snapshot: Record<string, Record<string, unknown>[]>) => (snapshot.leads ?? []).map((r) => r.name).sort();

describe('a device id belongs to the login that registered it', () => {
  it('refuses a teammate pushing under another device’s id, so that device loses nothing', async () => {
    const a = openDevice();
    cleanup.push(a.close);
    insertSynced(a.db, leads, { name: 'Alice 1', language: 'pl' });
    await syncOnce(srv, 'alice', a.db);
    const aliceDevice = deviceIdOf(a.db);

    // Carol (same team) claims Alice's device id with a far-ahead position.
    const carol = await srv.raw('carol');
    try {
      const clock = `${String(Date.now()).padStart(15, '0')}:000000:carol`;
      const claim = carol.query('SELECT fieldmate.push($1, $2, $3, $4::jsonb) AS r', [
        SYNC_SCHEMA_VERSION,
        aliceDevice,
        'steal',
        JSON.stringify([{ s: 1_000_000, t: 'leads', i: 'carol-lead', h: clock, f: { name: 'Carol' } }]),
      ]);
      await expect(claim).rejects.toMatchObject({ code: 'FM004', message: expect.stringMatching(/registered to another sync user/) });
    } finally {
      await carol.end();
    }

    // Alice's next changes are applied, not skipped as "already seen".
    insertSynced(a.db, leads, { name: 'Alice 2', language: 'pl' });
    await syncOnce(srv, 'alice', a.db);
    expect(outboxCount(a.db)).toBe(0);
    expect(leadNames(await serverSnapshot(srv, 'A'))).toEqual(['Alice 1', 'Alice 2']);

    // Row-level security on the devices table stays forced.
    const admin = await srv.admin();
    try {
      const rls = await admin.query<{ f: boolean }>("SELECT relforcerowsecurity AS f FROM pg_class WHERE oid = 'fieldmate.devices'::regclass");
      expect(rls.rows[0]?.f).toBe(true);
    } finally {
      await admin.end();
    }
  });

  it('a store that synced as another login (a new sync user on the same computer) continues as a new device after the refusal', async () => {
    const a = openDevice();
    cleanup.push(a.close);
    insertSynced(a.db, leads, { name: 'Synced as Alice', language: 'en' });
    await syncOnce(srv, 'alice', a.db);
    const aliceDevice = deviceIdOf(a.db);
    insertSynced(a.db, leads, { name: 'Pending when the login changed', language: 'en' });
    const log: string[] = [];
    await syncOnce(srv, 'carol', a.db, { log: (line) => log.push(line) });
    expect(deviceIdOf(a.db)).not.toBe(aliceDevice);
    expect(log.some((line) => /another sync user/.test(line))).toBe(true);
    expect(outboxCount(a.db)).toBe(0);
    expect(leadNames(await serverSnapshot(srv, 'A'))).toContain('Pending when the login changed');
  });
});

describe('a copied or restored store takes a new device id', () => {
  it('a store file copied to a second machine (another data folder) takes a new id; both converge and nothing is lost', async () => {
    const first = openDevice();
    cleanup.push(first.close);
    const lead = insertSynced(first.db, leads, { name: 'Before the copy', language: 'pl' });
    await syncOnce(srv, 'alice', first.db);
    const original = deviceIdOf(first.db);

    // Pending work at copy time travels with the copy.
    insertSynced(first.db, leads, { name: 'Pending at copy time', language: 'pl' });
    first.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const secondDir = tempDir('fieldmate-second-machine-');
    cleanup.push(() => fs.rmSync(secondDir, { recursive: true, force: true }));
    const secondFile = path.join(secondDir, 'fieldmate.sqlite');
    fs.copyFileSync(first.file, secondFile);
    const second = openDevice(secondFile);
    cleanup.push(second.close);

    // The copy writes and syncs first: under the shared id its positions would cover the original's next ones.
    for (let i = 0; i < 5; i++) insertSynced(second.db, leads, { name: `Second ${i}`, language: 'pl' });
    const log: string[] = [];
    await syncOnce(srv, 'alice', second.db, { log: (line) => log.push(line) });
    expect(outboxCount(second.db)).toBe(0);

    // The original keeps its id and its later changes reach the server.
    for (let i = 0; i < 3; i++) insertSynced(first.db, leads, { name: `First ${i}`, language: 'pl' });
    updateSynced(first.db, leads, lead.id, { company: 'Edited on the first machine' });
    await syncOnce(srv, 'alice', first.db);
    expect(outboxCount(first.db)).toBe(0);
    await syncOnce(srv, 'alice', second.db);
    await syncOnce(srv, 'alice', first.db);

    const server = await serverSnapshot(srv, 'A');
    for (const name of ['Before the copy', 'Pending at copy time', 'First 0', 'First 2', 'Second 0', 'Second 4']) expect(leadNames(server)).toContain(name);
    expect(server.leads?.find((r) => r.id === lead.id)?.company).toBe('Edited on the first machine');
    expect(localSnapshot(first.db).leads).toEqual(server.leads);
    expect(localSnapshot(second.db).leads).toEqual(server.leads);
    // How: the copy took a new id (the original kept its own), recorded beside each store.
    expect(deviceIdOf(first.db)).toBe(original);
    expect(deviceIdOf(second.db)).not.toBe(original);
    expect(log.some((line) => /new device/.test(line))).toBe(true);
    expect(fs.existsSync(deviceMarkerPath(first.file))).toBe(true);
  });

  it('a store restored from a backup taken before later syncs takes a new id and loses nothing', async () => {
    const dir = tempDir('fieldmate-restore-');
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const device = openDevice(path.join(dir, 'fieldmate.sqlite'));
    insertSynced(device.db, leads, { name: 'Backed up', language: 'en' });
    await syncOnce(srv, 'alice', device.db);
    const before = deviceIdOf(device.db);
    device.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const backup = `${device.file}.backup`;
    fs.copyFileSync(device.file, backup);
    // Later work is synced, then the backup is put back over the store (same folder, same marker).
    for (let i = 0; i < 4; i++) insertSynced(device.db, leads, { name: `After backup ${i}`, language: 'en' });
    await syncOnce(srv, 'alice', device.db);
    device.close();
    fs.copyFileSync(backup, device.file);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${device.file}${suffix}`, { force: true });
    const restored = openDevice(device.file);
    cleanup.push(restored.close);
    insertSynced(restored.db, leads, { name: 'Written after the restore', language: 'en' });
    await syncOnce(srv, 'alice', restored.db);
    expect(outboxCount(restored.db)).toBe(0);
    expect(leadNames(await serverSnapshot(srv, 'A'))).toContain('Written after the restore');
    expect(leadNames(localSnapshot(restored.db))).toContain('After backup 3');
    expect(deviceIdOf(restored.db)).not.toBe(before);
  });
});
