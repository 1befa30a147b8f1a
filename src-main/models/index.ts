import { AppError } from '@shared/contract/errors';
import type { GgufSummary, FitEstimate, LoadInput, LoadedModel } from '@shared/contract/models';
import { modelsRequests } from '@shared/contract/models';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import type { Operations } from '../core/operations';
import type { AppPaths } from '../core/paths';
import type { Db } from '../db/open';
import { DOWNLOAD_PAUSE } from './downloader';
import { autoLoadLastModel, forgetLoaded, rememberLoaded, type AutoLoadOutcome } from './autoload';
import { ModelsService, type LoadedState } from './models-service';
import { estimateRecommendedFit, loadRecommendedModels, machineInfo } from './recommended';

/** The model runtime as the catalog drives it (the llm feature, adapted by the composition root). */
export interface ModelRuntime extends LoadedState {
  load(input: LoadInput & { threads: number }, signal: AbortSignal): Promise<LoadedModel>;
  /** Unloads if a model is loaded (never starts the runtime). */
  unload(): Promise<void>;
  inspect(path: string, options: { contextSize?: number }): Promise<{ summary: GgufSummary; fit: FitEstimate | null; fitError: string | null }>;
  threads(): number;
  /** A load is running (the status bar shows it). */
  loading(): boolean;
}

export interface ModelsContext {
  db: Db;
  paths: AppPaths;
  events: EventBus;
  operations: Operations;
  runtime: ModelRuntime;
  log: Log;
  /** The "load the last model at start" setting. */
  autoLoadEnabled: () => boolean;
  /** Another recommended-models file instead of the shipped one (tests point it at a loopback server). */
  recommendedFile?: string | null;
}

export interface ModelsFeature {
  handlers: HandlersOf<typeof modelsRequests>;
  /** The catalog and the downloader (the CLI's way in). */
  service: ModelsService;
  /** Loads the model loaded last, unless the setting is off or it failed before (see autoload.ts). */
  autoLoad(signal: AbortSignal): Promise<AutoLoadOutcome>;
}

/** Context size the catalog's fit estimate assumes (the runtime's default). */
const FIT_CONTEXT = 4096;

/** GGUF files in the models folders, added files, downloads (resumable), and loading one into the runtime. */
export function createModelsFeature(ctx: ModelsContext): ModelsFeature {
  const service = new ModelsService({ db: ctx.db, paths: ctx.paths, events: ctx.events, runtime: ctx.runtime });
  const ok = { ok: true as const };
  const recommended = () => loadRecommendedModels(ctx.recommendedFile);
  return {
    service,
    autoLoad: (signal) =>
      autoLoadLastModel(
        {
          db: ctx.db,
          log: ctx.log,
          enabled: ctx.autoLoadEnabled,
          busy: () => ctx.runtime.loading() || ctx.runtime.loadedPath() !== null,
          known: async (file) => (await service.list()).find((m) => m.path === file)?.path ?? null,
          load: (model, sig) => ctx.runtime.load({ ...model, threads: ctx.runtime.threads() }, sig),
        },
        signal,
      ),
    handlers: {
      'models:list': async () => ({ models: await service.list(), downloads: await service.downloader.listPartial() }),
      'models:inspect': async ({ path, contextSize }) => {
        const entry = await service.requireKnown(path);
        return ctx.runtime.inspect(entry.path, { contextSize });
      },
      'models:load': async (input, op) => {
        const entry = await service.requireKnown(input.path);
        const loaded = await ctx.runtime.load({ ...input, path: entry.path, threads: input.threads ?? ctx.runtime.threads() }, op.signal);
        rememberLoaded(ctx.db, { path: entry.path, contextSize: input.contextSize, gpuLayers: input.gpuLayers });
        return loaded;
      },
      'models:unload': async () => {
        await ctx.runtime.unload();
        forgetLoaded(ctx.db);
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
      'models:recommended': async () => {
        const machine = machineInfo();
        const installed = new Map((await service.list()).map((m) => [m.fileName, m.path]));
        const models = recommended().map((model) => ({ ...model, fit: estimateRecommendedFit(model, machine, FIT_CONTEXT), installedPath: installed.get(model.fileName) ?? null }));
        return { models, machine, contextSize: FIT_CONTEXT };
      },
      'models:downloadRecommended': ({ requestId, id }, op) => {
        const model = recommended().find((m) => m.id === id);
        if (!model) throw new AppError('NOT_FOUND', 'That model is not in the recommended list.');
        // The URL and the checksum come from the shipped catalog, never from the page.
        return service.downloader.download({ requestId, url: model.url, fileName: model.fileName, sha256: model.sha256 ?? undefined }, { signal: op.signal });
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
export type { AutoLoadOutcome } from './autoload';
export { estimateRecommendedFit, loadRecommendedModels } from './recommended';
