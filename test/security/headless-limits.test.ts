import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Core } from '@main/composition/create-core';
import { writeBackup } from '@main/db/backups';
import { recoverStore, StoreDamaged } from '@main/db/open-store';
import { startHeadlessServer, type HeadlessServer } from '@main/headless/server';
import { createTempCore, tempDir } from '../helpers/temp-core';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function connect(server: HeadlessServer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

type Envelope = { ok: boolean; error?: { code: string; message: string } };

/** Sends every request at once and collects each answer by id. */
function burst(ws: WebSocket, count: number, channel: string, input: unknown): Map<number, Promise<Envelope>> {
  const waiting = new Map<number, (e: Envelope) => void>();
  const answers = new Map<number, Promise<Envelope>>();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { t: string; id?: number; envelope?: Envelope };
    if (frame.t === 'res' && frame.id !== undefined) waiting.get(frame.id)?.(frame.envelope as Envelope);
  });
  for (let id = 1; id <= count; id++) {
    answers.set(id, new Promise((resolve) => waiting.set(id, resolve)));
    ws.send(JSON.stringify({ t: 'req', id, channel, input }));
  }
  return answers;
}

function request(url: string, method: 'GET' | 'POST', headers: Record<string, string> = {}): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('headless host: requests in flight per connection are bounded', () => {
  it('answers the excess with UNAVAILABLE at once, and serves again when the running ones finish', async () => {
    const core = createTempCore();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The real core behind a gate, so the first requests stay running while the rest arrive.
    const slow: Core = { ...core, call: async (channel, input) => (await gate, core.call(channel, input)) };
    const server = await startHeadlessServer(slow, path.join(core.paths.appRoot, 'out', 'renderer'), 0, { maxInFlight: 3 });
    cleanups.push(() => core.close(), () => server.close());
    const ws = await connect(server);
    const answers = burst(ws, 10, 'leads:list', { limit: 5 });
    const refused = await Promise.all([4, 5, 6, 7, 8, 9, 10].map((id) => answers.get(id) as Promise<Envelope>));
    for (const envelope of refused) expect(envelope).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/Too many requests .*at most 3/) } });
    release();
    for (const id of [1, 2, 3]) expect(await answers.get(id)).toMatchObject({ ok: true });
    const again = burst(await connect(server), 1, 'leads:list', { limit: 5 });
    expect(await again.get(1)).toMatchObject({ ok: true });
    ws.close();
  });
});

describe('headless host: a damaged store gets a token-protected recovery page', () => {
  it('offers restore and start fresh, refuses without the token or from another origin, and restores', async () => {
    const dataDir = tempDir('fm-recovery-page-');
    const first = createTempCore({ dataDir });
    await first.call('leads:create', { name: 'Kept in the backup' });
    await writeBackup(first.db, first.paths.dbFile);
    const dbFile = first.paths.dbFile;
    await first.close();
    const fs = await import('node:fs');
    fs.writeFileSync(dbFile, Buffer.alloc(fs.statSync(dbFile).size, 0x41));
    let damaged: StoreDamaged | null = null;
    try {
      createTempCore({ dataDir });
    } catch (error) {
      if (error instanceof StoreDamaged) damaged = error;
    }
    expect(damaged).not.toBeNull();
    const server = await startHeadlessServer(
      {
        recovery: (damaged as StoreDamaged).recovery,
        locale: 'en-US',
        recover: async (choice) => {
          recoverStore(dbFile, choice, () => undefined);
          return createTempCore({ dataDir });
        },
      },
      tempDir(),
    );
    cleanups.push(async () => {
      await server.close();
      await server.core()?.close();
    });
    const base = `http://127.0.0.1:${server.port}`;
    const origin = { origin: base };
    expect((await request(`${base}/`, 'GET')).status).toBe(403);
    const page = await request(`${base}/?token=${server.token}`, 'GET');
    expect(page.status).toBe(200);
    expect(page.body).toContain('The Fieldmate data file is damaged');
    expect(page.body).toMatch(/Restore the backup from/);
    expect(page.body).toContain('Start fresh');
    await expect(connect(server)).rejects.toThrow(/503/);
    expect((await request(`${base}/recover?choice=restore`, 'POST', origin)).status).toBe(403);
    expect((await request(`${base}/recover?token=${server.token}&choice=restore`, 'POST', { origin: 'http://evil.example' })).status).toBe(403);
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('.damaged-'))).toEqual([]);
    const restored = await request(`${base}/recover?token=${server.token}&choice=restore`, 'POST', origin);
    expect(restored.status).toBe(303);
    expect(restored.location).toBe(`/?token=${server.token}`);
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('.damaged-'))).toHaveLength(1);
    const answers = burst(await connect(server), 1, 'leads:list', { limit: 5 });
    expect(await answers.get(1)).toMatchObject({ ok: true, value: { leads: [{ name: 'Kept in the backup' }] } });
  });
});
