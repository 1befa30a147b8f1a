import type { GgufSummary, FitEstimate, LoadInput, LoadedModel } from '../../src-shared/contract/models';
import { modelsRequests } from '../../src-shared/contract/models';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Operations } from '../core/operations';
import type { AppPaths } from '../core/paths';
import type { Db } from '../db/open';
import { DOWNLOAD_PAUSE } from './downloader';
import { ModelsService, type LoadedState } from './models-service';

/** The model runtime as the catalog drives it (the llm feature, adapted by the composition root). */
export interface ModelRuntime extends LoadedState {
  load(input: LoadInput & { threads: number }, signal: AbortSignal): Promise<LoadedModel>;
  /** Unloads if a model is loaded (never starts the runtime). */
  unload(): Promise<void>;
  inspect(path: string, options: { contextSize?: number }): Promise<{ summary: GgufSummary; fit: FitEstimate | null; fitError: string | null }>;
  threads(): number;
}

export interface ModelsContext {
  db: Db;
  paths: AppPaths;
  events: EventBus;
  operations: Operations;
  runtime: ModelRuntime;
}

export interface ModelsFeature {
  handlers: HandlersOf<typeof modelsRequests>;
  /** The catalog and the downloader (the CLI's way in). */
  service: ModelsService;
}

/** GGUF files in the models folders, added files, downloads (resumable), and loading one into the runtime. */
export function createModelsFeature(ctx: ModelsContext): ModelsFeature {
  const service = new ModelsService({ db: ctx.db, paths: ctx.paths, events: ctx.events, runtime: ctx.runtime });
  const ok = { ok: true as const };
  return {
    service,
    handlers: {
      'models:list': async () => ({ models: await service.list(), downloads: await service.downloader.listPartial() }),
      'models:inspect': async ({ path, contextSize }) => {
        const entry = await service.requireKnown(path);
        return ctx.runtime.inspect(entry.path, { contextSize });
      },
      'models:load': async (input, op) => {
        const entry = await service.requireKnown(input.path);
        return ctx.runtime.load({ ...input, path: entry.path, threads: input.threads ?? ctx.runtime.threads() }, op.signal);
      },
      'models:unload': async () => {
        await ctx.runtime.unload();
        return ok;
      },
      'models:add': ({ path, mode }) => service.add(path, mode),
      'models:delete': async ({ path }) => {
        await service.remove(path);
        return ok;
      },
      'models:download': (input, op) => service.downloader.download(input, { signal: op.signal }),
      // Not a second cancel: a paused download is listed as paused (resume it), a cancelled one as
      // cancelled. Both stop the same operation by its request id; the abort reason tells them apart.
      'models:downloadPause': ({ requestId }) => {
        ctx.operations.cancel(requestId, DOWNLOAD_PAUSE);
        return ok;
      },
      'models:discardDownload': async ({ fileName }) => {
        await service.discardDownload(fileName);
        return ok;
      },
    },
  };
}

// GGUF headers are read by the catalog and by the model runtime (before a load, and in its child).
export { DOWNLOAD_PAUSE } from './downloader';
export { estimateFit, inspectGguf } from './gguf-inspect';
export type { ModelsService } from './models-service';
