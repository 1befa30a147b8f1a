import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointError, listModels, streamChat, type EndpointTarget } from '@main/endpoint/openai-client';
import { SseParser } from '@main/endpoint/sse';
import { startOpenAiServer, type OpenAiTestServer } from '../helpers/openai-server';

let server: OpenAiTestServer;
beforeAll(async () => {
  server = await startOpenAiServer();
});
afterAll(() => server.close());

const target = (overrides: Partial<EndpointTarget['timeouts']> = {}, key: string | null = 'sk-test'): EndpointTarget => ({
  baseUrl: server.baseUrl,
  model: 'test-model',
  key,
  timeouts: { connectMs: 2000, firstTokenMs: 3000, idleMs: 3000, ...overrides },
});
const user = [{ role: 'user' as const, content: 'Hi' }];
const signal = () => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<EndpointError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EndpointError);
  return error as EndpointError;
}

describe('SSE parser', () => {
  it('joins data lines per event across arbitrary chunk boundaries and CRLF', () => {
    const parser = new SseParser();
    const text = ': comment\r\ndata: {"a":1}\r\n\r\nevent: x\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n';
    const events: string[] = [];
    for (let i = 0; i < text.length; i += 3) events.push(...parser.push(text.slice(i, i + 3)));
    expect(events).toEqual(['{"a":1}', 'line1\nline2', '[DONE]']);
  });
});

describe('OpenAI-compatible client', () => {
  it('streams pieces in order, sends the key and the model, and reads usage', async () => {
    server.setMode({ kind: 'stream', pieces: ['Zażółć', ' gęślą', ' jaźń.'] });
    const pieces: string[] = [];
    const result = await streamChat(target(), { messages: user, maxTokens: 50 }, (t) => pieces.push(t), signal());
    expect(pieces).toEqual(['Zażółć', ' gęślą', ' jaźń.']);
    expect(result).toMatchObject({ text: 'Zażółć gęślą jaźń.', cancelled: false, promptTokens: 7, completionTokens: 3, finishReason: 'stop' });
    const last = server.requests.at(-1)!;
    expect(last.authorization).toBe('Bearer sk-test');
    expect(last.body).toMatchObject({ model: 'test-model', stream: true, max_tokens: 50, messages: user });
  });

  it('sends no Authorization header without a key', async () => {
    server.setMode({ kind: 'stream', pieces: ['ok'] });
    await streamChat(target({}, null), { messages: user }, () => undefined, signal());
    expect(server.requests.at(-1)!.authorization).toBeNull();
  });

  it('reports an error status with the server message, as an http error', async () => {
    server.setMode({ kind: 'error', status: 401, message: 'Invalid API key' });
    const error = await failure(streamChat(target(), { messages: user }, () => undefined, signal()));
    expect(error.kind).toBe('http');
    expect(error.status).toBe(401);
    expect(error.message).toContain('Invalid API key');
  });

  it('a server that accepts and never answers fails at the first-token bound', async () => {
    server.setMode({ kind: 'hang' });
    const error = await failure(streamChat(target({ firstTokenMs: 500 }), { messages: user }, () => undefined, signal()));
    expect(error.kind).toBe('unreachable');
    expect(error.afterFirstToken).toBe(false);
  });

  it('a slow start within the bound still answers', async () => {
    server.setMode({ kind: 'slow', delayMs: 200, pieces: ['late', ' but', ' fine'] });
    const result = await streamChat(target({ firstTokenMs: 5000 }), { messages: user }, () => undefined, signal());
    expect(result.text).toBe('late but fine');
  });

  it('a stream cut mid-answer is unreachable after the first token, with the text so far delivered', async () => {
    server.setMode({ kind: 'drop', piecesBeforeDrop: ['half', ' an'] });
    const pieces: string[] = [];
    const error = await failure(streamChat(target(), { messages: user }, (t) => pieces.push(t), signal()));
    expect(error.kind).toBe('unreachable');
    expect(error.afterFirstToken).toBe(true);
    expect(pieces.join('')).toBe('half an');
  });

  it('a stream that goes silent mid-answer fails at the idle bound', async () => {
    server.setMode({ kind: 'silentAfter', pieces: ['one'] });
    const error = await failure(streamChat(target({ idleMs: 500 }), { messages: user }, () => undefined, signal()));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/silent/);
  });

  it('stop aborts the HTTP request and returns the text so far as cancelled', async () => {
    server.setMode({ kind: 'stream', pieces: ['a ', 'b ', 'c ', 'd ', 'e '], pieceDelayMs: 50 });
    const controller = new AbortController();
    const before = server.requests.length;
    const result = await streamChat(target(), { messages: user }, (t) => {
      if (t === 'b ') controller.abort();
    }, controller.signal);
    expect(result.cancelled).toBe(true);
    expect(result.text).toBe('a b ');
    expect(server.requests.length).toBe(before + 1);
  });

  it('nothing listening fails fast as unreachable', async () => {
    const closed = await startOpenAiServer();
    await closed.close();
    const error = await failure(streamChat({ ...target(), baseUrl: closed.baseUrl }, { messages: user }, () => undefined, signal()));
    expect(error.kind).toBe('unreachable');
  });

  it('a dead network (the name never resolves) fails within the connect bound', async () => {
    const dead: EndpointTarget = { ...target({ connectMs: 300 }), baseUrl: 'http://llm.example.invalid/v1', lookup: () => undefined };
    const error = await failure(streamChat(dead, { messages: user }, () => undefined, signal()));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toMatch(/No connection .* within 300 ms/);
  });

  it('lists models', async () => {
    const result = await listModels(target(), signal());
    expect(result.models).toEqual(['test-model']);
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models', authorization: 'Bearer sk-test' });
  });
});
