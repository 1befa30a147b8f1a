import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MachineInfo } from '@shared/contract/models';
import { tempDir } from '../../test/helpers/temp-core';
import { estimateRecommendedFit, loadRecommendedModels } from './recommended';

const GiB = 1024 ** 3;
const laptop = (ramGiB: number, vramGiB: number | null = null): MachineInfo => ({
  totalRamBytes: ramGiB * GiB,
  freeRamBytes: (ramGiB / 2) * GiB,
  totalVramBytes: vramGiB === null ? null : vramGiB * GiB,
  gpu: vramGiB === null ? null : 'cuda',
  cpuCores: 4,
});

describe('recommended models catalog', () => {
  it('ships valid entries with a Polish-capable choice and no invented checksums', () => {
    const models = loadRecommendedModels();
    expect(models.length).toBeGreaterThanOrEqual(8);
    expect(models.some((m) => m.polish === 'native')).toBe(true);
    for (const m of models) {
      expect(m.url.startsWith('https://')).toBe(true);
      expect(m.url.endsWith(`/${m.fileName}`)).toBe(true);
      // Nothing could be verified offline when the catalog was written: unknown, never made up.
      expect(m.sha256).toBeNull();
    }
  });

  it('reads another catalog file and refuses a broken one', () => {
    const dir = tempDir();
    const good = path.join(dir, 'good.json');
    const entry = { ...loadRecommendedModels()[0], id: 'local-tiny', url: 'http://127.0.0.1:1/tiny.gguf', fileName: 'tiny.gguf', sha256: 'a'.repeat(64) };
    fs.writeFileSync(good, JSON.stringify({ version: 1, models: [entry] }));
    expect(loadRecommendedModels(good).map((m) => m.id)).toEqual(['local-tiny']);
    fs.writeFileSync(path.join(dir, 'dup.json'), JSON.stringify({ version: 1, models: [entry, entry] }));
    expect(() => loadRecommendedModels(path.join(dir, 'dup.json'))).toThrow(/twice/);
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ version: 1, models: [{ ...entry, sha256: 'not-hex' }] }));
    expect(() => loadRecommendedModels(path.join(dir, 'bad.json'))).toThrow(/not valid/);
  });

  it('estimates fit and speed from size, parameters and the machine', () => {
    const models = loadRecommendedModels();
    const small = models.find((m) => m.id === 'qwen2.5-0.5b-instruct-q4_k_m');
    const big = models.find((m) => m.id === 'bielik-11b-v2.3-instruct-q4_k_m');
    if (!small || !big) throw new Error('catalog entries missing');
    const weak = laptop(8);
    expect(estimateRecommendedFit(small, weak, 4096)).toMatchObject({ verdict: 'fits', speed: 'fast', onGpu: false });
    const bigOnWeak = estimateRecommendedFit(big, weak, 4096);
    expect(bigOnWeak.verdict).toBe('too_big');
    expect(['slow', 'too_slow']).toContain(bigOnWeak.speed);
    // The same model on a GPU that holds it: little RAM, much faster.
    const bigOnGpu = estimateRecommendedFit(big, laptop(16, 12), 4096);
    expect(bigOnGpu.onGpu).toBe(true);
    expect(bigOnGpu.vramBytes).toBeGreaterThan(big.sizeBytes);
    expect(bigOnGpu.tokensPerSecond).toBeGreaterThan(bigOnWeak.tokensPerSecond * 5);
    // A longer context needs more memory.
    expect(estimateRecommendedFit(big, weak, 32768).ramBytes).toBeGreaterThan(bigOnWeak.ramBytes);
  });
});
