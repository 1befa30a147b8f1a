import { envSecretStore as envSecrets, type SecretStore } from '../db/secret-store';

// The secret store is shared with the model endpoint's key (src-main/db/secret-store.ts).
export { encryptedSecretStore, type SecretCipher, type SecretStore } from '../db/secret-store';

export const SYNC_PASSWORD_SECRET = 'sync.password';
export const SYNC_PASSWORD_ENV = 'FIELDMATE_SYNC_PASSWORD';

/** Reads FIELDMATE_SYNC_PASSWORD; a password set through the UI is kept in memory for this run only. */
export function envSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  return envSecrets({ [SYNC_PASSWORD_SECRET]: SYNC_PASSWORD_ENV }, env);
}
