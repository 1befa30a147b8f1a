import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import type { Core } from '@main/composition/create-core';
import { createTempCore } from '../helpers/temp-core';

// The whole path a window uses: contract channels → models service → LLM host → child process with a
// real generated GGUF → events back. The model is never loaded in this test process.
let core: Core;
let modelPath: string;
const events: { channel: string; payload: unknown }[] = [];

beforeAll(async () => {
  core = createTempCore();
  fs.mkdirSync(core.paths.userModelsDir, { recursive: true });
  modelPath = path.join(core.paths.userModelsDir, 'tiny-chat.gguf');
  writeTestGguf(modelPath, { nEmbd: 64, nLayers: 2, vocabSize: 512, contextLength: 2048, seed: 11 });
  core.events.subscribe((channel, payload) => events.push({ channel, payload }));
  await core.call('settings:update', { llmThreads: 1 });
});
afterAll(() => core.close());

const ok = async (channel: string, input: unknown) => {
  const result = await core.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as Record<string, unknown>;
};

describe('models and llm channels with a generated GGUF', () => {
  it('lists and inspects the model without loading it', async () => {
    const list = await ok('models:list', {});
    const models = list.models as { path: string; source: string; summary: { architecture: string; chatTemplate: boolean } | null; loaded: boolean }[];
    const entry = models.find((m) => m.path === modelPath);
    expect(entry).toMatchObject({ source: 'user', loaded: false, summary: { architecture: 'llama', chatTemplate: true } });
    expect(core.llm.startedHost()).toBeNull();
    const inspected = await ok('models:inspect', { path: modelPath, contextSize: 1024 });
    expect(inspected).toMatchObject({ summary: { loadable: true }, fit: { fitsInRam: true } });
  });

  it('refuses paths outside the model folders', async () => {
    expect(await core.call('models:load', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await core.call('models:inspect', { path: core.paths.dbFile })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('loads with the threads from settings, streams a chat as llm:delta, and reports status', async () => {
    const loaded = await ok('models:load', { path: modelPath, contextSize: 1024, gpuLayers: 0 });
    expect(loaded).toMatchObject({ threads: 1, chatWrapper: 'ChatML' });
    events.length = 0;
    const result = await ok('llm:generate', { mode: 'chat', requestId: 'chat-1', conversationId: 'conv-1', history: [], message: 'Hello', options: { maxTokens: 24, seed: 1 } });
    const deltas = events.filter((e) => e.channel === 'llm:delta').map((e) => (e.payload as { text: string }).text);
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(result.text);
    const status = await ok('llm:status', {});
    expect(status).toMatchObject({ state: 'ready', model: { path: modelPath } });
    expect(events.some((e) => e.channel === 'llm:status')).toBe(true);
  });

  it('lets the coach answer with the model: instant fallback now, a streamed reply after', async () => {
    const session = await ok('coaching:startSession', { title: 'Model test', language: 'en' });
    events.length = 0;
    const sent = await ok('coaching:send', { requestId: 'coach-1', sessionId: session.id, text: 'This is too expensive for us.', role: 'client' });
    expect(sent.model).toBe('streaming');
    expect(sent.instant).not.toBeNull();
    await expect.poll(() => events.some((e) => e.channel === 'coaching:done' && (e.payload as { requestId: string }).requestId === 'coach-1'), { timeout: 60_000 }).toBe(true);
    const done = events.find((e) => e.channel === 'coaching:done')!.payload as { cancelled: boolean; error: string | null; message: { source: string } | null };
    expect(done.error).toBeNull();
    expect(done.message?.source).toBe('model');
  });

  it('unloads, and the coach falls back again', async () => {
    await ok('models:unload', {});
    const status = await ok('coaching:status', {});
    expect(status.modelReady).toBe(false);
  });
});
