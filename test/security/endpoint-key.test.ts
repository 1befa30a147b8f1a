import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestChannel, RequestOutput } from '@shared/contract';
import { createCore, type Core } from '@main/composition/create-core';
import { encryptedSecretStore, type SecretCipher } from '@main/db/secret-store';
import { appPaths, findAppRoot } from '@main/core/paths';
import { tempDir } from '../helpers/temp-core';
import { startOpenAiServer, type OpenAiTestServer } from '../helpers/openai-server';

// Issue 17 item 3: the endpoint key is kept like the sync password (the OS keychain through the secret
// store), is write-only over IPC, and goes nowhere but the endpoint's Authorization header.
const KEY = 'sk-very-secret-endpoint-key-0123456789';

/** A reversible stand-in for safeStorage (the real one needs Electron). */
const cipher: SecretCipher = {
  available: () => true,
  encrypt: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((x) => x ^ 0x5a)),
  decrypt: (blob) => Buffer.from(blob.map((x) => x ^ 0x5a)).toString('utf8'),
};

let core: Core;
let server: OpenAiTestServer;
const seen: string[] = [];
beforeAll(async () => {
  server = await startOpenAiServer();
  core = createCore({
    paths: appPaths(tempDir(), findAppRoot(import.meta.dirname)),
    transport: 'headless',
    appVersion: 'test',
    osLocale: 'en-US',
    log: (line) => seen.push(line),
    isOnline: () => false,
    secrets: (db) => encryptedSecretStore(db, cipher),
  });
  core.events.subscribe((channel, payload) => seen.push(`${channel} ${JSON.stringify(payload)}`));
});
afterAll(async () => {
  await core.close();
  await server.close();
});

async function call<C extends RequestChannel>(channel: C, input: unknown): Promise<RequestOutput<C>> {
  const result = await core.call(channel, input);
  seen.push(JSON.stringify(result));
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as RequestOutput<C>;
}

describe('endpoint key', () => {
  it('is write-only: no answer, event or log line carries it, and the store holds only ciphertext', async () => {
    const saved = await call('endpoint:update', { baseUrl: server.baseUrl, model: 'test-model', key: KEY, routes: { coachReply: 'endpoint' } });
    expect(saved).toMatchObject({ hasKey: true, keyPersistent: true });
    expect(JSON.stringify(await call('endpoint:get', {}))).not.toContain(KEY);
    await call('endpoint:test', {});
    server.setMode({ kind: 'error', status: 401, message: 'bad key' });
    await call('endpoint:test', {});
    expect(seen.join('\n')).not.toContain(KEY);

    core.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = fs.readFileSync(core.paths.dbFile);
    expect(bytes.includes(Buffer.from(KEY))).toBe(false);
    const rows = core.db.$client.prepare("SELECT key, value FROM sync_state WHERE key LIKE 'secret:%'").all() as { key: string; value: string }[];
    expect(rows.map((r) => r.key)).toEqual(['secret:endpoint.key']);
  });

  it('is sent only as the Authorization header to the configured endpoint, never in a body', async () => {
    server.setMode({ kind: 'stream', pieces: ['ok'] });
    await call('endpoint:test', {});
    const authorised = server.requests.filter((r) => r.authorization === `Bearer ${KEY}`);
    expect(authorised.length).toBeGreaterThan(0);
    for (const r of server.requests) expect(JSON.stringify(r.body ?? {})).not.toContain(KEY);
  });

  it('null removes it', async () => {
    const cleared = await call('endpoint:update', { key: null });
    expect(cleared.hasKey).toBe(false);
    await call('endpoint:test', {});
    expect(server.requests.at(-1)?.authorization).toBeNull();
  });

  it('refuses an address that is not http(s)', async () => {
    const result = await core.call('endpoint:update', { baseUrl: 'file:///etc/passwd' });
    expect(result.ok).toBe(false);
  });
});
