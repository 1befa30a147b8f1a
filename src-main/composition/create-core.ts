import fs from 'node:fs';
import { AppError } from '../../src-shared/contract/errors';
import type { SystemInfo, SystemStatus } from '../../src-shared/contract/system';
import { MigrationError, migrateDatabase } from '../db/migrate';
import { closeDatabase, openDatabase, type Db } from '../db/open';
import { startCheckpointer } from '../db/checkpointer';
import { closeRescoreScanner } from '../pallets/rescore-scanner';
import { dispatch, type HandlerTable } from './dispatch';
import { EventBus } from './event-bus';
import { Operations } from './operations';
import type { AppPaths } from './paths';
import type { Log } from './logger';
import { dbStatus, hasNetworkInterface } from '../system/system-service';
import { systemHandlers } from '../system/system-handlers';
import { coachingHandlers } from '../coaching/coaching-handlers';
import { syncHandlers } from '../sync/sync-handlers';
import { filesHandlers } from '../files/files-handlers';
import { palletsHandlers } from '../pallets/pallets-handlers';
import { ModelsService } from '../models/models-service';
import { attachModels, modelsHandlers } from '../models/models-handlers';
import type { ChildSpawner } from '../models/child-spawner';
import { setCoachLlm } from '../coaching/llm-port';
import { coachLlmFromHost } from '../coaching/model-port';

export interface CoreOptions {
  paths: AppPaths;
  transport: SystemInfo['transport'];
  appVersion: string;
  osLocale: string;
  log: Log;
  /** Electron passes net.isOnline(); Node falls back to "has a non-loopback interface". */
  isOnline?: () => boolean;
  /** Opens an https URL in the system browser; absent outside Electron. */
  openExternal?: (url: string) => Promise<void>;
  /** How the model child process is started (Electron: utilityProcess); default: child_process.fork. */
  llmSpawner?: ChildSpawner;
  /** Built model child entry (out/main/llm-child.js) when not running from sources. */
  llmChildEntry?: string;
}

export interface Core {
  db: Db;
  paths: AppPaths;
  events: EventBus;
  operations: Operations;
  handlers: HandlerTable;
  /** Model catalog, downloads and the LLM host (its child process starts on first use). */
  models: ModelsService;
  log: Log;
  options: CoreOptions;
  /** Calls a contract channel exactly as a transport would (validation, errors as {code, message}). */
  call(channel: unknown, input: unknown): ReturnType<typeof dispatch>;
  status(): SystemStatus;
  /** Registers work to finish before the store closes (run in reverse order of registration). */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

/** The Electron-free heart of the app: opens and migrates the store and binds every handler. */
export function createCore(options: CoreOptions): Core {
  const { paths, log } = options;
  fs.mkdirSync(paths.dataDir, { recursive: true });
  let db = openDatabase(paths.dbFile);
  try {
    const migrated = migrateDatabase(db, paths.dbFile, paths.migrationsDir);
    db = migrated.db;
    if (migrated.result.ran > 0) log(`[db] applied ${migrated.result.ran} migration(s); schema ${migrated.result.applied}/${migrated.result.available.length}`);
  } catch (error) {
    closeDatabase(db);
    if (error instanceof MigrationError) closeDatabase(error.db);
    log(`[db] cannot open ${paths.dbFile}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    throw error instanceof AppError ? error : new AppError('INTERNAL', `Cannot open the database at ${paths.dbFile}.`);
  }
  const events = new EventBus();
  const operations = new Operations(log);
  const isOnline = options.isOnline ?? hasNetworkInterface;
  let health = dbStatus(db, paths);

  // WAL checkpoints in a worker thread, so a large commit (a re-score, an import) does not also copy its
  // pages into the database on the main thread. Stopped last, just before the store closes.
  const checkpoints = startCheckpointer(db, { log });
  // The re-score's scanner thread (started on first use) reads the store: it stops before the checkpointer.
  const closers: (() => Promise<void> | void)[] = [() => checkpoints.stop(), () => closeRescoreScanner(db)];
  const inflight = new Set<Promise<unknown>>();
  let closing = false;
  const core: Core = {
    db,
    paths,
    events,
    operations,
    log,
    options,
    handlers: undefined as unknown as HandlerTable,
    models: new ModelsService({ db, paths, events, log, osLocale: options.osLocale, spawner: options.llmSpawner, childEntry: options.llmChildEntry }),
    call: async (channel, input) => {
      if (closing) return { ok: false, error: { code: 'UNAVAILABLE', message: 'Fieldmate is shutting down.' } };
      const running = dispatch(core.handlers, { events, operations, log }, channel, input);
      inflight.add(running);
      try {
        return await running;
      } finally {
        inflight.delete(running);
      }
    },
    status: () => ({ online: isOnline(), db: health }),
    onClose: (fn) => void closers.push(fn),
    async close() {
      if (closing) return;
      closing = true;
      operations.cancelAll();
      // Let handlers that were told to stop finish their last write before the store closes.
      await Promise.race([Promise.allSettled([...inflight]), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      try {
        for (const close of [...closers].reverse()) {
          try {
            await close();
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
  core.handlers = {
    ...systemHandlers(core),
    ...coachingHandlers(core),
    ...syncHandlers(core),
    ...filesHandlers(core),
    ...palletsHandlers(core),
    ...modelsHandlers(core, core.models),
  };
  attachModels(core, core.models);
  // The coach answers from the knowledge base until a model is loaded, then also from the model.
  setCoachLlm(core, coachLlmFromHost(() => core.models.startedHost));
  return core;
}
