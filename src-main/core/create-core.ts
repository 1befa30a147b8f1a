import fs from 'node:fs';
import { AppError } from '../../src-shared/contract/errors';
import type { SystemInfo, SystemStatus } from '../../src-shared/contract/system';
import { migrateDatabase } from '../db/migrate';
import { closeDatabase, openDatabase, type Db } from '../db/open';
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
}

export interface Core {
  db: Db;
  paths: AppPaths;
  events: EventBus;
  operations: Operations;
  handlers: HandlerTable;
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
    throw error instanceof AppError ? error : new AppError('INTERNAL', `Cannot open the database at ${paths.dbFile}.`);
  }
  const events = new EventBus();
  const operations = new Operations(log);
  const isOnline = options.isOnline ?? hasNetworkInterface;
  let health = dbStatus(db, paths);

  const closers: (() => Promise<void> | void)[] = [];
  const core: Core = {
    db,
    paths,
    events,
    operations,
    log,
    options,
    handlers: undefined as unknown as HandlerTable,
    call: (channel, input) => dispatch(core.handlers, { events, operations, log }, channel, input),
    status: () => ({ online: isOnline(), db: health }),
    onClose: (fn) => void closers.push(fn),
    async close() {
      operations.cancelAll();
      for (const close of closers.reverse()) await close();
      health = { ...health, ok: false, message: 'closed' };
      closeDatabase(db);
    },
  };
  core.handlers = {
    ...systemHandlers(core),
    ...coachingHandlers(core),
    ...syncHandlers(core),
    ...filesHandlers(core),
    ...palletsHandlers(core),
  };
  return core;
}
