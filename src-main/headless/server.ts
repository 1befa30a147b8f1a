import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { isRequestChannel, requests } from '../../src-shared/contract';
import type { Core } from '../core/create-core';
import { serveStatic } from './static-files';

/** Frames on the socket. Requests carry a client-chosen numeric id echoed in the response. */
export type ClientFrame = { t: 'req'; id: number; channel: string; input: unknown };
export type ServerFrame =
  | { t: 'res'; id: number; envelope: unknown }
  | { t: 'evt'; channel: string; payload: unknown };

export interface HeadlessServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function tokenMatches(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Serves the built renderer on 127.0.0.1 and carries the IPC contract over a WebSocket. The socket
 * requires the per-run token and our own origin, so another local page or process cannot drive the
 * core. The handlers are the very ones Electron binds.
 */
export async function startHeadlessServer(core: Core, rendererDir: string, port = 0): Promise<HeadlessServer> {
  const token = crypto.randomBytes(24).toString('hex');
  const server = http.createServer((req, res) => {
    try {
      serveStatic(rendererDir, req, res);
    } catch (error) {
      core.log(`[headless] static file error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${actualPort}`;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/ws' || !tokenMatches(token, url.searchParams.get('token')) || req.headers.origin !== origin) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket) => {
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = core.events.subscribe((channel, payload) => send({ t: 'evt', channel, payload }));
    // Long operations this page started are cancelled when it goes away (closed tab, reload).
    const started = new Set<string>();
    ws.on('close', () => {
      unsubscribe();
      for (const requestId of started) core.operations.cancel(requestId);
    });
    // An oversized or malformed frame must end this connection, never the host.
    ws.on('error', (error) => {
      core.log(`[headless] socket error: ${error.message}`);
      ws.terminate();
    });
    ws.on('message', async (data) => {
      let frame: ClientFrame;
      try {
        frame = JSON.parse(String(data)) as ClientFrame;
      } catch {
        return; // Not our protocol: ignore rather than crash.
      }
      if (typeof frame !== 'object' || frame === null || frame.t !== 'req' || typeof frame.id !== 'number') return;
      const input: unknown = frame.input;
      const tracked = isRequestChannel(frame.channel) && !('control' in requests[frame.channel] && requests[frame.channel].control);
      const requestId = tracked && typeof input === 'object' && input !== null && 'requestId' in input && typeof input.requestId === 'string' ? input.requestId : null;
      if (requestId) started.add(requestId);
      const envelope = await core.call(frame.channel, input);
      if (requestId) started.delete(requestId);
      send({ t: 'res', id: frame.id, envelope });
    });
  };

  return {
    url: `${origin}/?token=${token}`,
    port: actualPort,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
