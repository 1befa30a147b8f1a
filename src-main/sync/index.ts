import { AppError } from '@shared/contract/errors';
import { syncRequests } from '@shared/contract/sync';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import { isSyncedTable } from '../db/changes';
import type { Db } from '../db/open';
import type { PullListener } from './engine-context';
import { listRejections, recordStates } from './local-state';
import { envSecretStore, type SecretStore } from './secrets';
import { SyncService, type SyncServiceOptions } from './sync-service';

export interface SyncContext {
  db: Db;
  events: EventBus;
  log: Log;
  isOnline: () => boolean;
}

export interface AttachSyncOptions {
  /** Electron: `encryptedSecretStore(db, safeStorage cipher)`. Default: FIELDMATE_SYNC_PASSWORD. */
  secrets?: SecretStore;
  /** Start the triggers (at start, interval, reconnect). The CLI never does. */
  start?: boolean;
  /** Tests: hooks, limits, backoff. */
  overrides?: Partial<Omit<SyncServiceOptions, 'db' | 'emit' | 'log' | 'isOnline' | 'secrets'>> & { isOnline?: () => boolean };
}

export interface SyncFeature {
  handlers: HandlersOf<typeof syncRequests>;
  close(): Promise<void>;
  /**
   * The sync service, created on first use with these options (later calls may swap the secret store
   * and start the triggers): the app, the headless host and the CLI configure it here.
   */
  attach(options?: AttachSyncOptions): SyncService;
  /** Tells another feature about pulled rows (the engine itself knows no feature by name). */
  onPulled(listener: PullListener): void;
}

/** Two-way sync of the synced tables with a team's PostgreSQL server (outbox push, page-wise pull). */
export function createSyncFeature(ctx: SyncContext): SyncFeature {
  let service: SyncService | null = null;
  const pulled: PullListener[] = [];
  const attach = (options: AttachSyncOptions = {}): SyncService => {
    if (!service) {
      service = new SyncService({
        db: ctx.db,
        secrets: options.secrets ?? envSecretStore(),
        isOnline: options.overrides?.isOnline ?? ctx.isOnline,
        log: ctx.log,
        emit: (status) => ctx.events.emit('sync:status', status),
        ...options.overrides,
        // The listeners array is read at every run, so a listener registered later still hears.
        hooks: { ...options.overrides?.hooks, pulled },
      });
    } else if (options.secrets) {
      service.useSecretStore(options.secrets);
    }
    if (options.start) service.start();
    return service;
  };
  return {
    attach,
    onPulled: (listener) => void pulled.push(listener),
    // The current batch finishes (or rolls back) before the store closes.
    close: async () => {
      await service?.stop();
    },
    handlers: {
      'sync:status': () => attach().status(),
      'sync:getConfig': () => attach().getConfig(),
      'sync:configure': (patch) => attach().configure(patch),
      'sync:now': async ({ requestId }, op) =>
        attach().syncNow(op.signal, 'manual', (phase, done, total) => {
          if (requestId) op.events.emit('ops:progress', { requestId, phase, done, total });
        }),
      'sync:testConnection': (input) => attach().testConnection(input),
      'sync:recordStates': ({ table, ids }) => {
        if (!isSyncedTable(table)) throw new AppError('VALIDATION', `${table} is not a synced table.`);
        return { states: recordStates(ctx.db, table, ids) };
      },
      'sync:rejections': ({ limit }) => listRejections(ctx.db, limit ?? 100),
    },
  };
}

export type { PullListener, PulledRows } from './engine-context';
// The CLI sets up a team's server and adds its users.
export { addServerUser, setupServer, type AddUserResult, type SetupResult } from './server/setup';
export { encryptedSecretStore, envSecretStore, type SecretStore } from './secrets';
export type { SyncService } from './sync-service';
