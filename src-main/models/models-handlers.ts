import type { Core } from '../core/create-core';
import type { HandlerTable } from '../core/dispatch';
import type { ModelsService } from './models-service';

type ModelChannels =
  | 'models:list'
  | 'models:inspect'
  | 'models:load'
  | 'models:unload'
  | 'models:add'
  | 'models:delete'
  | 'models:download'
  | 'models:downloadPause'
  | 'models:downloadCancel'
  | 'models:discardDownload'
  | 'llm:generate'
  | 'llm:embed'
  | 'llm:cancel'
  | 'llm:status';

const IDLE_STATUS = { state: 'stopped' as const, model: null, lastGeneration: null, lastError: null, broken: [], activeRequestId: null, queued: 0, restarts: 0 };

export function modelsHandlers(core: Core, service: ModelsService): Pick<HandlerTable, ModelChannels> {
  return {
    'models:list': async () => ({ models: await service.list(), downloads: await service.downloader.listPartial() }),
    'models:inspect': async ({ path, contextSize }) => {
      const entry = await service.requireKnown(path);
      return service.host.inspect(entry.path, { contextSize });
    },
    'models:load': async (input, ctx) => {
      const entry = await service.requireKnown(input.path);
      return service.host.load({ ...input, path: entry.path, threads: input.threads ?? service.threads() }, { signal: ctx.signal });
    },
    'models:unload': async () => {
      await service.startedHost?.unload();
      return { ok: true as const };
    },
    'models:add': ({ path, mode }) => service.add(path, mode),
    'models:delete': async ({ path }) => {
      await service.remove(path);
      return { ok: true as const };
    },
    'models:download': (input, ctx) => service.downloader.download(input, { signal: ctx.signal }),
    'models:downloadPause': ({ requestId }) => {
      service.downloader.pause(requestId);
      return { ok: true as const };
    },
    'models:downloadCancel': ({ requestId }) => {
      service.downloader.cancel(requestId);
      return { ok: true as const };
    },
    'models:discardDownload': async ({ fileName }) => {
      await service.discardDownload(fileName);
      return { ok: true as const };
    },
    'llm:generate': (input, ctx) => service.trackPublic(input.requestId, () => service.host.generate(input, { signal: ctx.signal })),
    'llm:embed': (input, ctx) => service.host.embed(input, { signal: ctx.signal }),
    'llm:cancel': ({ requestId }) => ({ cancelled: service.startedHost?.cancel(requestId) ?? false }),
    'llm:status': () => service.startedHost?.status() ?? IDLE_STATUS,
  };
}

export function attachModels(core: Core, service: ModelsService): void {
  core.onClose(() => service.dispose());
}
