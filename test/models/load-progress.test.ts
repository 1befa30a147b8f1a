import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tinyModelShape, writeTestGguf } from '../../scripts/make-test-gguf';
import type { LlmStatus } from '@shared/contract/llm';
import { createLlmHost } from '@main/llm/llm-host';
import { tempDir } from '../helpers/temp-core';

// The status bar's loading progress: the model child reports node-llama-cpp's load progress, the host
// puts it in its status (whole percents), and clears it when the load ends.
const host = createLlmHost({ gpu: false, defaultThreads: 1, defaultContextSize: 1024, defaultSequences: 2 });
afterAll(() => host.dispose());

describe('model load progress', () => {
  it('reports the file and its progress while loading, and nothing once loaded', async () => {
    const modelPath = path.join(tempDir(), 'progress.gguf');
    writeTestGguf(modelPath, { ...tinyModelShape, seed: 31 });
    const seen: NonNullable<LlmStatus['loading']>[] = [];
    const off = host.on('status', (status) => {
      if (status.loading) seen.push(status.loading);
    });
    await host.load({ path: modelPath });
    off();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((l) => l.path === modelPath && l.fileName === 'progress.gguf' && l.progress >= 0 && l.progress <= 1)).toBe(true);
    // Never backwards within one load.
    expect(seen.map((l) => l.progress)).toEqual([...seen.map((l) => l.progress)].sort((a, b) => a - b));
    expect(seen.some((l) => l.progress > 0)).toBe(true);
    expect(host.status()).toMatchObject({ state: 'ready', loading: null });
  });
});
