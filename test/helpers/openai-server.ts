import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An OpenAI-compatible server on loopback for tests and the benchmark: GET /v1/models and
 * POST /v1/chat/completions (SSE with stream: true, one JSON document otherwise). Each behaviour the
 * client must survive is a mode: streamed pieces, an error status, a slow start, a stream cut mid-answer,
 * a server that accepts and never answers, one that refuses json_schema.
 */
export type ServerMode =
  | { kind: 'stream'; pieces: string[]; pieceDelayMs?: number; usage?: boolean; firstPieceDelayMs?: number }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'slow'; delayMs: number; pieces: string[] }
  | { kind: 'drop'; piecesBeforeDrop: string[] }
  | { kind: 'hang' }
  | { kind: 'silentAfter'; pieces: string[] };

export interface ReceivedRequest {
  method: string;
  path: string;
  authorization: string | null;
  body: Record<string, unknown> | null;
}

export interface OpenAiTestServer {
  baseUrl: string;
  port: number;
  requests: ReceivedRequest[];
  /** What the next chat requests get (until changed). */
  setMode(mode: ServerMode): void;
  /** JSON answers: a function of the request body (the default echoes pieces as for chat). */
  setJson(answer: ((body: Record<string, unknown>) => string) | null): void;
  /** Answer 400 to response_format json_schema (like servers without structured output). */
  refuseJsonSchema(refuse: boolean): void;
  models: string[];
  /** Answers the client closed before they were complete (a stop reached the server). */
  readonly abortedByClient: number;
  /** Stops listening and cuts every open connection (the endpoint goes away mid-use). */
  cut(): Promise<void>;
  close(): Promise<void>;
}

const chunk = (content: string | null, finish: string | null = null) => ({
  id: 'chatcmpl-test',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'test-model',
  choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOpenAiServer(options: { port?: number; models?: string[] } = {}): Promise<OpenAiTestServer> {
  let mode: ServerMode = { kind: 'stream', pieces: ['Hello', ' from', ' the', ' endpoint.'] };
  let json: ((body: Record<string, unknown>) => string) | null = null;
  let refuseSchema = false;
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const state = { models: options.models ?? ['test-model'], abortedByClient: 0, cutting: false };

  const server = http.createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished && !state.cutting) state.abortedByClient += 1;
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> | null;
        try {
          body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
        } catch {
          body = null;
        }
        const path = (req.url ?? '').split('?')[0] ?? '';
        requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization ?? null, body });
        if (req.method === 'GET' && path === '/v1/models') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ object: 'list', data: state.models.map((id) => ({ id, object: 'model' })) }));
          return;
        }
        if (req.method !== 'POST' || path !== '/v1/chat/completions' || !body) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'Not found' } }));
          return;
        }
        const format = body.response_format as { type?: string } | undefined;
        if (refuseSchema && format?.type === 'json_schema') {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: "response_format type 'json_schema' is not supported" } }));
          return;
        }
        const current: ServerMode = format && json ? { kind: 'stream', pieces: splitPieces(json(body)) } : mode;
        await answer(current, body.stream === true, res);
      })();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function answer(current: ServerMode, stream: boolean, res: http.ServerResponse): Promise<void> {
    if (current.kind === 'hang') return;
    if (current.kind === 'error') {
      res.writeHead(current.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: current.message, type: 'server_error' } }));
      return;
    }
    if (current.kind === 'slow') await sleep(current.delayMs);
    const pieces = current.kind === 'drop' ? current.piecesBeforeDrop : current.pieces;
    if (!stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: 'stop' }], usage: { prompt_tokens: 7, completion_tokens: pieces.length } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    // A server reads the prompt before its first token (the benchmark's time to first token).
    if (current.kind === 'stream' && current.firstPieceDelayMs) await sleep(current.firstPieceDelayMs);
    for (const piece of pieces) {
      if (res.destroyed) return;
      res.write(`data: ${JSON.stringify(chunk(piece))}\n\n`);
      if (current.kind === 'stream' && current.pieceDelayMs) await sleep(current.pieceDelayMs);
      else await sleep(0);
    }
    if (current.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (current.kind === 'silentAfter') return;
    res.write(`data: ${JSON.stringify(chunk(null, 'stop'))}\n\n`);
    if (current.kind !== 'stream' || current.usage !== false) {
      res.write(`data: ${JSON.stringify({ ...chunk(null), choices: [], usage: { prompt_tokens: 7, completion_tokens: pieces.length, total_tokens: 7 + pieces.length } })}\n\n`);
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  let closed = false;
  const stop = async () => {
    if (closed) return;
    closed = true;
    state.cutting = true;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    get abortedByClient() {
      return state.abortedByClient;
    },
    get models() {
      return state.models;
    },
    set models(value: string[]) {
      state.models = value;
    },
    setMode: (next) => {
      mode = next;
    },
    setJson: (next) => {
      json = next;
    },
    refuseJsonSchema: (refuse) => {
      refuseSchema = refuse;
    },
    cut: stop,
    close: stop,
  };
}

/** A JSON text in a few pieces, as a server would stream it. */
function splitPieces(text: string): string[] {
  const size = Math.max(1, Math.ceil(text.length / 4));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
