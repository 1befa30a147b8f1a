import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { palletsRequests } from '@shared/contract/pallets';
import type { ImportProgress } from '@shared/pallets/schemas';
import type { HandlerContext, HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import type { Db } from '../db/open';
import { runAssist, type AssistLlm } from './assist/assist-runner';
import { decideSuggestions, listSuggestions } from './assist/suggestions-repo';
import { getAnalysis } from './store/analyses-repo';
import { PalletService } from './pallet-service';
import { dashboardPullListener } from './dashboard/pulled-rows';
import { closeRescoreScanner } from './rescore/rescore-scanner';
import type { WorkerEntry } from './reading/spreadsheet';

export interface PalletsContext {
  db: Db;
  events: EventBus;
  log: Log;
  /** Uploads and exports live under the data folder. */
  dataDir: string;
  /** The app folder: the built spreadsheet worker is found from it. */
  appRoot: string;
  /** Accept `{ path }` file sources (the CLI); the app's windows must upload what they open. */
  allowPaths: boolean;
  /** The model for line suggestions (the task router: local model or endpoint, task 'palletAssist'). */
  llm: AssistLlm;
  /** Lines per model call (tests and benchmarks set it; default in assist-runner.ts). */
  assistBatchSize?: number;
}

export interface PalletsFeature {
  handlers: HandlersOf<typeof palletsRequests>;
  close(): Promise<void>;
  /** Analyses, rules, export and the dashboard (the CLI's way in). */
  service: PalletService;
  /** Registered with the sync feature: pulled lines refresh the dashboard's cache. */
  pullListener: ReturnType<typeof dashboardPullListener>;
}

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

/** Long enough for the window to load first; the aggregation blocks the main thread (~250 ms per million lines). */
const DASHBOARD_WARM_UP_MS = 3000;

/** Manifests of returned pallets: open, map, import and score them with rules; analyses, export, dashboard. */
export function createPalletsFeature(ctx: PalletsContext): PalletsFeature {
  const service = new PalletService({
    db: ctx.db,
    events: ctx.events,
    log: ctx.log,
    dataDir: ctx.dataDir,
    worker: palletWorkerEntry(ctx.appRoot),
    allowPaths: ctx.allowPaths,
  });
  // Imports, re-scores and pulls keep the dashboard's cache fresh; what is left stale (a migration emptied
  // it, a pull was interrupted) is aggregated shortly after start-up, not when the user opens the charts.
  const warmUp = setTimeout(() => service.aggregateStaleDashboards(), DASHBOARD_WARM_UP_MS);
  warmUp.unref();
  const ok = { ok: true as const };
  const handlers: HandlersOf<typeof palletsRequests> = {    'pallets:open': ({ requestId, source }, ctx) => service.open(source, ctx.signal, throttledProgress(ctx, requestId)),
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
    'pallets:assist': async ({ requestId, analysisId, maxLines }, op) => {
      // Throws NOT_FOUND for an analysis that does not exist (or was deleted).
      getAnalysis(ctx.db, analysisId);
      const onProgress = (p: { done: number; total: number; suggested: number }) => op.events.emit('pallets:assistProgress', { requestId, analysisId, ...p });
      return runAssist(ctx.db, ctx.llm, ctx.log, { requestId, analysisId, maxLines, batchSize: ctx.assistBatchSize, onProgress }, op.signal);
    },
    'pallets:suggestions': ({ analysisId, status }) => listSuggestions(ctx.db, analysisId, status ?? 'pending'),
    'pallets:decideSuggestions': async ({ analysisId, decision, ids }, op) => {
      const result = decideSuggestions(ctx.db, analysisId, decision, ids);
      if (result.accepted > 0) {
        ctx.events.emit('pallets:changed', { analysisId, reason: 'updated' });
        // Rules read category, brand and name: corrected lines are scored again at once.
        await service.rescore(analysisId, op.signal);
      }
      return result;
    },
  };
  return {
    handlers,
    service,
    pullListener: dashboardPullListener(),
    async close() {
      clearTimeout(warmUp);
      await service.shutdown();
      // The re-score's scanner thread reads the store: it stops before the store's checkpointer.
      await closeRescoreScanner(ctx.db);
    },
  };
}

export type { PalletService } from './pallet-service';
export type { StoredRule } from './rules/rules-repo';
/** The spreadsheet worker, for other features' file imports (knowledge): same bounds and heap cap. */
export { openSpreadsheet, type WorkerEntry } from './reading/spreadsheet';
