/**
 * The download transport: plain `node:http` / `node:https` GET requests. Global `fetch` (undici) is not
 * used because a server that closes the connection after its reply while the body is still being
 * consumed slowly makes undici throw an uncatchable AssertionError that kills the process
 * (nodejs/undici#5360) — python's http.server does exactly that, and in the app it would kill the
 * main process.
 */
import { request as plainRequest, type IncomingMessage } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { AppError } from '@shared/contract/errors';

export interface HttpResponse {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  header(name: string): string | null;
  /** Paused until read; destroy it when it is not read to the end. */
  body: IncomingMessage;
}

export interface HttpRequestInit {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Connecting and waiting for the response headers (per hop). */
  timeoutMs?: number;
}

/** One GET, redirects followed. Network errors reject with their Node error (with `code`). */
export type HttpRequest = (url: string, init?: HttpRequestInit) => Promise<HttpResponse>;

export const MAX_REDIRECTS = 5;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const DEFAULT_TIMEOUT_MS = 60_000;

/** https anywhere; plain http only on loopback (local mirrors and tests), also after a redirect. */
export function isAllowedDownloadUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function abortError(): Error {
  return Object.assign(new Error('The download was aborted.'), { name: 'AbortError', code: 'ABORT_ERR' });
}

function requestOnce(url: URL, init: HttpRequestInit): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (init.signal?.aborted) return reject(abortError());
    const send = url.protocol === 'https:' ? tlsRequest : plainRequest;
    const req = send(url, { method: 'GET', headers: init.headers });
    let response: IncomingMessage | null = null;
    let connected = false;
    const onAbort = (): void => {
      const error = abortError();
      req.destroy(error);
      response?.destroy(error);
    };
    const done = (): void => {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
    };
    // Until the headers arrive; the body has its own idle timeout (readBody).
    const timer = setTimeout(() => {
      req.destroy(connected ? codedError('The server did not answer in time.', 'ERESPONSETIMEOUT') : codedError(`connect ETIMEDOUT ${url.host}`, 'ETIMEDOUT'));
    }, init.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    init.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    req.on('response', (res) => {
      response = res;
      clearTimeout(timer);
      // Errors after this point surface when the body is read; without a listener they would crash the process.
      res.on('error', () => undefined);
      res.once('close', done);
      res.pause();
      resolve(res);
    });
    req.on('error', (error) => {
      done();
      reject(error);
    });
    req.end();
  });
}

/** The default transport: GET with redirects (at most 5; never from https to http except loopback). */
export const nodeHttpRequest: HttpRequest = async (url, init = {}) => {
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(current, init);
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (![301, 302, 303, 307, 308].includes(status) || !location) {
      return {
        status,
        url: current.href,
        body: res,
        header: (name) => {
          const value = res.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value ?? null;
        },
      };
    }
    res.destroy();
    if (hop >= MAX_REDIRECTS) throw new AppError('UNAVAILABLE', `The download of ${url} was redirected more than ${MAX_REDIRECTS} times.`);
    const next = new URL(location, current);
    if (!isAllowedDownloadUrl(next)) throw new AppError('VALIDATION', `The server redirected the download to ${next.origin}; only https:// URLs can be downloaded.`);
    current = next;
  }
};

/**
 * Reads a response body chunk by chunk, awaiting `write` for each one. The stream stays in paused mode
 * (a chunk is only pulled when the previous write finished), so a slow disk pauses the socket instead
 * of buffering the file in memory. Rejects when the connection drops before the end, or when no data
 * arrives for `idleTimeoutMs` while waiting for it (time spent writing does not count).
 */
export async function readBody(body: IncomingMessage, write: (chunk: Buffer) => Promise<void>, idleTimeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    for (;;) {
      const timer = setTimeout(() => body.destroy(codedError('The server stopped sending data.', 'ETIMEDOUT')), idleTimeoutMs);
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } finally {
        clearTimeout(timer);
      }
      if (next.done) break;
      await write(next.value);
    }
    // A connection closed early ends an IncomingMessage without an error on some paths: check completeness.
    if (!body.complete) throw codedError('The connection closed before the whole response arrived.', 'ECONNRESET');
  } finally {
    body.destroy();
  }
}

/** A small response body as text (API answers), capped so a wrong URL cannot fill the memory. */
export async function readText(body: IncomingMessage, maxBytes = 4 * 1024 * 1024): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  await readBody(body, async (chunk) => {
    size += chunk.length;
    if (size > maxBytes) throw codedError('The answer is too large.', 'E2BIG');
    parts.push(chunk);
  });
  return Buffer.concat(parts).toString('utf8');
}
