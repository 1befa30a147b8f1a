import { AppError } from '@shared/contract/errors';
import type { Db } from '../db/open';
import { readSettingsRows, writeSettingsRows } from '../settings';
import { parseServerUrl } from './connection';

/** Sync settings, stored as one JSON value under the `sync` key of the settings table (device-local). */
export interface StoredSyncConfig {
  serverUrl: string | null;
  user: string | null;
  enabled: boolean;
  intervalMinutes: number;
  /** The visible "insecure" choice: the address's sslmode may turn off TLS or certificate checks. */
  allowInsecure: boolean;
  /**
   * The CA certificate (PEM) when the secret store cannot keep it (no OS keyring: headless host, CLI);
   * with a keyring it lives there (`SYNC_CA_SECRET`) and this stays null.
   */
  caCertificate: string | null;
}

const KEY = 'sync';
export const DEFAULT_SYNC_CONFIG: StoredSyncConfig = { serverUrl: null, user: null, enabled: false, intervalMinutes: 15, allowInsecure: false, caCertificate: null };

export function readSyncConfig(db: Db): StoredSyncConfig {
  const raw = readSettingsRows(db).get(KEY);
  const stored = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<StoredSyncConfig>;
  const interval = Number(stored.intervalMinutes);
  return {
    serverUrl: typeof stored.serverUrl === 'string' && stored.serverUrl ? stored.serverUrl : null,
    user: typeof stored.user === 'string' && stored.user ? stored.user : null,
    enabled: stored.enabled === true,
    intervalMinutes: Number.isInteger(interval) && interval >= 1 && interval <= 1440 ? interval : DEFAULT_SYNC_CONFIG.intervalMinutes,
    allowInsecure: stored.allowInsecure === true,
    caCertificate: typeof stored.caCertificate === 'string' && stored.caCertificate ? stored.caCertificate : null,
  };
}

export function writeSyncConfig(db: Db, patch: Partial<StoredSyncConfig>): StoredSyncConfig {
  const next = { ...readSyncConfig(db), ...patch };
  if (next.serverUrl !== null) {
    next.serverUrl = next.serverUrl.trim();
    parseServerUrl(next.serverUrl, { allowInsecure: next.allowInsecure });
  }
  if (next.user !== null) {
    next.user = next.user.trim() || null;
    if (next.user && !/^[A-Za-z0-9_.@-]{1,63}$/.test(next.user)) throw new AppError('VALIDATION', 'The sync user name has characters a database user name cannot have.');
  }
  writeSettingsRows(db, { [KEY]: next });
  return next;
}
