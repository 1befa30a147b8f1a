import pg from 'pg';
import { AppError } from '../../src-shared/contract/errors';
import { SQLSTATE_BAD_REQUEST, SQLSTATE_NOT_A_USER, SQLSTATE_VERSION } from './server/types';
import { SYNC_SCHEMA_VERSION } from './server/migrations';

export interface ServerTarget {
  /** `postgres://host:port/database[?sslmode=require|verify-full|disable]`, no credentials. */
  url: string;
  user: string;
  password: string;
}

export interface ServerInfo {
  version: number | null;
  instance: string | null;
  team: string | null;
  user: string;
}

/** Parses a server URL into pg options; refuses credentials in the URL (they belong elsewhere). */
export function parseServerUrl(raw: string): { host: string; port: number; database: string; ssl: pg.ClientConfig['ssl'] } {
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
  const mode = url.searchParams.get('sslmode') ?? 'disable';
  const ssl = mode === 'disable' || mode === 'prefer' || mode === 'allow' ? false : mode === 'require' ? { rejectUnauthorized: false } : true;
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 5432), database, ssl };
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
  const parsed = parseServerUrl(target.url);
  if (!target.user) throw new AppError('VALIDATION', 'Enter the sync user name.');
  const client = new pg.Client({
    ...parsed,
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
