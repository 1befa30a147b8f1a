import { AppError } from '@shared/contract/errors';
import { deleteState, readState, writeState } from './clock';
import type { Db } from './open';

/**
 * Where passwords and keys live (the sync password, the model endpoint's key). The main process owns
 * them; they never cross IPC. Electron's glue passes `encryptedSecretStore(db, safeStorage cipher)`;
 * the headless host and the CLI use `envSecretStore(...)` with the variables each feature names.
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

/**
 * Reads each secret from its environment variable (`envNames`: secret name → variable); a secret set
 * through the UI is kept in memory for this run only.
 */
export function envSecretStore(envNames: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): SecretStore {
  const memory = new Map<string, string>();
  return {
    persistent: false,
    async get(name) {
      if (memory.has(name)) return memory.get(name) ?? null;
      const variable = envNames[name];
      return variable ? (env[variable] ?? null) : null;
    },
    async set(name, value) {
      memory.set(name, value);
    },
    async delete(name) {
      // An empty value masks the environment's for the rest of the run.
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
 * A blob that no longer decrypts (profile moved to another machine) reads as "no secret".
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
      if (!cipher.available()) throw new AppError('UNAVAILABLE', 'This computer offers no encrypted storage for passwords, so the secret was not saved.');
      writeState(db, key(name), cipher.encrypt(value).toString('base64'));
    },
    async delete(name) {
      deleteState(db, key(name));
    },
  };
}
