import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { CustomerAnalysis, parseCustomerAnalysis } from '@shared/coaching/analysis';
import { parseScorecard, Scorecard } from '@shared/coaching/scorecard';
import { AppError } from '@shared/contract/errors';
import { modelsRequests } from '@shared/contract/models';
import { llmEvents, llmRequests, type ChatMessage, type LlmStatus } from '@shared/contract/llm';
import { createLlmHost, type LlmHost } from './llm-host';

// A real child process running node-llama-cpp on a generated 64-dim, 2-layer model (1 thread).
const dir = mkdtempSync(join(tmpdir(), 'fm-host-'));
const modelPath = join(dir, 'tiny.gguf');
let host: LlmHost;
const statuses: LlmStatus[] = [];

const SYSTEM = 'You are Fieldmate, a sales coach. Answer briefly, name the objection, suggest the next sentence to say, and never invent prices or product facts that are not in the knowledge base. '.repeat(2);

beforeAll(async () => {
  writeTestGguf(modelPath, { nEmbd: 64, nLayers: 2, vocabSize: 512, contextLength: 2048, seed: 3 });
  host = createLlmHost({ gpu: false, defaultThreads: 1, defaultContextSize: 1024, defaultSequences: 4 });
  host.on('status', (s) => statuses.push(s));
  await host.load({ path: modelPath, threads: 1, contextSize: 1024, gpuLayers: 0 });
});

afterAll(async () => {
  await host?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function collectDeltas(requestId: string): { text: () => string; count: () => number; stop: () => void } {
  const parts: string[] = [];
  const stop = host.on('delta', (d) => {
    if (d.requestId === requestId) parts.push(d.text);
  });
  return { text: () => parts.join(''), count: () => parts.length, stop };
}

describe('LlmHost with a generated model in a child process', () => {
  it('loads the model and reports it in the status', () => {
    const status = host.status();
    expect(status.state).toBe('ready');
    expect(status.model).toMatchObject({ fileName: 'tiny.gguf', threads: 1, gpuLayers: 0, chatWrapper: 'ChatML', contextSize: 1024 });
    expect(host.childPid).toBeGreaterThan(0);
    expect(host.childPid).not.toBe(process.pid);
    expect(statuses.map((s) => s.state)).toEqual(expect.arrayContaining(['starting', 'loading', 'ready']));
  });

  it('streams a chat answer as deltas that add up to the result, and records the speed', async () => {
    const deltas = collectDeltas('stream-1');
    const result = await host.chat({ requestId: 'stream-1', conversationId: 'stream', systemPrompt: SYSTEM, history: [], message: 'The price is too high.', options: { maxTokens: 40, seed: 1 } });
    deltas.stop();
    expect(result.cancelled).toBe(false);
    expect(result.stats.generatedTokens).toBeGreaterThan(0);
    expect(deltas.count()).toBeGreaterThan(0);
    expect(deltas.text()).toBe(result.text);
    expect(host.status().lastGeneration?.tokensPerSecond).toBeGreaterThan(0);
  });

  it('reuses the KV cache: later turns evaluate the new message, not the whole history', async () => {
    const history: ChatMessage[] = [];
    const promptTokens: number[] = [];
    const messages = ['Hello, I am calling about the pallets.', 'We already have a supplier.', 'Send me an offer by email.', 'What about delivery times?', 'OK, and the warranty?'];
    for (const [i, message] of messages.entries()) {
      const r = await host.chat({ requestId: `kv-${i}`, conversationId: 'kv', systemPrompt: SYSTEM, history, message, options: { maxTokens: 12, seed: i } });
      promptTokens.push(r.stats.promptTokens);
      history.push({ role: 'user', text: message }, { role: 'assistant', text: r.text });
    }
    const [first = 0, ...later] = promptTokens;
    expect(first).toBeGreaterThan(200);
    // Each later turn re-evaluates at most the last answer (a random model's tokens may re-tokenize
    // differently) plus the new message and the template markers — not the growing history.
    for (const n of later) expect(n).toBeLessThan(first / 4);
    // A conversation without a cache pays for the whole history.
    const cold = await host.chat({ requestId: 'kv-cold', conversationId: 'kv-cold', systemPrompt: SYSTEM, history, message: 'Thanks.', options: { maxTokens: 4 } });
    expect(cold.stats.promptTokens).toBeGreaterThan(first * 1.5);
  });

  it('regenerates and edits-and-resends by reusing the shared prefix', async () => {
    // Its own system prompt: a recycled KV slot would otherwise already hold the shared one.
    const system = `Regeneration drill. ${SYSTEM}`;
    const first = await host.chat({ requestId: 'regen-0', conversationId: 'regen', systemPrompt: system, history: [], message: 'Is this the final price?', options: { maxTokens: 16, seed: 1 } });
    const again = await host.chat({ requestId: 'regen-1', conversationId: 'regen', systemPrompt: system, history: [], message: 'Is this the final price?', options: { maxTokens: 16, seed: 2 } });
    const edited = await host.chat({ requestId: 'regen-2', conversationId: 'regen', systemPrompt: system, history: [], message: 'Is this the final price for 20 pallets?', options: { maxTokens: 16, seed: 2 } });
    expect(first.stats.promptTokens).toBeGreaterThan(100);
    expect(again.stats.promptTokens).toBeLessThan(20);
    expect(edited.stats.promptTokens).toBeLessThan(40);
  });

  it('cancels a generation mid-stream through its signal', async () => {
    // Greedy decoding on this model loops without an end token: 300 tokens uncancelled prove the
    // cancelled run below would have kept going.
    const uncancelled = await host.complete({ requestId: 'long-0', prompt: 'Pallet 17 contains', options: { maxTokens: 300, temperature: 0 } });
    expect(uncancelled.stats.stopReason).toBe('maxTokens');
    const deltas = collectDeltas('long-1');
    const controller = new AbortController();
    const off = host.on('delta', (d) => {
      if (d.requestId === 'long-1') controller.abort();
    });
    const result = await host.complete({ requestId: 'long-1', prompt: 'Pallet 17 contains', options: { maxTokens: 100_000, temperature: 0 } }, { signal: controller.signal });
    off();
    deltas.stop();
    expect(result.cancelled).toBe(true);
    expect(result.stats.stopReason).toBe('cancelled');
    expect(result.stats.generatedTokens).toBeLessThan(300);
    expect(result.text).toBe(deltas.text());
    expect(host.status().activeRequestId).toBeNull();
  });

  it('serialises requests and cancels a queued one without running it', async () => {
    const controller = new AbortController();
    const running = host.complete({ requestId: 'q-0', prompt: 'First', options: { maxTokens: 50 } });
    const queued = host.complete({ requestId: 'q-1', prompt: 'Second', options: { maxTokens: 50 } }, { signal: controller.signal });
    expect(host.status().queued).toBeGreaterThanOrEqual(1);
    controller.abort();
    const [a, b] = await Promise.all([running, queued]);
    expect(a.cancelled).toBe(false);
    expect(b).toMatchObject({ cancelled: true, text: '', stats: { generatedTokens: 0 } });
  });

  it('times out a request that runs too long, and keeps working', async () => {
    const error = await host.complete({ requestId: 't-0', prompt: 'Pallet 17 contains', options: { maxTokens: 100_000, temperature: 0, timeoutMs: 300 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('TIMEOUT');
    const next = await host.complete({ requestId: 't-1', prompt: 'Fast', options: { maxTokens: 5 } });
    expect(next.stats.generatedTokens).toBeGreaterThan(0);
  });

  it('produces schema-valid JSON for many seeds (enums, clamped numbers)', async () => {
    const Analysis = z.object({
      archetype: z.enum(['analyst', 'driver', 'amiable', 'expressive']),
      confidence: z.number().min(0).max(1),
      likelihood: z.int().min(0).max(100),
      objections: z.array(z.object({ category: z.enum(['price', 'timing', 'trust', 'need']), quote: z.string().max(24) })).max(2),
      sentiment: z.enum(['negative', 'neutral', 'positive']),
      followUp: z.boolean(),
    });
    for (let seed = 0; seed < 16; seed++) {
      const result = await host.generateJson({ requestId: `json-${seed}`, prompt: 'Customer: "Too expensive, call me next quarter."', schema: Analysis, options: { seed, temperature: 1, maxTokens: 400 } });
      expect(Analysis.parse(result.json)).toEqual(result.json);
      expect(result.json.confidence).toBeGreaterThanOrEqual(0);
      expect(result.json.confidence).toBeLessThanOrEqual(1);
    }
  });

  it("constrains the coach's customer analysis and roleplay scorecard by grammars derived from their zod schemas", async () => {
    for (let seed = 0; seed < 3; seed++) {
      const analysis = await host.generateJson({ requestId: `analysis-${seed}`, prompt: 'Customer: "Too expensive."', schema: CustomerAnalysis, options: { seed, temperature: 1 } });
      expect(CustomerAnalysis.parse(analysis.json)).toEqual(analysis.json);
      expect(parseCustomerAnalysis(analysis.json).archetype).toBe(analysis.json.archetype);
      const card = await host.generateJson({ requestId: `card-${seed}`, prompt: 'Score the salesperson.', schema: Scorecard, options: { seed, temperature: 1 } });
      expect(Scorecard.parse(card.json)).toEqual(card.json);
      expect(parseScorecard(card.json).closing.score).toBe(card.json.closing.score);
    }
  });

  it('treats JSON that does not validate as an error, never as a result', async () => {
    const Impossible = z.object({ code: z.string().max(8).refine((v) => v === 'no-model-writes-this', 'not the expected code') });
    const error = await host.generateJson({ requestId: 'json-bad', prompt: 'Code?', schema: Impossible, options: { seed: 1 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('MODEL_ERROR');
    expect((error as AppError).message).toMatch(/does not match the schema/);
  });

  it('accepts a plain JSON Schema through the IPC entry point', async () => {
    const result = await host.generate({ mode: 'json', requestId: 'ipc-json', prompt: 'Rate it', jsonSchema: { type: 'object', properties: { rating: { type: 'integer', minimum: 1, maximum: 5 } }, required: ['rating'] }, options: { seed: 4 } });
    expect(result.json).toEqual({ rating: expect.any(Number) });
    const rating = (result.json as { rating: number }).rating;
    expect(rating >= 1 && rating <= 5).toBe(true);
  });

  it('computes embeddings', async () => {
    const { dimensions, vectors } = await host.embed({ texts: ['archetype: analyst', 'archetype: driver', 'archetype: analyst'] });
    expect(dimensions).toBe(64);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) expect(v.every((x) => Number.isFinite(x))).toBe(true);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
  });

  it('estimates the fit in RAM on this machine', async () => {
    const { summary, fit, fitError } = await host.inspect(modelPath, { contextSize: 1024 });
    expect(summary.loadable).toBe(true);
    expect(fitError).toBeNull();
    expect(fit).toMatchObject({ contextSize: 1024, fitsInRam: true, verdict: 'fits' });
    expect(fit?.ramBytes).toBeGreaterThan(summary.sizeBytes / 2);
  });

  it('returns exactly the shapes the IPC contract declares', async () => {
    const result = await host.chat({ requestId: 'contract', conversationId: 'contract', history: [], message: 'Hi', options: { maxTokens: 4 } });
    expect(() => llmRequests['llm:generate'].output.parse(result)).not.toThrow();
    expect(() => llmRequests['llm:status'].output.parse(host.status())).not.toThrow();
    const inspected = await host.inspect(modelPath);
    expect(() => modelsRequests['models:inspect'].output.parse(inspected)).not.toThrow();
    const embedded = await host.embed({ texts: ['a'] });
    expect(() => llmRequests['llm:embed'].output.parse(embedded)).not.toThrow();
    for (const s of statuses) llmEvents['llm:status'].payload.parse(s);
  });

  it('unloads, and then refuses to generate with a clear error', async () => {
    await host.unload();
    expect(host.status()).toMatchObject({ state: 'idle', model: null });
    const error = await host.complete({ requestId: 'none', prompt: 'x' }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('UNAVAILABLE');
    expect((error as AppError).message).toMatch(/No model is loaded/);
  });
});
