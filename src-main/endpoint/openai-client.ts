import http from 'node:http';
import type { LookupFunction } from 'node:net';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import type { EndpointTimeouts } from '@shared/contract/endpoint';
import { SseParser } from './sse';

/**
 * A small OpenAI-compatible client (POST {base}/chat/completions with stream: true, GET {base}/models)
 * on node:http, so each phase has its own bound: the connection (DNS + TCP + TLS), the first generated
 * text, and the silence between pieces. A dead network fails within the connect bound instead of the
 * OS's minutes-long TCP timeout.
 */

export interface EndpointTarget {
  baseUrl: string;
  model: string;
  key: string | null;
  timeouts: EndpointTimeouts;
  /** The resolver (default: the OS's); tests pass one that never answers, as DNS on a dead network. */
  lookup?: LookupFunction;
}

export interface OpenAiMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type ResponseFormat = { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict: boolean } } | { type: 'json_object' };

export interface CompletionRequest {
  messages: OpenAiMessage[];
  maxTokens?: number;
  temperature?: number;
  responseFormat?: ResponseFormat;
}

export interface CompletionResult {
  text: string;
  cancelled: boolean;
  /** From the server's usage chunk when it sends one. */
  promptTokens: number | null;
  completionTokens: number | null;
  ttftMs: number | null;
  totalMs: number;
  finishReason: string | null;
}

/**
 * 'unreachable': no connection, a timeout, or the stream cut off (the router falls back and remembers);
 * 'http': the server answered with an error status; 'protocol': the answer is not an OpenAI stream.
 */
export type EndpointErrorKind = 'unreachable' | 'http' | 'protocol';

export class EndpointError extends Error {
  constructor(
    readonly kind: EndpointErrorKind,
    message: string,
    readonly status: number | null = null,
    /** Text had already streamed to the caller when this happened. */
    readonly afterFirstToken = false,
  ) {
    super(message);
    this.name = 'EndpointError';
  }
}

const MAX_ERROR_BODY = 16_384;
const MAX_JSON_BODY = 8 * 1024 * 1024;

/** `{base}/{path}`: the base is what the user typed (…/v1 for most servers), without a trailing slash. */
export function endpointUrl(baseUrl: string, path: string): URL {
  return new URL(`${baseUrl.replace(/\/+$/, '')}/${path}`);
}

function headersFor(target: EndpointTarget, body: string | null): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { accept: body ? 'text/event-stream, application/json' : 'application/json' };
  if (body !== null) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  if (target.key) headers.authorization = `Bearer ${target.key}`;
  return headers;
}

function describeNetworkError(error: unknown, host: string): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  if (code === 'ECONNREFUSED') return `Nothing answers at ${host} (connection refused).`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The address ${host} cannot be resolved (no network, or a typo).`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `The connection to ${host} was cut.`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${host} cannot be reached from this network.`;
  return `The endpoint at ${host} cannot be reached: ${error instanceof Error ? error.message : String(error)}`;
}

function errorMessageFromBody(status: number, body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const error = (parsed as { error: unknown }).error;
      const message = typeof error === 'string' ? error : typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : '';
      if (message) return `The endpoint answered ${status}: ${message.slice(0, 300)}`;
    }
  } catch {
    // Not JSON: the status line says enough.
  }
  return `The endpoint answered ${status}${body.trim() ? `: ${body.trim().slice(0, 200)}` : '.'}`;
}

interface Exchange {
  response: http.IncomingMessage;
  /** Ends the exchange (destroys the socket); safe to call more than once. */
  close(reason?: Error): void;
}

/**
 * Sends one request and resolves with the response once its headers arrive. The connect bound covers
 * DNS, TCP and TLS; `headersMs` bounds the wait for the status line after that.
 */
function exchange(target: EndpointTarget, method: 'GET' | 'POST', url: URL, body: string | null, headersMs: number, signal: AbortSignal): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, { method, headers: headersFor(target, body), ...(target.lookup ? { lookup: target.lookup } : {}) });
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const clearTimers = () => timers.splice(0).forEach(clearTimeout);
    const fail = (error: Error) => {
      clearTimers();
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      if (!settled) {
        settled = true;
        reject(error);
      }
    };
    const onAbort = () => fail(new DOMException('The request was stopped.', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    timers.push(setTimeout(() => fail(new EndpointError('unreachable', `No connection to ${url.host} within ${target.timeouts.connectMs} ms.`)), target.timeouts.connectMs));
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimers();
        timers.push(setTimeout(() => fail(new EndpointError('unreachable', `${url.host} accepted the connection but did not answer within ${headersMs} ms.`)), headersMs));
      };
      // A reused keep-alive socket is connected already.
      if (!socket.connecting && !(socket as { pending?: boolean }).pending) connected();
      else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    req.on('error', (error) => fail(error instanceof EndpointError || (error instanceof DOMException && error.name === 'AbortError') ? error : new EndpointError('unreachable', describeNetworkError(error, url.host))));
    req.on('response', (response) => {
      clearTimers();
      settled = true;
      resolve({
        response,
        close: (reason) => {
          signal.removeEventListener('abort', onAbort);
          // A fully read response leaves its socket to the agent for reuse (keep-alive).
          if (reason || !response.complete) req.destroy(reason);
        },
      });
    });
    req.end(body ?? undefined);
  });
}

async function readBody(response: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}

interface ChunkFields {
  content: string;
  finishReason: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
}

/** The fields Fieldmate reads from a stream chunk or a whole (non-streamed) answer. */
function readChunk(data: unknown): ChunkFields {
  const out: ChunkFields = { content: '', finishReason: null, promptTokens: null, completionTokens: null };
  if (typeof data !== 'object' || data === null) return out;
  const record = data as { choices?: unknown; usage?: unknown; error?: unknown };
  if (record.error !== undefined) throw new EndpointError('http', errorMessageFromBody(500, JSON.stringify(data)), 500);
  const choice: unknown = Array.isArray(record.choices) ? record.choices[0] : undefined;
  if (typeof choice === 'object' && choice !== null) {
    const c = choice as { delta?: { content?: unknown }; message?: { content?: unknown }; text?: unknown; finish_reason?: unknown };
    const content = c.delta?.content ?? c.message?.content ?? c.text;
    if (typeof content === 'string') out.content = content;
    if (typeof c.finish_reason === 'string') out.finishReason = c.finish_reason;
  }
  if (typeof record.usage === 'object' && record.usage !== null) {
    const usage = record.usage as { prompt_tokens?: unknown; completion_tokens?: unknown };
    out.promptTokens = num(usage.prompt_tokens);
    out.completionTokens = num(usage.completion_tokens);
  }
  return out;
}

/**
 * Streams a chat completion: `onText` receives each piece as it arrives. The signal stops it (the
 * HTTP request is destroyed; the text so far is returned with `cancelled`). Timeouts and a cut stream
 * throw EndpointError('unreachable'); an error status throws EndpointError('http').
 */
export async function streamChat(target: EndpointTarget, request: CompletionRequest, onText: (text: string) => void, signal: AbortSignal): Promise<CompletionResult> {
  const started = performance.now();
  const body = JSON.stringify({
    model: target.model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
    ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
  });
  const result: CompletionResult = { text: '', cancelled: false, promptTokens: null, completionTokens: null, ttftMs: null, totalMs: 0, finishReason: null };
  let opened: Exchange;
  try {
    opened = await exchange(target, 'POST', endpointUrl(target.baseUrl, 'chat/completions'), body, target.timeouts.firstTokenMs, signal);
  } catch (error) {
    if (signal.aborted) return { ...result, cancelled: true, totalMs: performance.now() - started };
    throw error;
  }
  const { response } = opened;
  const status = response.statusCode ?? 0;
  if (status >= 400) {
    const text = await readBody(response, MAX_ERROR_BODY).catch(() => '');
    opened.close();
    throw new EndpointError('http', errorMessageFromBody(status, text), status);
  }
  const apply = (fields: ChunkFields) => {
    if (fields.content) {
      if (result.ttftMs === null) result.ttftMs = performance.now() - started;
      result.text += fields.content;
      onText(fields.content);
    }
    result.finishReason = fields.finishReason ?? result.finishReason;
    result.promptTokens = fields.promptTokens ?? result.promptTokens;
    result.completionTokens = fields.completionTokens ?? result.completionTokens;
  };
  const streamed = String(response.headers['content-type'] ?? '').includes('text/event-stream');
  try {
    if (!streamed) {
      // A server that ignores stream: true answers with one JSON document.
      const text = await readBody(response, MAX_JSON_BODY);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new EndpointError('protocol', 'The endpoint did not answer with an OpenAI-style stream or JSON.');
      }
      apply(readChunk(parsed));
    } else {
      await readStream(response, target.timeouts, started, () => result.ttftMs !== null, (data) => apply(readChunk(data)), signal);
    }
  } catch (error) {
    opened.close();
    if (signal.aborted) return { ...result, cancelled: true, totalMs: performance.now() - started };
    if (error instanceof EndpointError) throw new EndpointError(error.kind, error.message, error.status, result.ttftMs !== null);
    throw new EndpointError('unreachable', `The stream from the endpoint was cut: ${error instanceof Error ? error.message : String(error)}`, null, result.ttftMs !== null);
  }
  opened.close();
  return { ...result, totalMs: performance.now() - started };
}

/** Reads SSE `data:` events until `[DONE]` or the end, bounding the first-text and idle waits. */
function readStream(response: http.IncomingMessage, timeouts: EndpointTimeouts, started: number, hasText: () => boolean, onData: (data: unknown) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const parser = new SseParser();
    // A multi-byte character may be split between two chunks.
    const decoder = new StringDecoder('utf8');
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      response.removeAllListeners('data');
      if (error === undefined) resolve();
      else reject(error);
    };
    const arm = () => {
      if (timer) clearTimeout(timer);
      const waitingForFirst = !hasText();
      // The first-text bound counts from the request, not from the headers (some servers send those at once).
      const ms = waitingForFirst ? Math.max(0, timeouts.firstTokenMs - (performance.now() - started)) : timeouts.idleMs;
      const message = waitingForFirst ? `No text from the endpoint within ${timeouts.firstTokenMs} ms.` : `The endpoint went silent for ${ms} ms mid-answer.`;
      timer = setTimeout(() => finish(new EndpointError('unreachable', message)), ms);
    };
    const onAbort = () => finish(new DOMException('The request was stopped.', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    arm();
    response.on('data', (chunk: Buffer) => {
      try {
        for (const data of parser.push(decoder.write(chunk))) {
          if (data === '[DONE]') return finish();
          let parsed: unknown;
          try {
            parsed = JSON.parse(data);
          } catch {
            throw new EndpointError('protocol', 'The endpoint sent a stream event that is not JSON.');
          }
          onData(parsed);
        }
        arm();
      } catch (error) {
        finish(error);
      }
    });
    response.on('end', () => {
      // Servers that close without [DONE] still delivered everything they sent.
      if (!response.complete) finish(new EndpointError('unreachable', 'The endpoint closed the stream mid-answer.'));
      else finish();
    });
    response.on('error', (error) => finish(error));
    response.on('aborted', () => finish(new EndpointError('unreachable', 'The endpoint closed the stream mid-answer.')));
  });
}

/** GET {base}/models: the ids the server offers (to test the connection and the key). */
export async function listModels(target: EndpointTarget, signal: AbortSignal): Promise<{ models: string[]; latencyMs: number }> {
  const started = performance.now();
  const opened = await exchange(target, 'GET', endpointUrl(target.baseUrl, 'models'), null, target.timeouts.firstTokenMs, signal);
  try {
    const status = opened.response.statusCode ?? 0;
    const text = await readBody(opened.response, status >= 400 ? MAX_ERROR_BODY : MAX_JSON_BODY);
    if (status >= 400) throw new EndpointError('http', errorMessageFromBody(status, text), status);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new EndpointError('protocol', 'The endpoint answered, but not with an OpenAI-style model list.');
    }
    const data = typeof parsed === 'object' && parsed !== null && 'data' in parsed ? (parsed as { data: unknown }).data : null;
    const models = Array.isArray(data) ? data.flatMap((m) => (typeof m === 'object' && m !== null && 'id' in m && typeof m.id === 'string' ? [m.id] : [])) : [];
    return { models, latencyMs: performance.now() - started };
  } finally {
    opened.close();
  }
}
