import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import type { Core } from '@main/composition/create-core';
import { CATEGORY_KEYS } from '@shared/pallets/categories';
import { assistCore, assistManifestCsv } from '../helpers/assist-fixtures';
import { call, importFile, rid } from '../helpers/pallets-channels';
import { tempDir } from '../helpers/temp-core';

// The pallet assist against a real generated GGUF in the model child: the answers are random words,
// but the grammar derived from the zod schema must make every batch valid JSON with one answer per line
// and a category from the app's keys. Mechanics only, never wording.
let core: Core;
let analysisId: string;

beforeAll(async () => {
  core = assistCore(3);
  fs.mkdirSync(core.paths.userModelsDir, { recursive: true });
  const modelPath = path.join(core.paths.userModelsDir, 'tiny-chat.gguf');
  writeTestGguf(modelPath, { nEmbd: 64, nLayers: 2, vocabSize: 512, contextLength: 2048, seed: 17 });
  await call(core, 'settings:update', { llmThreads: 1 });
  await call(core, 'models:load', { path: modelPath, contextSize: 2048, gpuLayers: 0 });
  analysisId = (await importFile(core, assistManifestCsv(tempDir(), 12))).imported.analysisId;
}, 60_000);
afterAll(() => core.close());

describe('pallet assist with a generated model', () => {
  it('turns batches into schema-valid suggestions with a category from the app', async () => {
    const result = await call(core, 'pallets:assist', { requestId: rid('assist'), analysisId, maxLines: 5 });
    expect(result).toMatchObject({ candidates: 12, processed: 5, failedBatches: 0, cancelled: false });
    const { suggestions } = await call(core, 'pallets:suggestions', { analysisId });
    expect(suggestions.length).toBe(result.suggested);
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) {
      expect(CATEGORY_KEYS).toContain(s.proposed.category);
      expect((s.proposed.name ?? '').length).toBeLessThanOrEqual(60);
      expect((s.proposed.brand ?? '').length).toBeLessThanOrEqual(24);
    }
  }, 120_000);

  it('stops a run with ops:cancel from the progress event', async () => {
    const requestId = rid('assist');
    const off = core.events.subscribe((channel, payload) => {
      if (channel === 'pallets:assistProgress' && (payload as { done: number }).done > 0) void core.call('ops:cancel', { requestId });
    });
    const result = await call(core, 'pallets:assist', { requestId, analysisId });
    off();
    expect(result.cancelled).toBe(true);
    expect(result.processed).toBeLessThan(result.candidates);
  }, 120_000);

  it('accepts two suggestions and rejects one', async () => {
    const { suggestions } = await call(core, 'pallets:suggestions', { analysisId });
    const [a, b, c] = suggestions;
    if (!a || !b || !c) throw new Error(`expected three suggestions, got ${suggestions.length}`);
    await call(core, 'pallets:decideSuggestions', { analysisId, decision: 'accept', ids: [a.id, b.id] });
    await call(core, 'pallets:decideSuggestions', { analysisId, decision: 'reject', ids: [c.id] });
    expect((await call(core, 'pallets:line', { lineId: a.lineId })).category).toBe(a.proposed.category);
    expect((await call(core, 'pallets:line', { lineId: c.lineId })).category).toBe(c.current.category);
  });
});
