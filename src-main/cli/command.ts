import type { ParseArgsConfig } from 'node:util';
import type { Core } from '../composition/create-core';

export type CliOptions = NonNullable<ParseArgsConfig['options']>;
export type CliValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliContext {
  /** Opens the store on first use (commands that do not need it never touch it). */
  core(): Core;
  dataDir: string;
  json: boolean;
  /** Streams text to stdout (for `llm generate` and progress lines). */
  out(text: string): void;
  /** Progress and notes for people (stderr), so stdout stays clean for pipes and --json. */
  err(text: string): void;
  signal: AbortSignal;
}

/**
 * One row of the CLI's command table. `path` is the words that select it ("db backup"); later issues
 * add rows (models, llm, coach, import, export, sync) without touching the dispatcher.
 */
export interface CliCommand {
  path: string[];
  usage: string;
  summary: string;
  options?: CliOptions;
  /** Returns what `--json` prints; `human` (optional) formats it for people. */
  run(ctx: CliContext, positionals: string[], values: CliValues): Promise<unknown>;
  human?(result: unknown): string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function requirePositional(positionals: string[], index: number, name: string): string {
  const value = positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing <${name}>`);
  return value;
}
