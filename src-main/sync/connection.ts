import pg from 'pg';
import { AppError } from '@shared/contract/errors';
import { SQLSTATE_BAD_REQUEST, SQLSTATE_DEVICE_TAKEN, SQLSTATE_NOT_A_USER, SQLSTATE_VERSION } from './server/types';
import { SYNC_SCHEMA_VERSION } from './server/migrations';

export interface ServerTarget {
  /** `postgres://host:port/database[?sslmode=verify-full|verify-ca|require|disable]`, no credentials. */
  url: string;
  user: string;
  password: string;
  /** PEM of the CA that signed the server's certificate (else Node's bundled public CAs). */
  caCertificate?: string | null;
  /** The person chose, visibly, to let the address's sslmode turn off TLS or certificate checks. */
  allowInsecure?: boolean;
}

export interface ServerInfo {
  version: number | null;
  instance: string | null;
  team: string | null;
  user: string;
}

export interface TlsChoice {
  caCertificate?: string | null;
  allowInsecure?: boolean;
}

/** How the connection is protected, in libpq's words. */
export type TlsMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

/** Loopback addresses never leave this computer: the only place plain connections are the default. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Which TLS mode an address gets. Every host that is not loopback gets `verify-full` (certificate
 * chain and host name) unless the person turned on the insecure switch, which lets the address's own
 * sslmode weaken it; `allow`, `prefer` and `require` without that switch are upgraded to `verify-full`,
 * because encryption without a checked certificate stops no one who can relay the connection (hotel
 * Wi-Fi), and `disable` is refused.
 */
export function tlsModeFor(host: string, sslmode: string | null, allowInsecure: boolean): TlsMode {
  if (sslmode !== null && !SSL_MODES.has(sslmode)) throw new AppError('VALIDATION', `Unknown sslmode "${sslmode.slice(0, 20)}"; use verify-full.`);
  const asked: TlsMode | null = sslmode === null ? null : sslmode === 'allow' || sslmode === 'prefer' ? 'disable' : (sslmode as TlsMode);
  if (isLoopbackHost(host)) return asked ?? 'disable';
  if (asked === null || asked === 'verify-full') return 'verify-full';
  if (allowInsecure) return asked;
  if (sslmode === 'disable') {
    throw new AppError('VALIDATION', `Unencrypted connections to ${host} are refused: remove sslmode=${sslmode} from the address, or turn on the insecure connection switch.`);
  }
  return 'verify-full';
}

function sslOptions(mode: TlsMode, caCertificate: string | null | undefined): pg.ClientConfig['ssl'] {
  if (mode === 'disable') return false;
  const ca = caCertificate ? { ca: caCertificate } : {};
  if (mode === 'require') return { ...ca, rejectUnauthorized: false };
  // verify-ca: the chain is checked, the name is not (libpq's meaning).
  if (mode === 'verify-ca') return { ...ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ...ca, rejectUnauthorized: true };
}

/** Parses a server URL into pg options; refuses credentials in the URL (they belong elsewhere). */
export function parseServerUrl(raw: string, tls: TlsChoice = {}): { host: string; port: number; database: string; ssl: pg.ClientConfig['ssl']; tlsMode: TlsMode } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AppError('VALIDATION', 'The server address is not a valid postgres:// URL.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new AppError('VALIDATION', 'The server address must start with postgres://.');
  if (url.password) throw new AppError('VALIDATION', 'Put the password in the password field, not in the server address.');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database) throw new AppError('VALIDATION', 'The server address needs a host and a database, like postgres://host:5432/fieldmate.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const tlsMode = tlsModeFor(host, url.searchParams.get('sslmode'), tls.allowInsecure === true);
  return { host, port: Number(url.port || 5432), database, ssl: sslOptions(tlsMode, tls.caCertificate), tlsMode };
}

/** A URL for display and logs (never with a password). */
export function describeServer(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'the sync server';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);

interface PgLikeError {
  code?: string;
  message?: string;
  detail?: string;
}

/**
 * Turns driver and server errors into one sentence and a code the status bar can show:
 * UNAVAILABLE for "try again later", SYNC_ERROR for "a person must act".
 */
export function toSyncError(error: unknown, where = 'the sync server'): AppError {
  if (error instanceof AppError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as PgLikeError;
  const code = e.code ?? '';
  const message = e.message ?? String(error);
  const tls = tlsProblem(code, message, where);
  if (tls) return tls;
  if (code === '28P01' || code === '28000') return new AppError('SYNC_ERROR', `The sync server refused the user name or password (${where}).`);
  if (code === '3D000') return new AppError('SYNC_ERROR', `The database in the server address does not exist (${where}).`);
  if (code === SQLSTATE_VERSION) {
    let server: number | null = null;
    try {
      server = (JSON.parse(e.detail ?? '{}') as { server?: number | null }).server ?? null;
    } catch {
      // Keep the generic sentence below.
    }
    return versionMismatch(server);
  }
  if (code === SQLSTATE_NOT_A_USER || (code === '42501' && /schema fieldmate/.test(message))) {
    return new AppError('SYNC_ERROR', 'This user may not sync: ask your administrator to run `fieldmate server add-user` for it.');
  }
  if (code === '3F000' || (code === '42883' && /fieldmate\./.test(message))) {
    return new AppError('SYNC_ERROR', 'The server has no Fieldmate sync schema yet: ask your administrator to run `fieldmate server setup`.');
  }
  if (code === SQLSTATE_DEVICE_TAKEN) return new AppError('SYNC_ERROR', `${where} has this device registered to another sync user; sync again to continue as a new device.`);
  if (code === SQLSTATE_BAD_REQUEST) return new AppError('SYNC_ERROR', `The sync server refused the request: ${message}`);
  if (NETWORK_CODES.has(code) || /timeout|ECONNREFUSED|getaddrinfo/i.test(message)) {
    return new AppError('UNAVAILABLE', `Cannot reach ${where}; changes stay on this device until it is reachable.`);
  }
  if (code.startsWith('57P') || code === '08006' || code === '08003' || /Connection terminated|terminating connection|Client was closed|not queryable/i.test(message)) {
    return new AppError('UNAVAILABLE', `The connection to ${where} was lost; sync will retry and nothing is lost.`);
  }
  if (code === '53300') return new AppError('UNAVAILABLE', `${where} has too many connections right now; sync will retry.`);
  return new AppError('SYNC_ERROR', `Sync failed: ${message.split('\n')[0]?.slice(0, 300) ?? 'unknown error'}`);
}

const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Certificate and TLS failures, each as the one thing the person (or the administrator) must do. */
function tlsProblem(code: string, message: string, where: string): AppError | null {
  if (UNTRUSTED_CODES.has(code)) {
    return new AppError('SYNC_ERROR', `The certificate of ${where} is not signed by a trusted authority: add your team's CA certificate in the sync settings.`);
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new AppError('SYNC_ERROR', `The certificate of ${where} was issued for another host name: use the server name your administrator gave you.`);
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return new AppError('SYNC_ERROR', `The certificate of ${where} is expired or not yet valid: ask your administrator to renew it.`);
  }
  if (/does not support SSL/i.test(message)) {
    return new AppError('SYNC_ERROR', `${where} does not offer encrypted connections: ask your administrator to turn on TLS.`);
  }
  if (/no encryption/i.test(message) && (code === '28000' || code === '28P01')) {
    return new AppError('SYNC_ERROR', `${where} accepts only encrypted connections: remove sslmode=disable from the server address.`);
  }
  return null;
}

/** The client and the server speak different schema versions: nothing is sent either way. */
export class SchemaMismatchError extends AppError {
  constructor(readonly serverVersion: number | null) {
    super(
      'SYNC_ERROR',
      serverVersion === null
        ? 'The server has no Fieldmate sync schema yet: ask your administrator to run `fieldmate server setup`.'
        : serverVersion < SYNC_SCHEMA_VERSION
          ? `The sync server is older (schema ${serverVersion}) than this app (schema ${SYNC_SCHEMA_VERSION}): ask your administrator to run \`fieldmate server setup\`. Nothing was synced.`
          : `The sync server is newer (schema ${serverVersion}) than this app (schema ${SYNC_SCHEMA_VERSION}): update Fieldmate to sync. Nothing was synced.`,
    );
  }
}

export function versionMismatch(server: number | null): AppError {
  return new SchemaMismatchError(server);
}

export interface ServerConnection {
  client: pg.Client;
  info: ServerInfo;
  where: string;
  /** False once the connection failed or was closed; the service then opens a new one. */
  usable(): boolean;
  close(): Promise<void>;
}

/**
 * Connects as the user, reads `server_info()` and checks the schema version before anything else, so
 * a mismatched client never sends a change. Temp buffers are raised before any temporary table exists
 * in the session (bulk pages stage in one).
 */
export async function connectServer(target: ServerTarget, options: { connectTimeoutMs?: number; applicationName?: string } = {}): Promise<ServerConnection> {
  const where = describeServer(target.url);
  const { host, port, database, ssl } = parseServerUrl(target.url, target);
  if (!target.user) throw new AppError('VALIDATION', 'Enter the sync user name.');
  const client = new pg.Client({
    host,
    port,
    database,
    ssl,
    user: target.user,
    password: target.password,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    keepAlive: true,
    application_name: options.applicationName ?? 'fieldmate-sync',
  });
  let alive = true;
  client.on('error', () => {
    alive = false;
  });
  client.on('end', () => {
    alive = false;
  });
  try {
    await client.connect();
    await client.query("SET temp_buffers = '64MB'");
    const info = (await client.query<{ info: ServerInfo }>('SELECT fieldmate.server_info() AS info')).rows[0]?.info;
    if (!info) throw new AppError('SYNC_ERROR', 'The sync server did not describe itself.');
    if (info.version !== SYNC_SCHEMA_VERSION) throw versionMismatch(info.version);
    if (!info.team) throw new AppError('SYNC_ERROR', 'This user may not sync: ask your administrator to run `fieldmate server add-user` for it.');
    return {
      client,
      info,
      where,
      usable: () => alive,
      close: async () => {
        if (!alive) return;
        alive = false;
        await client.end().catch(() => undefined);
      },
    };
  } catch (error) {
    alive = false;
    await client.end().catch(() => undefined);
    throw toSyncError(error, where);
  }
}
