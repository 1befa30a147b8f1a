/** Options, events, defaults and small helpers of the LLM host (see llm-host.ts). */
import type { z } from 'zod';
import type { GpuLayers } from '@shared/contract/models';
import type { GenerateResult, GenerationOptions, LlmStatus } from '@shared/contract/llm';
import type { ChildSpawner } from './child-spawner';
import type { Sampling } from './llm-protocol';

export const DEFAULT_TIMEOUTS = { startMs: 30_000, loadMs: 300_000, generateMs: 180_000, embedMs: 120_000, fitMs: 60_000 };

export interface LlmHostOptions {
  /** How to start the child; default: child_process.fork of `childEntry`. */
  spawner?: ChildSpawner;
  /** Child entry for the default spawner (llm-child.ts under tsx, out/main/llm-child.js when built). */
  childEntry?: string;
  /** Threads when a load does not say (default: the machine's available parallelism). */
  defaultThreads?: number;
  defaultContextSize?: number;
  defaultSequences?: number;
  defaultGpuLayers?: GpuLayers;
  timeouts?: Partial<{ startMs: number; loadMs: number; generateMs: number; embedMs: number; fitMs: number }>;
  /** After a cancel or timeout, how long the child may take to stop before it is killed. */
  cancelGraceMs?: number;
  /** Check the GGUF header in main before loading (turn off only to test crash recovery). */
  validateBeforeLoad?: boolean;
  /** Reload the last model after the child crashed during something other than loading. */
  reloadAfterCrash?: boolean;
  /** GPU backend for the default spawner's child: 'auto' (CUDA / Vulkan / Metal when present) or false. */
  gpu?: 'auto' | false;
}

export interface LlmHostEvents {
  delta: { requestId: string; text: string };
  status: LlmStatus;
  crash: { reason: string; modelPath: string | null; exitCode: number | null; signal: string | null };
  log: { level: string; message: string };
}

export interface StructuredInput<T> {
  requestId: string;
  prompt: string;
  systemPrompt?: string;
  schema: z.ZodType<T>;
  options?: GenerationOptions;
}

export type StructuredResult<T> = Omit<GenerateResult, 'json'> & { json: T };

export function resolveSampling(options: GenerationOptions | undefined, defaults: { maxTokens: number; temperature: number }): Sampling {
  return {
    maxTokens: options?.maxTokens ?? defaults.maxTokens,
    temperature: options?.temperature ?? defaults.temperature,
    topK: options?.topK ?? 40,
    topP: options?.topP ?? 0.95,
    seed: options?.seed,
  };
}

/** What a generation cancelled before it produced anything resolves with. */
export function cancelledResult(requestId: string): GenerateResult {
  return {
    requestId,
    text: '',
    cancelled: true,
    stats: { promptTokens: 0, generatedTokens: 0, ttftMs: 0, totalMs: 0, promptTokensPerSecond: 0, tokensPerSecond: 0, stopReason: 'cancelled' },
  };
}
