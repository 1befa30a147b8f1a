import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { isRequestChannel, requests } from '@shared/contract';
import type { Core } from '../composition/create-core';
import type { RecoveryChoice, StoreRecovery } from '../db/open-store';
import { RECOVERY_PAGE_POLICY, recoveryPage } from './recovery-page';
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
  /** The core being served (null while the damaged store waits for a recovery choice). */
  core(): Core | null;
  close(): Promise<void>;
}

/** A store that could not be opened: the host serves a recovery page until one choice succeeds. */
export interface StoreRecoveryHost {
  recovery: StoreRecovery;
  locale: string;
  /** Applies the choice and opens the core (throws if the store still cannot be opened). */
  recover(choice: RecoveryChoice): Promise<Core>;
}

export interface HeadlessLimits {
  /** Requests one connection may have running at once; more are answered UNAVAILABLE at once. */
  maxInFlight?: number;
}

/**
 * One page has a handful of requests running at a time (a screen's loads, an upload's next chunk).
 * Without a bound, one connection could queue unbounded work and memory in the core.
 */
export const MAX_IN_FLIGHT_PER_CONNECTION = 64;

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
export async function startHeadlessServer(
  source: Core | StoreRecoveryHost,
  rendererDir: string,
  port = 0,
  limits: HeadlessLimits = {},
): Promise<HeadlessServer> {
  const token = crypto.randomBytes(24).toString('hex');
  const maxInFlight = limits.maxInFlight ?? MAX_IN_FLIGHT_PER_CONNECTION;
  let core: Core | null = 'recover' in source ? null : source;
  let recoveryError: string | null = null;
  let recovering = false;
  const log = (line: string) => (core ? core.log(line) : undefined);
  const server = http.createServer((req, res) => {
    try {
      if ('recover' in source && !core) serveRecovery(source, req, res);
      else serveStatic(rendererDir, req, res);
    } catch (error) {
      log(`[headless] static file error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });

  /** GET shows the choices; POST applies one. Both need the token, a POST also our own origin. */
  const serveRecovery = (host: StoreRecoveryHost, req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const headers = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': RECOVERY_PAGE_POLICY, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };
    if (!tokenMatches(token, url.searchParams.get('token'))) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, headers).end(recoveryPage(host.recovery, token, host.locale, recoveryError));
      return;
    }
    const choice = url.searchParams.get('choice');
    if (req.method !== 'POST' || url.pathname !== '/recover' || req.headers.origin !== origin || (choice !== 'restore' && choice !== 'fresh')) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden');
      return;
    }
    req.resume();
    if (recovering) {
      res.writeHead(409, { 'content-type': 'text/plain; charset=utf-8' }).end('A recovery is already running.');
      return;
    }
    recovering = true;
    host
      .recover(choice === 'restore' ? { kind: 'restore' } : { kind: 'fresh' })
      .then((opened) => {
        core = opened;
        res.writeHead(303, { location: `/?token=${token}` }).end();
      })
      .catch((error: unknown) => {
        recoveryError = error instanceof Error ? error.message : String(error);
        res.writeHead(303, { location: `/?token=${token}` }).end();
      })
      .finally(() => {
        recovering = false;
      });
  };
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
    const serving = core;
    if (!serving) {
      socket.write('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, serving));
  });

  const attach = (ws: WebSocket, served: Core) => {
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = served.events.subscribe((channel, payload) => send({ t: 'evt', channel, payload }));
    // Long operations this page started are cancelled when it goes away (closed tab, reload).
    const started = new Set<string>();
    let inFlight = 0;
    ws.on('close', () => {
      unsubscribe();
      for (const requestId of started) served.operations.cancel(requestId);
    });
    // An oversized or malformed frame must end this connection, never the host.
    ws.on('error', (error) => {
      served.log(`[headless] socket error: ${error.message}`);
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
      if (inFlight >= maxInFlight) {
        send({ t: 'res', id: frame.id, envelope: { ok: false, error: { code: 'UNAVAILABLE', message: `Too many requests are running on this connection (at most ${maxInFlight}); wait for some to finish.` } } });
        return;
      }
      const input: unknown = frame.input;
      const tracked = isRequestChannel(frame.channel) && !('control' in requests[frame.channel] && requests[frame.channel].control);
      const requestId = tracked && typeof input === 'object' && input !== null && 'requestId' in input && typeof input.requestId === 'string' ? input.requestId : null;
      if (requestId) started.add(requestId);
      inFlight++;
      let envelope: unknown;
      try {
        envelope = await served.call(frame.channel, input);
      } finally {
        inFlight--;
      }
      if (requestId) started.delete(requestId);
      send({ t: 'res', id: frame.id, envelope });
    });
  };

  return {
    url: `${origin}/?token=${token}`,
    port: actualPort,
    token,
    core: () => core,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
