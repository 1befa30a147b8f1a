import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, RequestChannel, RequestOutput } from '@shared/contract';
import { createTempCore } from '../helpers/temp-core';
import { scriptedLlm } from '../helpers/scripted-llm';
import { startOpenAiServer, type OpenAiTestServer } from '../helpers/openai-server';

/**
 * The coaching path through the real core with the endpoint chosen per task: replies stream from the
 * loopback server; when it is cut (or hangs) the local model answers, or the fallback coach stands alone;
 * JSON from the endpoint is validated and clamped like the local model's; usage is counted per task.
 */
const core = createTempCore();
const events: { channel: EventChannel; payload: unknown }[] = [];
core.events.subscribe((channel, payload) => events.push({ channel, payload }));
let server: OpenAiTestServer;
beforeAll(async () => {
  server = await startOpenAiServer();
});
afterAll(async () => {
  await core.close();
  await server.close();
});

async function call<C extends RequestChannel>(channel: C, input: unknown): Promise<RequestOutput<C>> {
  const result = await core.call(channel, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as RequestOutput<C>;
}
const of = <T>(channel: EventChannel) => events.filter((e) => e.channel === channel).map((e) => e.payload as T);
let counter = 0;
const rid = () => `ep-${++counter}`;

const ANALYSIS = {
  archetype: 'analytical',
  archetype_confidence: 'high',
  needs: ['a predictable monthly cost'],
  objections: [{ category: 'price', quote: 'too expensive' }],
  buying_signals: [],
  sentiment: 'neutral',
  purchase_likelihood: 62,
  next_best_question: 'What budget did you plan?',
};

interface Done {
  requestId: string;
  message: { content: string; source: string } | null;
  error: string | null;
  cancelled: boolean;
}

async function send(text: string) {
  const lead = await call('leads:create', { name: 'Anna', language: 'en' });
  const session = await call('coaching:startSession', { leadId: lead.id });
  const requestId = rid();
  const sent = await call('coaching:send', { requestId, sessionId: session.id, text });
  await core.operations.settled(requestId);
  const done = of<Done>('coaching:done').find((d) => d.requestId === requestId) ?? null;
  const deltas = of<{ requestId: string; text: string }>('coaching:delta').filter((d) => d.requestId === requestId).map((d) => d.text);
  return { sent, done, deltas, session };
}

beforeEach(async () => {
  events.length = 0;
  core.useCoachLlm(null);
  server.setMode({ kind: 'stream', pieces: ['Ask', ' about', ' the', ' budget.'] });
  server.setJson(null);
  server.refuseJsonSchema(false);
  await call('endpoint:update', {
    baseUrl: server.baseUrl,
    model: 'test-model',
    routes: { coachReply: 'endpoint', customerAnalysis: 'endpoint', roleplay: 'local', palletAssist: 'local' },
    timeouts: { connectMs: 1000, firstTokenMs: 1000, idleMs: 1000 },
  });
});

describe('coaching through the endpoint', () => {
  it('streams the reply from the endpoint and keeps the local model for other tasks', async () => {
    core.useCoachLlm(scriptedLlm({ reply: () => 'Local answer.' }));
    server.setJson(() => JSON.stringify(ANALYSIS));
    const { sent, done, deltas } = await send("It's too expensive.");
    expect(sent.model).toBe('streaming');
    expect(deltas).toEqual(['Ask', ' about', ' the', ' budget.']);
    expect(done).toMatchObject({ error: null, cancelled: false, message: { content: 'Ask about the budget.' } });
    // The analysis went to the endpoint with the schema derived from the zod schema.
    const jsonRequest = server.requests.filter((r) => r.body?.response_format).at(-1);
    expect(jsonRequest?.body?.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    const analysis = of<{ profile: { source: string; analysis: { purchase_likelihood: number } } | null }>('coaching:analysis').at(-1);
    expect(analysis?.profile?.source).toBe('model');
  });

  it('falls back to the local model when the endpoint hangs, then skips the endpoint for a while', async () => {
    const local = scriptedLlm({ reply: () => 'Local answer.' });
    core.useCoachLlm(local);
    server.setMode({ kind: 'hang' });
    const first = await send('Too expensive.');
    expect(first.done).toMatchObject({ error: null, message: { content: 'Local answer.' } });
    const view = await call('endpoint:get', {});
    expect(view.health.state).toBe('down');
    expect(view.health.lastError).toMatch(/within 1000 ms/);
    // Remembered as down: the next reply does not wait on it at all.
    const before = server.requests.length;
    const second = await send('Still too expensive.');
    expect(second.done?.message?.content).toBe('Local answer.');
    expect(server.requests.length).toBe(before);
  });

  it('with the endpoint cut and no local model, the fallback coach answers at once and says so', async () => {
    await server.cut();
    try {
      const first = await send('Too expensive.');
      // The first attempt finds the endpoint gone: the instant suggestions stand, the reply reports why.
      expect(first.sent.instant?.source).toBe('fallback');
      expect(first.done?.error).toMatch(/fallback suggestions/);
      // Now known to be down: no model is offered, no request waits.
      const second = await send('Too expensive.');
      expect(second.sent.model).toBe('unavailable');
      expect(second.sent.instant?.notices.map((n) => n.code)).toContain('model_unavailable');
    } finally {
      server = await startOpenAiServer({ port: server.port });
    }
  });

  it('a stream cut mid-answer reports the cut answer and the endpoint is skipped next time', async () => {
    core.useCoachLlm(scriptedLlm({ reply: () => 'Local answer.' }));
    server.setMode({ kind: 'drop', piecesBeforeDrop: ['Half', ' an'] });
    const first = await send('Too expensive.');
    expect(first.deltas.join('')).toBe('Half an');
    expect(first.done?.error).toBeTruthy();
    const second = await send('Too expensive.');
    expect(second.done?.message?.content).toBe('Local answer.');
  });

  it('an endpoint without json_schema gets JSON mode; its numbers are clamped like local output', async () => {
    core.useCoachLlm(null);
    server.refuseJsonSchema(true);
    server.setJson(() => `\`\`\`json\n${JSON.stringify({ ...ANALYSIS, purchase_likelihood: 700 })}\n\`\`\``);
    await send('Too expensive.');
    const formats = server.requests.filter((r) => r.body?.response_format).slice(-2).map((r) => (r.body?.response_format as { type: string }).type);
    expect(formats).toEqual(['json_schema', 'json_object']);
    const analysis = of<{ profile: { analysis: { purchase_likelihood: number } } | null; error: string | null }>('coaching:analysis').at(-1);
    expect(analysis?.error).toBeNull();
    expect(analysis?.profile?.analysis.purchase_likelihood).toBe(100);
  });

  it('invalid JSON from the endpoint is rejected, never stored', async () => {
    server.setJson(() => JSON.stringify({ archetype: 'not-an-archetype' }));
    await send('Too expensive.');
    const analysis = of<{ profile: unknown; error: string | null }>('coaching:analysis').at(-1);
    expect(analysis?.profile).toBeNull();
    expect(analysis?.error).toMatch(/schema/);
  });

  it('"auto" uses a loopback endpoint even offline, a remote one only online', async () => {
    await call('endpoint:update', { routes: { coachReply: 'auto' } });
    core.useCoachLlm(scriptedLlm({ reply: () => 'Local answer.' }));
    expect((await send('Too expensive.')).done?.message?.content).toBe('Ask about the budget.');
    await call('endpoint:update', { baseUrl: 'https://llm.example.com/v1' });
    const before = server.requests.length;
    expect((await send('Too expensive.')).done?.message?.content).toBe('Local answer.');
    expect(server.requests.length).toBe(before);
  });

  it('ops:cancel stops a streaming endpoint reply (the HTTP request is aborted) without marking the endpoint down', async () => {
    server.setMode({ kind: 'stream', pieces: Array.from({ length: 40 }, (_, i) => ` w${i}`), pieceDelayMs: 30 });
    const lead = await call('leads:create', { name: 'Ola', language: 'en' });
    const session = await call('coaching:startSession', { leadId: lead.id });
    const requestId = rid();
    const abortedBefore = server.abortedByClient;
    const stopped = new Promise<void>((resolve) => {
      const off = core.events.subscribe((channel, payload) => {
        if (channel === 'coaching:delta' && (payload as { requestId: string }).requestId === requestId) {
          off();
          void core.call('ops:cancel', { requestId }).then(() => resolve());
        }
      });
    });
    await call('coaching:send', { requestId, sessionId: session.id, text: 'Too expensive.' });
    await stopped;
    await core.operations.settled(requestId);
    const done = of<Done>('coaching:done').find((d) => d.requestId === requestId);
    expect(done?.cancelled).toBe(true);
    expect(done?.error).toBeNull();
    expect((done?.message?.content ?? '').split(' w').length - 1).toBeLessThan(40);
    expect((await call('endpoint:get', {})).health.state).not.toBe('down');
    await expect.poll(() => server.abortedByClient).toBe(abortedBefore + 1);
  });

  it('counts tokens and time per task, source and day', async () => {
    const usage = await call('endpoint:usage', {});
    const today = usage.rows.filter((r) => r.task === 'coachReply' && r.source === 'endpoint');
    expect(today.length).toBe(1);
    expect(today[0]!.requests).toBeGreaterThan(3);
    expect(today[0]!.failures).toBeGreaterThan(0);
    expect(today[0]!.completionTokens).toBeGreaterThan(0);
    expect(today[0]!.promptTokens).toBeGreaterThan(0);
    expect(usage.rows.some((r) => r.task === 'coachReply' && r.source === 'local' && r.requests > 0)).toBe(true);
    expect(usage.rows.some((r) => r.task === 'customerAnalysis' && r.source === 'endpoint')).toBe(true);
  });

  it('tests the connection with the saved key and reports a missing model', async () => {
    await call('endpoint:update', { baseUrl: server.baseUrl, model: 'other-model', key: 'sk-live-123' });
    const result = await call('endpoint:test', {});
    expect(result).toMatchObject({ ok: true, models: ['test-model'], modelListed: false });
    expect(server.requests.at(-1)?.authorization).toBe('Bearer sk-live-123');
  });
});
