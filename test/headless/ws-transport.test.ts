import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHeadlessServer, type HeadlessServer } from '@main/headless/server';
import type { Core } from '@main/composition/create-core';
import { createTempCore } from '../helpers/temp-core';

let core: Core;
let server: HeadlessServer;

beforeAll(async () => {
  core = createTempCore();
  server = await startHeadlessServer(core, path.join(core.paths.appRoot, 'out', 'renderer'));
});
afterAll(async () => {
  await server.close();
  await core.close();
});

function connect(token: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function request(ws: WebSocket, id: number, channel: string, input: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(String(data)) as { t: string; id?: number; envelope?: unknown };
      if (frame.t === 'res' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame.envelope);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'req', id, channel, input }));
  });
}

describe('headless WebSocket transport', () => {
  const origin = () => `http://127.0.0.1:${server.port}`;

  it('refuses a missing or wrong token and a foreign origin', async () => {
    await expect(connect('', origin())).rejects.toThrow(/403/);
    await expect(connect('0'.repeat(server.token.length), origin())).rejects.toThrow(/403/);
    await expect(connect(server.token, 'http://evil.example')).rejects.toThrow(/403/);
  });

  it('carries the contract and its events', async () => {
    const ws = await connect(server.token, origin());
    const events: unknown[] = [];
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { t: string; channel?: string; payload?: unknown };
      if (frame.t === 'evt') events.push(frame);
    });
    expect(await request(ws, 1, 'system:info', {})).toMatchObject({ ok: true, value: { transport: 'cli' } });
    expect(await request(ws, 2, 'settings:update', { theme: 'dark' })).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(await request(ws, 3, 'nope', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await request(ws, 4, 'settings:update', { theme: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(events).toContainEqual({ t: 'evt', channel: 'settings:changed', payload: expect.objectContaining({ theme: 'dark' }) });
    // Garbage frames are ignored and the connection keeps working.
    ws.send('not json');
    ws.send(JSON.stringify({ t: 'req', id: 'x' }));
    expect(await request(ws, 5, 'system:status', {})).toMatchObject({ ok: true });
    ws.close();
  });

  it('survives malformed URLs and oversized frames (no token needed to try)', async () => {
    expect((await fetch(`${origin()}/%`)).status).toBe(400);
    expect((await fetch(`${origin()}/%E0%A4%A`)).status).toBe(400);
    const ws = await connect(server.token, origin());
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(9 * 1024 * 1024));
    expect(await closed).toBeGreaterThan(1000);
    const again = await connect(server.token, origin());
    expect(await request(again, 1, 'system:status', {})).toMatchObject({ ok: true });
    again.close();
  });

  it('cancels the long operations of a page that goes away', async () => {
    // A model server that accepts the download and never answers: only a cancel ends the request.
    let peerClosed = false;
    let requests = 0;
    const hanging = http.createServer((req) => {
      requests++;
      req.socket.once('close', () => (peerClosed = true));
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()));
    const port = (hanging.address() as AddressInfo).port;
    try {
      const ws = await connect(server.token, origin());
      ws.send(JSON.stringify({ t: 'req', id: 1, channel: 'models:download', input: { requestId: 'page-op', url: `http://127.0.0.1:${port}/m.gguf` } }));
      await expect.poll(() => requests).toBeGreaterThan(0);
      ws.close();
      await expect.poll(() => peerClosed).toBe(true);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('serves the page with a Content-Security-Policy and never escapes its folder', async () => {
    const page = await fetch(`${origin()}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    const escape = await fetch(`${origin()}/..%2f..%2fpackage.json`);
    expect(await escape.text()).not.toMatch(/"name": "fieldmate"/);
  });
});
