import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Core } from '@main/composition/create-core';
import { CATEGORY_KEYS } from '@shared/pallets/categories';
import { assistCore, assistManifestCsv } from '../../../test/helpers/assist-fixtures';
import { allLines, call, callError, importFile, rid } from '../../../test/helpers/pallets-channels';
import { scriptedLlm } from '../../../test/helpers/scripted-llm';
import { tempDir } from '../../../test/helpers/temp-core';
import { batchSchema } from './assist-runner';
import { isMessyName } from './suggestions-repo';

let core: Core | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

/** Answers every batch with one proposal per line, numbered by the line's text. */
function proposer() {
  return scriptedLlm({
    json: (request) => {
      const count = (request.prompt.match(/^\d+\. /gm) ?? []).length;
      return { lines: Array.from({ length: count }, (_, i) => ({ category: 'electronics', brand: `Brand${i}`, model: `M-${i}`, name: `Clean name ${i}` })) };
    },
  });
}

async function setup(messy: number, batchSize: number) {
  core = assistCore(batchSize);
  const file = assistManifestCsv(tempDir(), messy);
  const { imported } = await importFile(core, file);
  return { core, analysisId: imported.analysisId };
}

describe('pallet assist (scripted model)', () => {
  it('sends only the lines the rules could not place, in batches, with a grammar of exactly one answer per line', async () => {
    const { core: c, analysisId } = await setup(7, 3);
    const llm = proposer();
    c.useCoachLlm(llm);
    const progress: number[] = [];
    const off = c.events.subscribe((channel, payload) => {
      if (channel === 'pallets:assistProgress') progress.push((payload as { done: number }).done);
    });
    const result = await call(c, 'pallets:assist', { requestId: rid('assist'), analysisId });
    off();
    expect(result).toMatchObject({ candidates: 7, processed: 7, suggested: 7, failedBatches: 0, cancelled: false });
    expect(llm.jsons.map((j) => (j.prompt.match(/^\d+\. /gm) ?? []).length)).toEqual([3, 3, 1]);
    expect(llm.jsons.every((j) => j.task === 'palletAssist')).toBe(true);
    expect(z.toJSONSchema(llm.jsons[0]?.schema ?? z.never())).toMatchObject({ properties: { lines: { minItems: 3, maxItems: 3 } } });
    expect(progress).toEqual([0, 3, 6, 7]);
    // Tidy lines were never sent.
    expect(llm.jsons.some((j) => j.prompt.includes('Wiertarka'))).toBe(false);
    const listed = await call(c, 'pallets:suggestions', { analysisId });
    expect(listed.pending).toBe(7);
    expect(listed.suggestions[0]?.reasons.length).toBeGreaterThan(0);
    // Nothing is applied before the analyst decides.
    expect((await allLines(c, analysisId)).filter((l) => l.name?.startsWith('Clean name'))).toHaveLength(0);
    // A second run does not ask again about lines that already have a pending suggestion... it refreshes them.
    const again = await call(c, 'pallets:assist', { requestId: rid('assist'), analysisId, maxLines: 2 });
    expect(again.processed).toBe(2);
    expect((await call(c, 'pallets:suggestions', { analysisId })).pending).toBe(7);
  });

  it('accepts per line into corrections beside the original cells, rejects, and accepts the rest in bulk', async () => {
    const { core: c, analysisId } = await setup(5, 4);
    c.useCoachLlm(proposer());
    await call(c, 'pallets:assist', { requestId: rid('assist'), analysisId });
    const [first, second, third] = (await call(c, 'pallets:suggestions', { analysisId })).suggestions;
    if (!first || !second || !third) throw new Error('expected suggestions');
    const outboxBefore = (c.db.$client.prepare("SELECT count(*) AS n FROM sync_outbox WHERE table_name = 'pallet_line_corrections'").get() as { n: number }).n;
    const reasons: string[] = [];
    const off = c.events.subscribe((channel, payload) => {
      if (channel === 'pallets:changed') reasons.push((payload as { reason: string }).reason);
    });
    expect(await call(c, 'pallets:decideSuggestions', { analysisId, decision: 'accept', ids: [first.id, second.id] })).toEqual({ accepted: 2, rejected: 0 });
    off();
    // Rules read the corrected values: the analysis is scored again before the answer.
    expect(reasons).toEqual(['updated', 'rescored']);
    expect(await call(c, 'pallets:decideSuggestions', { analysisId, decision: 'reject', ids: [third.id] })).toEqual({ accepted: 0, rejected: 1 });
    const detail = await call(c, 'pallets:line', { lineId: first.lineId });
    expect(detail).toMatchObject({ name: first.proposed.name, category: 'electronics', brand: first.proposed.brand });
    // The supplier's cells are untouched; the correction keeps what it replaced and goes out with sync.
    expect(JSON.stringify(detail)).toContain(first.current.name ?? '');
    const corrections = c.db.$client.prepare('SELECT line_id AS lineId, original_json AS original, model FROM pallet_line_corrections ORDER BY line_id').all() as { lineId: string; original: string; model: string }[];
    expect(corrections.map((r) => r.lineId).sort()).toEqual([first.lineId, second.lineId].sort());
    expect(JSON.parse(corrections.find((r) => r.lineId === first.lineId)?.original ?? '{}')).toMatchObject({ name: first.current.name });
    const outboxAfter = (c.db.$client.prepare("SELECT count(*) AS n FROM sync_outbox WHERE table_name = 'pallet_line_corrections'").get() as { n: number }).n;
    expect(outboxAfter - outboxBefore).toBe(2);
    const rejectedLine = await call(c, 'pallets:line', { lineId: third.lineId });
    expect(rejectedLine.name).toBe(third.current.name);
    // A decided suggestion cannot be decided again; the rest is accepted in bulk.
    expect((await callError(c, 'pallets:decideSuggestions', { analysisId, decision: 'accept', ids: [third.id] })).code).toBe('NOT_FOUND');
    expect(await call(c, 'pallets:decideSuggestions', { analysisId, decision: 'accept' })).toEqual({ accepted: 2, rejected: 0 });
    expect((await call(c, 'pallets:suggestions', { analysisId })).pending).toBe(0);
    expect((await call(c, 'pallets:suggestions', { analysisId, status: 'accepted' })).suggestions).toHaveLength(4);
    // Decided and corrected lines are not proposed again.
    const rerun = await call(c, 'pallets:assist', { requestId: rid('assist'), analysisId });
    expect(rerun.candidates).toBe(0);
  });

  it('stops at ops:cancel between batches and keeps what was suggested', async () => {
    const { core: c, analysisId } = await setup(9, 2);
    const requestId = rid('assist');
    let answered = 0;
    c.useCoachLlm(
      scriptedLlm({
        json: (request) => {
          answered += 1;
          if (answered === 2) void c.call('ops:cancel', { requestId });
          const count = (request.prompt.match(/^\d+\. /gm) ?? []).length;
          return { lines: Array.from({ length: count }, () => ({ category: 'toys', brand: 'X', model: '', name: 'Toy' })) };
        },
      }),
    );
    const result = await call(c, 'pallets:assist', { requestId, analysisId });
    expect(result.cancelled).toBe(true);
    expect(result.processed).toBeLessThan(9);
    expect((await call(c, 'pallets:suggestions', { analysisId })).pending).toBe(result.suggested);
  });

  it('counts a batch with an invalid answer as failed and goes on; refuses without a model', async () => {
    const { core: c, analysisId } = await setup(4, 2);
    let n = 0;
    c.useCoachLlm(scriptedLlm({ json: () => (++n === 1 ? { lines: [{ category: 'not-a-key', brand: '', model: '', name: '' }] } : { lines: [0, 1].map(() => ({ category: 'home', brand: '', model: '', name: 'Thing' })) }) }));
    const result = await call(c, 'pallets:assist', { requestId: rid('assist'), analysisId });
    expect(result).toMatchObject({ failedBatches: 1, processed: 4, suggested: 2 });
    const none = scriptedLlm();
    none.isReady = false;
    c.useCoachLlm(none);
    expect((await callError(c, 'pallets:assist', { requestId: rid('assist'), analysisId })).code).toBe('UNAVAILABLE');
  });

  it('knows a messy name and builds the batch schema from the app categories', () => {
    expect(isMessyName('SLUCHAWKI BT XR-1000-PL BLK')).toBe(true);
    expect(isMessyName('odkurzacz_v11_3_szary')).toBe(true);
    expect(isMessyName('Wiertarka udarowa 750W')).toBe(false);
    expect(z.toJSONSchema(batchSchema(2))).toMatchObject({ properties: { lines: { minItems: 2, maxItems: 2, items: { properties: { category: { enum: [...CATEGORY_KEYS] } } } } } });
  });
});
