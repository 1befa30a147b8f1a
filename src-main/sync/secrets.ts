import { AppError } from '../../src-shared/contract/errors';
import { deleteState, readState, writeState } from '../db/clock';
import type { Db } from '../db/open';

/**
 * Where the sync password lives. The main process owns it; it never crosses IPC. Electron's glue passes
 * `encryptedSecretStore(db, safeStorage-backed cipher)`; the headless host and the CLI use
 * `envSecretStore()` (FIELDMATE_SYNC_PASSWORD).
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** False when a stored secret only lasts for this process (the UI says so next to the field). */
  readonly persistent: boolean;
  /** True when secrets are stored encrypted with a fixed, publicly known key (the UI says so). */
  readonly weakEncryption?: boolean;
}

export const SYNC_PASSWORD_SECRET = 'sync.password';
export const SYNC_PASSWORD_ENV = 'FIELDMATE_SYNC_PASSWORD';

/** Reads FIELDMATE_SYNC_PASSWORD; a password set through the UI is kept in memory for this run only. */
export function envSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  const memory = new Map<string, string>();
  return {
    persistent: false,
    async get(name) {
      if (memory.has(name)) return memory.get(name) ?? null;
      return name === SYNC_PASSWORD_SECRET ? (env[SYNC_PASSWORD_ENV] ?? null) : null;
    },
    async set(name, value) {
      memory.set(name, value);
    },
    async delete(name) {
      memory.set(name, '');
      memory.delete(name);
    },
  };
}

/** What Electron's safeStorage offers (injected: this module must not import electron). */
export interface SecretCipher {
  available(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
  /** True when no OS keyring is used and the key is fixed (Linux safeStorage's "basic_text" backend). */
  fixedKey?(): boolean;
}

/**
 * Secrets encrypted by the OS keyring (Electron safeStorage) and stored as base64 in `sync_state`.
 * A blob that no longer decrypts (profile moved to another machine) reads as "no password".
 */
export function encryptedSecretStore(db: Db, cipher: SecretCipher): SecretStore {
  const key = (name: string) => `secret:${name}`;
  return {
    persistent: true,
    get weakEncryption() {
      return cipher.fixedKey?.() === true;
    },
    async get(name) {
      const blob = readState(db, key(name));
      if (!blob || !cipher.available()) return null;
      try {
        return cipher.decrypt(Buffer.from(blob, 'base64'));
      } catch {
        return null;
      }
    },
    async set(name, value) {
      if (!cipher.available()) throw new AppError('UNAVAILABLE', 'This computer offers no encrypted storage for passwords, so the password was not saved.');
      writeState(db, key(name), cipher.encrypt(value).toString('base64'));
    },
    async delete(name) {
      deleteState(db, key(name));
    },
  };
}
