import { AppError } from '../../src-shared/contract/errors';
import type { Core } from '../core/create-core';
import type { HandlerTable } from '../core/dispatch';
import { isSyncedTable } from '../db/changes';
import { listRejections, recordStates } from './local-state';
import { envSecretStore, type SecretStore } from './secrets';
import { SyncService, type SyncServiceOptions } from './sync-service';

type SyncChannels = 'sync:status' | 'sync:getConfig' | 'sync:configure' | 'sync:now' | 'sync:testConnection' | 'sync:recordStates' | 'sync:rejections';

const services = new WeakMap<Core, SyncService>();

export interface AttachSyncOptions {
  /** Electron: `encryptedSecretStore(core.db, safeStorage cipher)`. Default: FIELDMATE_SYNC_PASSWORD. */
  secrets?: SecretStore;
  /** Start the triggers (at start, interval, reconnect). The CLI never does. */
  start?: boolean;
  /** Tests: hooks, limits, backoff. */
  overrides?: Partial<Omit<SyncServiceOptions, 'db' | 'emit' | 'log' | 'isOnline' | 'secrets'>> & { isOnline?: () => boolean };
}

/**
 * The core's sync service (created on first use). Closing the core stops it first, so the current
 * batch finishes or rolls back before the database closes.
 */
export function attachSync(core: Core, options: AttachSyncOptions = {}): SyncService {
  let service = services.get(core);
  if (!service) {
    service = new SyncService({
      db: core.db,
      secrets: options.secrets ?? envSecretStore(),
      isOnline: options.overrides?.isOnline ?? (() => core.status().online),
      log: core.log,
      emit: (status) => core.events.emit('sync:status', status),
      ...options.overrides,
    });
    services.set(core, service);
    const created = service;
    // The current batch finishes (or rolls back) before the store closes.
    core.onClose(() => created.stop());
  } else if (options.secrets) {
    service.useSecretStore(options.secrets);
  }
  if (options.start) service.start();
  return service;
}

export function syncHandlers(core: Core): Pick<HandlerTable, SyncChannels> {
  const service = () => attachSync(core);
  return {
    'sync:status': () => service().status(),
    'sync:getConfig': () => service().getConfig(),
    'sync:configure': (patch) => service().configure(patch),
    'sync:now': async ({ requestId }, ctx) =>
      service().syncNow(ctx.signal, 'manual', (phase, done, total) => {
        if (requestId) ctx.events.emit('ops:progress', { requestId, phase, done, total });
      }),
    'sync:testConnection': (input) => service().testConnection(input),
    'sync:recordStates': ({ table, ids }) => {
      if (!isSyncedTable(table)) throw new AppError('VALIDATION', `${table} is not a synced table.`);
      return { states: recordStates(core.db, table, ids) };
    },
    'sync:rejections': ({ limit }) => listRejections(core.db, limit ?? 100),
  };
}
