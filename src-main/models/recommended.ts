/**
 * The recommended-models catalog shipped as data (recommended-models.json) and a fit estimate for this
 * machine before any file exists. The estimate is a formula, not GgufInsights (which needs the file):
 *
 *   weights  = the file's size (a GGUF is its weights plus a small header)
 *   kv cache = context × 0.00003 × parameters bytes — a grouped-query-attention model at f16 keeps about
 *              2 × layers × kv-dimension × 2 bytes per token; for the catalog's families that is 0.75e-5
 *              (Qwen2.5 7B) to 3.6e-5 (Llama 3.2 3B) × parameters, so 3e-5 errs on the generous side
 *   overhead = 250 MB for the runtime plus 10% of the weights for compute buffers
 *
 * A model fits when it needs at most half the machine's RAM (the app, the browser and the OS keep the
 * rest), is tight up to three quarters, and is too big above that. On a GPU with enough VRAM for all of
 * it, it runs there and needs only the runtime's RAM.
 *
 * Speed: generating a token reads every weight once, so tokens/s ≈ memory bandwidth ÷ weight bytes.
 * Assumed bandwidth: 15 GB/s on CPU (measured here: a 442 MB model generated 30–34 tok/s on 2 threads,
 * NOTES.md) and 150 GB/s on a laptop GPU. Classes: fast ≥ 15 tok/s (reads faster than people do),
 * usable ≥ 6, slow ≥ 2, too slow below.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import { AppError } from '@shared/contract/errors';
import { RecommendedModel, type MachineInfo, type RecommendedFit, type SpeedClass } from '@shared/contract/models';
import shipped from './recommended-models.json';

const Catalog = z.object({ version: z.literal(1), note: z.string().optional(), models: z.array(RecommendedModel).max(200) });

const KV_BYTES_PER_TOKEN_PER_PARAMETER = 0.00003;
const RUNTIME_BYTES = 250 * 1024 * 1024;
const CPU_BANDWIDTH = 15e9;
const GPU_BANDWIDTH = 150e9;

/** The shipped catalog, or another file in the same format (tests point entries at a loopback server). */
export function loadRecommendedModels(file?: string | null): RecommendedModel[] {
  let raw: unknown = shipped;
  if (file) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new AppError('VALIDATION', `The model catalog ${file} could not be read: ${error instanceof Error ? error.message : String(error)}.`);
    }
  }
  const parsed = Catalog.safeParse(raw);
  if (!parsed.success) throw new AppError('VALIDATION', `The model catalog is not valid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`);
  const ids = new Set<string>();
  for (const model of parsed.data.models) {
    if (ids.has(model.id)) throw new AppError('VALIDATION', `The model catalog lists ${model.id} twice.`);
    ids.add(model.id);
  }
  return parsed.data.models;
}

export function machineInfo(gpu: { totalVramBytes: number; name: string } | null = null): MachineInfo {
  return {
    totalRamBytes: os.totalmem(),
    freeRamBytes: os.freemem(),
    totalVramBytes: gpu?.totalVramBytes ?? null,
    gpu: gpu?.name ?? null,
    cpuCores: os.availableParallelism(),
  };
}

function speedClass(tokensPerSecond: number): SpeedClass {
  if (tokensPerSecond >= 15) return 'fast';
  if (tokensPerSecond >= 6) return 'usable';
  if (tokensPerSecond >= 2) return 'slow';
  return 'too_slow';
}

/** The formula above, for one model with a context of `contextSize` tokens. */
export function estimateRecommendedFit(model: Pick<RecommendedModel, 'parameters' | 'sizeBytes' | 'bitsPerWeight'>, machine: MachineInfo, contextSize: number): RecommendedFit {
  // Approximate sizes in the catalog may be missing precision; parameters × bits is the fallback floor.
  const weights = Math.max(model.sizeBytes, Math.round((model.parameters * model.bitsPerWeight) / 8));
  const kv = Math.round(contextSize * KV_BYTES_PER_TOKEN_PER_PARAMETER * model.parameters);
  const total = weights + kv + RUNTIME_BYTES + Math.round(weights * 0.1);
  const onGpu = machine.totalVramBytes !== null && total - RUNTIME_BYTES <= machine.totalVramBytes * 0.9;
  const ramBytes = onGpu ? RUNTIME_BYTES : total;
  const vramBytes = onGpu ? total - RUNTIME_BYTES : 0;
  const share = ramBytes / machine.totalRamBytes;
  const verdict = share <= 0.5 ? 'fits' : share <= 0.75 ? 'tight' : 'too_big';
  const tokensPerSecond = Math.round(((onGpu ? GPU_BANDWIDTH : CPU_BANDWIDTH) / weights) * 10) / 10;
  return { ramBytes, vramBytes, verdict, speed: speedClass(tokensPerSecond), tokensPerSecond, onGpu };
}
