import type { SystemStatus } from '@shared/contract/system';
import { startAutoBackups } from '../db/backups';
import { closeDatabase, type Db } from '../db/open';
import { openStore } from '../db/open-store';
import { startCheckpointer } from '../db/checkpointer';
import { dispatch } from '../core/dispatch';
import { EventBus } from '../core/event-bus';
import { Operations } from '../core/operations';
import type { AppPaths } from '../core/paths';
import type { Log } from '../core/logger';
import { createLlmFeature, type LlmFeature } from '../llm';
import type { ModelsService } from '../models';
import type { PalletService } from '../pallets';
import type { Settings } from '@shared/contract/settings';
import type { AttachSyncOptions, SyncService } from '../sync';
import type { CoachLlm } from '../coaching';
import { dbStatus, hasNetworkInterface } from '../system';
import type { CoreOptions } from './core-options';
import { composeFeatures } from './features';


export type { CoreOptions } from './core-options';

/**
 * The running app without a transport: the runtime (store, dispatch, events, operations, log, paths) and
 * the few feature APIs the transports, the CLI and tests need beyond the contract's channels.
 */
export interface Core {
  db: Db;
  paths: AppPaths;
  events: EventBus;
  operations: Operations;
  log: Log;
  options: CoreOptions;
  /** Calls a contract channel exactly as a transport would (validation, errors as {code, message}). */
  call(channel: unknown, input: unknown): ReturnType<typeof dispatch>;
  status(): SystemStatus;
  settings(): Settings;
  /** The model runtime (its child process starts on first use). */
  llm: Pick<LlmFeature, 'host' | 'startedHost' | 'threads'>;
  /** Model catalog and downloads. */
  models: ModelsService;
  pallets: PalletService;
  /** The sync service, created on first use (the app and the headless host start its triggers). */
  sync(options?: AttachSyncOptions): SyncService;
  /**
   * Replaces the local model every task uses (a scripted one in tests and demos); null restores the
   * runtime's. Tasks routed to the model endpoint still go there, and fall back to this one.
   */
  useCoachLlm(port: CoachLlm | null): void;
  close(): Promise<void>;
}

/**
 * The composition root: opens the store, starts the runtime and wires every feature with the narrow
 * context it declares (src-main/<feature>/index.ts). Features never see the Core, nor each other's
 * internals: where one needs another it gets a port here.
 */
/** Long enough for the window's first requests to be answered before the start-up load begins. */
const AUTO_LOAD_DELAY_MS = 750;

export function createCore(options: CoreOptions): Core {
  const { paths, log } = options;
  // Creates the data folder owner-only, opens, checks and migrates the store; a damaged store throws
  // StoreDamaged carrying the recovery choices (restore the newest backup, or start fresh).
  const db = openStore(paths, log);
  // Start-up and periodic backups into <data>/backups (db/backups.ts); stopped before the store closes.
  const backups = startAutoBackups(db, paths.dbFile, log);
  const events = new EventBus();
  const operations = new Operations(log);
  const isOnline = options.isOnline ?? hasNetworkInterface;
  let health = dbStatus(db, paths);
  const status = (): SystemStatus => ({ online: isOnline(), db: health });
  // WAL checkpoints in a worker thread, so a large commit (a re-score, an import) does not also copy its
  // pages into the database on the main thread. Stopped last, just before the store closes.
  const checkpoints = startCheckpointer(db, { log });

  const llm = createLlmFeature({ events, log, threads: () => features.settings.read().llmThreads, spawner: options.llmSpawner, childEntry: options.llmChildEntry });
  const features = composeFeatures({ db, events, operations, log, paths, options, status, llm });

  // Ready at start: the last model loads after the first window and requests were served (the load runs
  // in the model process; here it is only a few awaits), and never holds up shutdown.
  const autoLoad = new AbortController();
  let autoLoading: Promise<unknown> = Promise.resolve();
  const autoLoadTimer = options.autoLoadModel
    ? setTimeout(() => {
        autoLoading = features.models.autoLoad(autoLoad.signal).catch((error: unknown) => log(`[models] start-up load failed: ${error instanceof Error ? error.message : String(error)}`));
      }, AUTO_LOAD_DELAY_MS)
    : null;
  autoLoadTimer?.unref();

  const inflight = new Set<Promise<unknown>>();
  let closing = false;
  return {
    db,
    paths,
    events,
    operations,
    log,
    options,
    call: async (channel, input) => {
      if (closing) return { ok: false, error: { code: 'UNAVAILABLE', message: 'Fieldmate is shutting down.' } };
      const running = dispatch(features.handlers, { events, operations, log }, channel, input);
      inflight.add(running);
      try {
        return await running;
      } finally {
        inflight.delete(running);
      }
    },
    status,
    settings: () => features.settings.read(),
    llm,
    models: features.models.service,
    pallets: features.pallets.service,
    sync: (attachOptions) => features.sync.attach(attachOptions),
    useCoachLlm: (port) => features.endpoint.useLocal(port),
    async close() {
      if (closing) return;
      closing = true;
      operations.cancelAll();
      if (autoLoadTimer) clearTimeout(autoLoadTimer);
      autoLoad.abort();
      await Promise.race([autoLoading, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      // Let handlers that were told to stop finish their last write before the store closes.
      await Promise.race([Promise.allSettled([...inflight]), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      // The sync batch finishes (or rolls back) first; the store's own threads stop last.
      const steps = [features.sync.close, llm.close, features.pallets.close, () => backups.stop(), () => checkpoints.stop()];
      try {
        for (const step of steps) {
          try {
            await step();
          } catch (error) {
            log(`[core] a shutdown step failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      } finally {
        health = { ...health, ok: false, message: 'closed' };
        closeDatabase(db);
      }
    },
  };
}
