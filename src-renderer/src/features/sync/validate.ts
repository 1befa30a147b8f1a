import { SYNC_LIMITS } from '@shared/contract/limits';

/** What the sync settings form holds (the password field is empty unless the person types a new one). */
export interface SyncFormValues {
  serverUrl: string;
  user: string;
  password: string;
  enabled: boolean;
  intervalMinutes: number | string;
  /** The visible insecure choice: the address's sslmode may turn off TLS or certificate checks. */
  allowInsecure: boolean;
}

export type SyncFormErrors = Partial<Record<keyof SyncFormValues, string>>;

/** The same rule as the main process's (`writeSyncConfig`), so the person hears it before saving. */
const USER_NAME = new RegExp(`^[A-Za-z0-9_.@-]{1,${SYNC_LIMITS.userChars}}$`);

/** The same loopback rule as the main process's (`isLoopbackHost`): only there is plain the default. */
const isLoopback = (host: string) => /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(host);

/** A translation key for what is wrong with the address, or null. */
function urlProblem(raw: string, allowInsecure: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'sync.validation.urlInvalid';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'sync.validation.urlScheme';
  if (url.username || url.password) return 'sync.validation.urlHasCredentials';
  if (!url.hostname || !decodeURIComponent(url.pathname.replace(/^\//, ''))) return 'sync.validation.urlNeedsDatabase';
  if (url.searchParams.get('sslmode') === 'disable' && !allowInsecure && !isLoopback(url.hostname)) return 'sync.validation.urlUnencrypted';
  return null;
}

/**
 * Checks the form before it is saved (`save`) or used for a test (`test`). Returns translation keys by
 * field. Turning sync on, or testing, needs every field; saving with sync off may leave them empty.
 */
export function validateSyncForm(values: SyncFormValues, hasPassword: boolean, purpose: 'save' | 'test'): SyncFormErrors {
  const errors: SyncFormErrors = {};
  const complete = purpose === 'test' || values.enabled;
  const url = values.serverUrl.trim();
  const user = values.user.trim();
  if (!url) {
    if (complete) errors.serverUrl = 'sync.validation.urlRequired';
  } else {
    const problem = urlProblem(url, values.allowInsecure);
    if (problem) errors.serverUrl = problem;
  }
  if (!user) {
    if (complete) errors.user = 'sync.validation.userRequired';
  } else if (!USER_NAME.test(user)) {
    errors.user = 'sync.validation.userInvalid';
  }
  if (complete && !hasPassword && !values.password) errors.password = 'sync.validation.passwordRequired';
  if (purpose === 'save') {
    const n = typeof values.intervalMinutes === 'number' ? values.intervalMinutes : Number(values.intervalMinutes);
    if (values.intervalMinutes === '' || !Number.isInteger(n) || n < 1 || n > SYNC_LIMITS.intervalMinutesMax) errors.intervalMinutes = 'sync.validation.interval';
  }
  return errors;
}
