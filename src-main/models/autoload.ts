/**
 * Ready at start: the model loaded last is loaded again in the background after launch. A file whose
 * load failed or never finished (the process died mid-load) is remembered with its size and mtime and
 * not tried again until it changes on disk, or the user loads it by hand — no crash loop at start-up.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { GpuLayers } from '@shared/contract/models';
import type { Log } from '../core/logger';
import type { Db } from '../db/open';
import { readSettingsRows, writeSettingsRows } from '../settings';

const LAST_KEY = 'models.lastLoaded';
const FAILED_KEY = 'models.autoLoadFailure';

const LastLoaded = z.object({ path: z.string().min(1), contextSize: z.number().int().optional(), gpuLayers: GpuLayers.optional() });
export type LastLoaded = z.infer<typeof LastLoaded>;

const Failure = z.object({ path: z.string(), size: z.number(), mtimeMs: z.number(), reason: z.string(), at: z.number() });
type Failure = z.infer<typeof Failure>;

function read<T>(db: Db, key: string, schema: z.ZodType<T>): T | null {
  const parsed = schema.safeParse(readSettingsRows(db).get(key));
  return parsed.success ? parsed.data : null;
}

export function lastLoadedModel(db: Db): LastLoaded | null {
  return read(db, LAST_KEY, LastLoaded);
}

/** After a load the user asked for: this file is the one to load at the next start, and is trusted again. */
export function rememberLoaded(db: Db, loaded: LastLoaded): void {
  const failure = read(db, FAILED_KEY, Failure);
  const clearFailure = failure !== null && failure.path === resolve(loaded.path);
  writeSettingsRows(db, { [LAST_KEY]: { ...loaded, path: resolve(loaded.path) }, ...(clearFailure ? { [FAILED_KEY]: null } : {}) });
}

/** The user unloaded the model: the next start opens without one. */
export function forgetLoaded(db: Db): void {
  writeSettingsRows(db, { [LAST_KEY]: null });
}

export function autoLoadFailure(db: Db): Failure | null {
  return read(db, FAILED_KEY, Failure);
}

export interface AutoLoadContext {
  db: Db;
  log: Log;
  /** The setting (on by default). */
  enabled: () => boolean;
  /** Something is loaded or loading already (the user was quicker): leave it. */
  busy: () => boolean;
  /** The file is still in a models folder (resolved path), else null. */
  known: (path: string) => Promise<string | null>;
  load: (model: LastLoaded, signal: AbortSignal) => Promise<unknown>;
}

export type AutoLoadOutcome = 'disabled' | 'none' | 'missing' | 'busy' | 'skipped_failed' | 'loaded' | 'failed' | 'cancelled';

export async function autoLoadLastModel(ctx: AutoLoadContext, signal: AbortSignal): Promise<AutoLoadOutcome> {
  if (!ctx.enabled()) return 'disabled';
  const last = lastLoadedModel(ctx.db);
  if (!last) return 'none';
  const path = await ctx.known(last.path);
  const stats = path ? await stat(path).catch(() => null) : null;
  if (!path || !stats) return 'missing';
  const failure = autoLoadFailure(ctx.db);
  if (failure && failure.path === path && failure.size === stats.size && failure.mtimeMs === stats.mtimeMs) {
    ctx.log(`[models] not loading ${path} at start: it failed before (${failure.reason})`);
    return 'skipped_failed';
  }
  if (ctx.busy() || signal.aborted) return signal.aborted ? 'cancelled' : 'busy';
  // Written before the load: if the whole app dies while loading, the next start sees it and skips.
  const pending: Failure = { path, size: stats.size, mtimeMs: stats.mtimeMs, reason: 'the app stopped while loading it', at: Date.now() };
  writeSettingsRows(ctx.db, { [FAILED_KEY]: pending });
  try {
    await ctx.load({ ...last, path }, signal);
    writeSettingsRows(ctx.db, { [FAILED_KEY]: null });
    ctx.log(`[models] loaded ${path} at start`);
    return 'loaded';
  } catch (error) {
    if (signal.aborted) {
      writeSettingsRows(ctx.db, { [FAILED_KEY]: null });
      return 'cancelled';
    }
    const reason = error instanceof Error ? error.message : String(error);
    writeSettingsRows(ctx.db, { [FAILED_KEY]: { ...pending, reason } });
    ctx.log(`[models] loading ${path} at start failed: ${reason}`);
    return 'failed';
  }
}
