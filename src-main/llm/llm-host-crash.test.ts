import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { AppError } from '@shared/contract/errors';
import { createLlmHost, type LlmHost, type LlmHostEvents } from './llm-host';

// Real child processes: a GGUF without llama.feed_forward_length makes llama.cpp abort (SIGABRT).
const dir = mkdtempSync(join(tmpdir(), 'fm-crash-'));
const good = join(dir, 'good.gguf');
const aborting = join(dir, 'no-ff.gguf');
const hosts: LlmHost[] = [];

beforeAll(() => {
  writeTestGguf(good, { seed: 5 });
  writeTestGguf(aborting, { seed: 5, omitKeys: ['llama.feed_forward_length'] });
  const bytes = readFileSync(good);
  writeFileSync(join(dir, 'truncated.gguf'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  writeFileSync(join(dir, 'notes.gguf'), 'Meeting notes: call the client on Monday.');
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
  rmSync(dir, { recursive: true, force: true });
});

function newHost(validateBeforeLoad: boolean): LlmHost {
  const host = createLlmHost({ gpu: false, defaultThreads: 1, defaultContextSize: 512, validateBeforeLoad });
  hosts.push(host);
  return host;
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('LlmHost crash isolation', () => {
  it('refuses files that would abort the loader, before they reach the child', async () => {
    const host = newHost(true);
    const error = await failure(host.load({ path: aborting }));
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toMatch(/no-ff\.gguf cannot be loaded: The header is missing llama\.feed_forward_length/);
    expect((await failure(host.load({ path: join(dir, 'truncated.gguf') }))).message).toMatch(/truncated\.gguf is truncated/);
    expect((await failure(host.load({ path: join(dir, 'notes.gguf') }))).message).toMatch(/not a GGUF model file/);
    expect(host.status().restarts).toBe(0);
    await host.load({ path: good });
    expect(host.status().state).toBe('ready');
  });

  it('survives a loader abort: marks the model broken, restarts the child, and the next load works', async () => {
    const host = newHost(false);
    const crashes: LlmHostEvents['crash'][] = [];
    host.on('crash', (c) => crashes.push(c));
    await host.start();
    const firstPid = host.childPid;

    const error = await failure(host.load({ path: aborting }));
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toMatch(/Loading no-ff\.gguf crashed the model process \(signal SIGABRT: GGML_ASSERT/);
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatchObject({ modelPath: aborting, signal: 'SIGABRT' });
    expect(host.status().broken).toEqual([{ path: aborting, reason: error.message }]);

    // Marked broken: a second attempt is refused without another crash.
    const again = await failure(host.load({ path: aborting }));
    expect(again.message).toBe(error.message);
    expect(crashes).toHaveLength(1);

    // A file the loader rejects cleanly is an error with llama.cpp's reason, not a crash.
    const truncated = await failure(host.load({ path: join(dir, 'truncated.gguf') }));
    expect(truncated.message).toMatch(/^truncated\.gguf could not be loaded: .*not within the file bounds/);
    expect(crashes).toHaveLength(1);

    const loaded = await host.load({ path: good });
    expect(loaded.fileName).toBe('good.gguf');
    expect(host.childPid).not.toBe(firstPid);
    const answer = await host.complete({ requestId: 'after', prompt: 'Hello', options: { maxTokens: 5 } });
    expect(answer.stats.generatedTokens).toBeGreaterThan(0);
    expect(host.status()).toMatchObject({ state: 'ready', restarts: 1 });
  });

  it('forgets the broken mark once the file is replaced', async () => {
    const host = newHost(false);
    const path = join(dir, 'replaced.gguf');
    writeTestGguf(path, { omitKeys: ['llama.attention.head_count'] });
    await failure(host.load({ path }));
    expect(await host.brokenReason(path)).toMatch(/crashed/);
    writeTestGguf(path, { seed: 9, contextLength: 1024 });
    expect(await host.brokenReason(path)).toBeNull();
    expect((await host.load({ path })).fileName).toBe('replaced.gguf');
  });

  it('recovers when the child dies mid-generation and reloads the model', async () => {
    const host = newHost(true);
    await host.load({ path: good });
    let killed = false;
    host.on('delta', () => {
      const pid = host.childPid;
      if (!killed && pid) {
        killed = true;
        process.kill(pid, 'SIGKILL');
      }
    });
    const error = await failure(host.complete({ requestId: 'doomed', prompt: 'Pallet 17 contains', options: { maxTokens: 100_000, temperature: 0 } }));
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toMatch(/stopped \(signal SIGKILL\); it was restarted/);
    const next = await host.complete({ requestId: 'next', prompt: 'Hello', options: { maxTokens: 5 } });
    expect(next.stats.generatedTokens).toBeGreaterThan(0);
    expect(host.status()).toMatchObject({ state: 'ready', model: { fileName: 'good.gguf' }, broken: [] });
  });
});
