import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '@shared/contract/sync';
import { leads } from '@main/db/schema';
import { insertSynced } from '@main/db/synced-repo';
import { openDatabase, closeDatabase } from '@main/db/open';
import { envSecretStore, encryptedSecretStore } from '@main/sync/secrets';
import { freePort, startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { createTempCore } from '../helpers/temp-core';
import { syncServer } from './helpers';
import { SYNC_SCHEMA_VERSION } from '@main/sync/server/migrations';

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(async () => {
  await pgs?.stop();
});

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => {
    open = r;
  });
  return { wait, open };
}

describe('SyncService through the IPC contract', () => {
  it('configures without ever returning the password, tests the connection, syncs at start and on reconnect', async () => {
    const srv = await syncServer(pgs);
    const core = createTempCore();
    let online = true;
    const events: SyncStatus[] = [];
    core.events.subscribe((channel, payload) => {
      if (channel === 'sync:status') events.push(payload as SyncStatus);
    });
    const service = core.sync({ secrets: envSecretStore({}), overrides: { isOnline: () => online, pollMs: 20 } });
    const password = srv.passwords.alice!;

    const configured = await core.call('sync:configure', { serverUrl: srv.url, user: srv.roles.alice, password, enabled: true, intervalMinutes: 60 });
    expect(configured).toMatchObject({ ok: true, value: { serverUrl: srv.url, user: srv.roles.alice, enabled: true, hasPassword: true, passwordPersistent: false } });
    expect(JSON.stringify(configured)).not.toContain(password);
    expect(JSON.stringify(await core.call('sync:getConfig', {}))).not.toContain(password);
    expect(JSON.stringify(await core.call('sync:status', {}))).not.toContain(password);

    const tested = await core.call('sync:testConnection', {});
    expect(tested).toMatchObject({ ok: true, value: { ok: true, team: 'A', serverSchema: SYNC_SCHEMA_VERSION, clientSchema: SYNC_SCHEMA_VERSION } });
    const wrong = await core.call('sync:testConnection', { password: 'nope-nope' });
    expect(wrong).toMatchObject({ ok: true, value: { ok: false, message: expect.stringMatching(/refused the user name or password/) } });
    const badUrl = await core.call('sync:configure', { serverUrl: 'postgres://u:secret@host/db' });
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(/not in the server address/) } });

    const lead = insertSynced(core.db, leads, { name: 'At start', language: 'pl' });
    expect(await core.call('sync:recordStates', { table: 'leads', ids: [lead.id] })).toMatchObject({ ok: true, value: { states: { [lead.id]: { state: 'pending' } } } });
    expect(await core.call('sync:recordStates', { table: 'settings', ids: ['x'] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    service.start();
    await waitFor(() => service.status().lastSuccessAt !== null, 'the start trigger');
    expect(service.status()).toMatchObject({ pendingCount: 0, lastError: null, running: false, enabled: true });
    expect(events.some((e) => e.running)).toBe(true);
    expect(await core.call('sync:recordStates', { table: 'leads', ids: [lead.id] })).toMatchObject({ ok: true, value: { states: { [lead.id]: { state: 'synced' } } } });

    // Offline: a change waits; back online: the reconnect trigger sends it.
    online = false;
    await new Promise((r) => setTimeout(r, 60));
    insertSynced(core.db, leads, { name: 'While offline', language: 'pl' });
    await new Promise((r) => setTimeout(r, 60));
    expect(service.status().pendingCount).toBe(1);
    online = true;
    await waitFor(() => service.status().pendingCount === 0, 'the reconnect trigger');
    const admin = await srv.admin();
    expect((await admin.query('SELECT count(*)::int AS n FROM fieldmate.leads')).rows[0].n).toBe(2);
    await admin.end();
    await core.close();
  });

  it('backs off exponentially while the server is unreachable and recovers', async () => {
    const srv = await syncServer(pgs);
    const core = createTempCore();
    const service = core.sync({ secrets: envSecretStore({ FIELDMATE_SYNC_PASSWORD: srv.passwords.alice }), overrides: { isOnline: () => true, minBackoffMs: 40, maxBackoffMs: 1000, pollMs: 1000 } });
    const deadUrl = `postgres://127.0.0.1:${await freePort()}/nowhere`;
    await service.configure({ serverUrl: deadUrl, user: srv.roles.alice, enabled: true });
    insertSynced(core.db, leads, { name: 'Waits', language: 'pl' });
    service.start();
    const delays: number[] = [];
    let lastAttempt = 0;
    await waitFor(() => {
      const s = service.status();
      if (!s.running && s.lastAttemptAt && s.lastAttemptAt !== lastAttempt && s.nextRunAt) {
        lastAttempt = s.lastAttemptAt;
        delays.push(s.nextRunAt - Date.now());
      }
      return delays.length >= 4;
    }, 'four failed attempts');
    const status = service.status();
    expect(status.lastError).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/Cannot reach/) });
    expect(status.pendingCount).toBe(1);
    // Jittered doubling: the fourth wait is clearly longer than the first.
    expect(delays[3]!).toBeGreaterThan(delays[0]! * 2);
    await service.configure({ serverUrl: srv.url });
    await expect(service.syncNow()).resolves.toMatchObject({ ok: true, pushed: 1 });
    expect(service.status().lastError).toBeNull();
    await core.close();
  });

  it('one run at a time: requests during a run share one follow-up run', async () => {
    const srv = await syncServer(pgs);
    const core = createTempCore();
    const held = gate();
    const inside = gate();
    let runs = 0;
    const service = core.sync({
      secrets: envSecretStore({ FIELDMATE_SYNC_PASSWORD: srv.passwords.alice }),
      overrides: {
        isOnline: () => true,
        hooks: {
          step: async (s) => {
            if (s === 'pull:fetched') {
              runs += 1;
              if (runs === 1) {
                inside.open();
                await held.wait;
              }
            }
          },
        },
      },
    });
    await service.configure({ serverUrl: srv.url, user: srv.roles.alice });
    const first = service.syncNow();
    await inside.wait;
    expect(service.status().running).toBe(true);
    const second = service.syncNow();
    const third = service.syncNow();
    held.open();
    await Promise.all([first, second, third]);
    expect(runs).toBe(2);
    await core.close();
  });

  it('quitting lets the current batch finish, or cuts it so the server rolls it back; nothing is lost', async () => {
    const srv = await syncServer(pgs);
    // Finishes: the batch completes after close() was called, before the database closes.
    const core = createTempCore();
    const held = gate();
    const inside = gate();
    const service = core.sync({
      secrets: envSecretStore({ FIELDMATE_SYNC_PASSWORD: srv.passwords.alice }),
      overrides: {
        isOnline: () => true,
        hooks: {
          step: async (s) => {
            if (s === 'push:before-commit') {
              inside.open();
              await held.wait;
            }
          },
        },
      },
    });
    await service.configure({ serverUrl: srv.url, user: srv.roles.alice });
    insertSynced(core.db, leads, { name: 'Finishes on quit', language: 'pl' });
    const run = service.syncNow().catch((e: unknown) => e);
    await inside.wait;
    const closing = core.close();
    setTimeout(() => held.open(), 50);
    await closing;
    await run;
    const admin = await srv.admin();
    expect((await admin.query("SELECT count(*)::int AS n FROM fieldmate.leads WHERE name = 'Finishes on quit'")).rows[0].n).toBe(1);

    // Cut: the batch never finishes within the timeout; the connection is closed, the server rolls back,
    // and the change is still queued on the device.
    const core2 = createTempCore();
    const inside2 = gate();
    const service2 = core2.sync({
      secrets: envSecretStore({ FIELDMATE_SYNC_PASSWORD: srv.passwords.alice }),
      overrides: {
        isOnline: () => true,
        stopTimeoutMs: 100,
        hooks: {
          step: async (s) => {
            if (s === 'push:before-commit') {
              inside2.open();
              await new Promise((r) => setTimeout(r, 400));
            }
          },
        },
      },
    });
    await service2.configure({ serverUrl: srv.url, user: srv.roles.alice });
    insertSynced(core2.db, leads, { name: 'Rolled back on quit', language: 'pl' });
    const run2 = service2.syncNow().catch((e: unknown) => e);
    await inside2.wait;
    await core2.close();
    expect(await run2).toMatchObject({ code: expect.stringMatching(/UNAVAILABLE|SYNC_ERROR/) });
    expect((await admin.query("SELECT count(*)::int AS n FROM fieldmate.leads WHERE name = 'Rolled back on quit'")).rows[0].n).toBe(0);
    const reopened = openDatabase(core2.paths.dbFile);
    expect((reopened.$client.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n).toBe(1);
    closeDatabase(reopened);
    await admin.end();
  });

  it('an encrypted secret store keeps only ciphertext in the database', async () => {
    const core = createTempCore();
    const cipher = {
      available: () => true,
      encrypt: (plain: string) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
      decrypt: (blob: Buffer) => Buffer.from([...blob].map((b) => b ^ 0x5a)).toString(),
    };
    const store = encryptedSecretStore(core.db, cipher);
    const service = core.sync({ secrets: store });
    await service.configure({ password: 'very-secret-password' });
    const dump = JSON.stringify(core.db.$client.prepare('SELECT * FROM sync_state').all()) + JSON.stringify(core.db.$client.prepare('SELECT * FROM settings').all());
    expect(dump).not.toContain('very-secret-password');
    expect(await store.get('sync.password')).toBe('very-secret-password');
    expect(await service.getConfig()).toMatchObject({ hasPassword: true, passwordPersistent: true });
    await service.configure({ password: null });
    expect(await service.getConfig()).toMatchObject({ hasPassword: false });
    await core.close();
  });
});
