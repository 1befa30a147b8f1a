import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ImportProgress } from '../../src-shared/pallets/schemas';
import type { Core } from '../core/create-core';
import type { HandlerContext, HandlerTable } from '../core/dispatch';
import { PalletService } from './pallet-service';
import type { WorkerEntry } from './spreadsheet';

type PalletChannels =
  | 'pallets:open' | 'pallets:preview' | 'pallets:import' | 'pallets:close' | 'pallets:analyses' | 'pallets:analysis' | 'pallets:update' | 'pallets:delete'
  | 'pallets:lines' | 'pallets:line' | 'pallets:rescore' | 'pallets:export'
  | 'pallets:rules' | 'pallets:saveRule' | 'pallets:deleteRule' | 'pallets:previewRule' | 'pallets:dashboard';

/**
 * The spreadsheet worker of this build. From source (tsx, vitest) spreadsheet.ts finds its .ts sibling
 * itself; the built app bundles main into out/main/index.js and ships the worker as its own entry
 * (electron.vite.config.ts), out/main/spreadsheet-worker.js under the app folder.
 */
export function palletWorkerEntry(appRoot: string, moduleUrl = import.meta.url): WorkerEntry | undefined {
  if (/\.ts$/.test(new URL(moduleUrl).pathname)) return undefined;
  return { url: pathToFileURL(path.join(appRoot, 'out', 'main', 'spreadsheet-worker.js')), execArgv: [] };
}

/** Progress to `pallets:progress` with the caller's request id, at most ~10 a second (phase changes and the end always). */
export function throttledProgress(ctx: Pick<HandlerContext, 'events'>, requestId: string, intervalMs = 100): (p: ImportProgress) => void {
  let last = 0;
  let phase: string | null = null;
  return (p) => {
    const now = performance.now();
    if (p.phase === phase && p.phase !== 'done' && p.done !== p.total && now - last < intervalMs) return;
    last = now;
    phase = p.phase;
    ctx.events.emit('pallets:progress', { ...p, requestId });
  };
}

const services = new WeakMap<Core, PalletService>();
/** Long enough for the window to load first; the aggregation blocks the main thread (~250 ms per million lines). */
const DASHBOARD_WARM_UP_MS = 3000;

/** The core's pallet service (created with the handlers): the CLI's way in. */
export function palletService(core: Core): PalletService {
  const service = services.get(core);
  if (!service) throw new Error('The pallet handlers are not registered in this core.');
  return service;
}

export function palletsHandlers(core: Core): Pick<HandlerTable, PalletChannels> {
  const service = new PalletService({
    db: core.db,
    events: core.events,
    log: core.log,
    dataDir: core.paths.dataDir,
    worker: palletWorkerEntry(core.paths.appRoot),
    allowPaths: core.options.transport === 'cli',
  });
  services.set(core, service);
  core.onClose(() => service.shutdown());
  // Imports, re-scores and pulls keep the dashboard's cache fresh; what is left stale (a migration emptied
  // it, a pull was interrupted) is aggregated shortly after start-up, not when the user opens the charts.
  const warmUp = setTimeout(() => service.aggregateStaleDashboards(), DASHBOARD_WARM_UP_MS);
  warmUp.unref();
  core.onClose(() => clearTimeout(warmUp));
  const ok = { ok: true as const };
  return {
    'pallets:open': ({ requestId, source }, ctx) => service.open(source, ctx.signal, throttledProgress(ctx, requestId)),
    'pallets:preview': (input) => service.preview(input),
    'pallets:import': (input, ctx) => service.import(input, ctx.signal, throttledProgress(ctx, input.requestId)),
    'pallets:close': async ({ fileId }) => {
      await service.close(fileId);
      return ok;
    },
    'pallets:analyses': () => service.analyses(),
    'pallets:analysis': ({ analysisId }) => service.analysis(analysisId),
    'pallets:update': ({ analysisId, patch }) => service.update(analysisId, patch),
    'pallets:delete': async ({ analysisId }) => {
      await service.delete(analysisId);
      return ok;
    },
    'pallets:lines': (input) => service.lines(input),
    'pallets:line': ({ lineId }) => service.line(lineId),
    'pallets:rescore': ({ requestId, analysisId }, ctx) => service.rescore(analysisId, ctx.signal, throttledProgress(ctx, requestId)),
    'pallets:export': async ({ requestId, analysisId }, ctx) => {
      const { rows: _rows, ...written } = await service.export(analysisId, ctx.signal, throttledProgress(ctx, requestId));
      return written;
    },
    'pallets:rules': () => service.rules(),
    'pallets:saveRule': ({ id, draft }) => service.saveRule(id, draft),
    'pallets:deleteRule': ({ id }) => {
      service.deleteRule(id);
      return ok;
    },
    'pallets:previewRule': ({ analysisId, id, draft }) => service.previewRule(analysisId, id, draft),
    'pallets:dashboard': ({ analysisId }) => service.dashboard(analysisId),
  };
}
