import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import type { LoadedModel } from '@shared/contract/models';
import type { Core } from '../composition/create-core';
import { inspectGguf } from '../models';
import { UsageError, type CliValues } from './command';

/** A positive integer option (`--threads 2`), or undefined when absent. */
export function intOption(values: CliValues, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export interface CliModelOptions {
  threads?: number;
  contextSize?: number;
  signal: AbortSignal;
}

/**
 * Loads a GGUF named on the command line in the model child process. Unlike the app's pages, the CLI
 * may name any path (the user typed it): the header is checked in this process first, so a truncated
 * or non-GGUF file fails with one clear sentence instead of reaching the native loader. Threads are
 * always explicit (the option, else Settings, else the machine's parallelism).
 */
export async function loadCliModel(core: Core, file: string, options: CliModelOptions): Promise<LoadedModel> {
  const absolute = path.resolve(file);
  const summary = await inspectGguf(absolute);
  if (!summary.loadable) throw new AppError('MODEL_ERROR', `${summary.fileName} cannot be loaded: ${summary.problems.join(' ')}`);
  const threads = options.threads ?? core.llm.threads();
  // One conversation plus the scratch slot: a one-shot command needs no more KV cache than that.
  return core.llm.host().load({ path: absolute, threads, contextSize: options.contextSize, sequences: 2 }, { signal: options.signal });
}

/** Unloads before the core closes (the core's close then stops the child, so the process can exit). */
export async function unloadCliModel(core: Core): Promise<void> {
  await core.llm.startedHost()?.unload().catch(() => undefined);
}
