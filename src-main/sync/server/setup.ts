import crypto from 'node:crypto';
import pg from 'pg';
import { AppError } from '@shared/contract/errors';
import { toSyncError, describeServer, isLoopbackHost } from '../connection';
import { SERVER_MIGRATIONS, serverTablesAt, type ServerMigration } from './migrations';
import { scramSha256Verifier } from './scram';
import { OWNER_ROLE, USER_ROLE } from './types';

export interface SetupResult {
  database: string;
  from: number;
  to: number;
  applied: string[];
}

function checksum(sql: string): string {
  return crypto.createHash('sha256').update(sql).digest('hex');
}

/** The SQL a migration runs, with the cumulative table list after it. */
export function migrationSql(migration: ServerMigration, migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): string {
  return migration.sql(serverTablesAt(migration.version, migrations));
}

/**
 * The admin URL as pg reads it, with TLS verified (`verify-full`) by default for a host that is not
 * loopback, as for the sync connection. pg's own reading of the other modes verifies too; an explicit
 * `sslmode=disable` is the administrator's choice and kept; a CA file goes in `sslrootcert=<path>`.
 */
export function adminConnectionString(adminUrl: string): string {
  let url: URL;
  try {
    url = new URL(adminUrl);
  } catch {
    return adminUrl;
  }
  const socket = url.searchParams.has('host') || url.hostname === '';
  if (!socket && !url.searchParams.has('sslmode') && !isLoopbackHost(url.hostname)) url.searchParams.set('sslmode', 'verify-full');
  return url.toString();
}

async function adminClient(adminUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: adminConnectionString(adminUrl), connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw toSyncError(error, describeServer(adminUrl));
  }
  return client;
}

/**
 * Creates or upgrades the server schema: the two cluster roles, then every pending migration as the
 * owner role in one transaction under an advisory lock (two admins running setup at once is safe).
 * Already-applied migrations are verified by checksum, so a changed shipped migration is caught.
 */
export async function setupServer(adminUrl: string, log: (line: string) => void = () => {}, migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): Promise<SetupResult> {
  const client = await adminClient(adminUrl);
  try {
    const me = (await client.query<{ db: string; superuser: boolean }>("SELECT current_database() AS db, current_setting('is_superuser') = 'on' AS superuser")).rows[0]!;
    for (const role of [OWNER_ROLE, USER_ROLE]) {
      // CREATE ROLE has no IF NOT EXISTS; roles are cluster-wide and may exist from another database.
      await client.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF;
      EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    }
    if (!me.superuser) await client.query(`GRANT ${OWNER_ROLE} TO CURRENT_USER`);
    await client.query('BEGIN');
    try {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('fieldmate.server.setup'))");
      await client.query(`CREATE SCHEMA IF NOT EXISTS fieldmate AUTHORIZATION ${OWNER_ROLE}`);
      // The owner creates the per-session staging tables of bulk pages.
      await client.query(`GRANT TEMPORARY ON DATABASE ${client.escapeIdentifier(me.db)} TO ${OWNER_ROLE}`);
      await client.query(`SET LOCAL ROLE ${OWNER_ROLE}`);
      await client.query(`CREATE TABLE IF NOT EXISTS fieldmate.schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = (await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM fieldmate.schema_migrations ORDER BY version')).rows;
      const known = new Map(migrations.map((m) => [m.version, m]));
      for (const row of applied) {
        const migration = known.get(row.version);
        if (!migration) throw new AppError('SYNC_ERROR', `The server schema is at version ${row.version}, newer than this Fieldmate (${migrations.length}); use a newer build to set it up.`);
        if (checksum(migrationSql(migration, migrations)) !== row.checksum) {
          throw new AppError('SYNC_ERROR', `Server migration ${row.version} (${row.name}) differs from the one this build ships; refusing to continue.`);
        }
      }
      const from = applied.at(-1)?.version ?? 0;
      const done: string[] = [];
      for (const migration of migrations) {
        if (migration.version <= from) continue;
        const sql = migrationSql(migration, migrations);
        await client.query(sql);
        await client.query('INSERT INTO fieldmate.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, checksum(sql)]);
        done.push(`${migration.version} ${migration.name}`);
        log(`[sync-server] applied migration ${migration.version} ${migration.name}`);
      }
      await client.query('COMMIT');
      return { database: me.db, from, to: migrations.at(-1)?.version ?? 0, applied: done };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } catch (error) {
    throw error instanceof AppError ? error : toSyncError(error, describeServer(adminUrl));
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface AddUserResult {
  user: string;
  team: string;
  created: boolean;
  /** Set when the password was generated (shown once). */
  generatedPassword: string | null;
}

const USER_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const TEAM_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

/**
 * Creates (or re-passwords) a login role that may sync, and maps it to its team. A user already in
 * another team is refused: moving a user would push one team's local data into the other.
 */
export async function addServerUser(adminUrl: string, name: string, team: string, password: string | null): Promise<AddUserResult> {
  if (!USER_NAME.test(name)) throw new AppError('VALIDATION', 'User names are lowercase letters, digits and _ (at most 63), starting with a letter.');
  if (!TEAM_NAME.test(team)) throw new AppError('VALIDATION', 'Team names are 1–64 letters, digits, spaces, dots, dashes or underscores.');
  if (password !== null && password.length < 8) throw new AppError('VALIDATION', 'Use a password of at least 8 characters.');
  const secret = password ?? crypto.randomBytes(18).toString('base64url');
  const client = await adminClient(adminUrl);
  try {
    const schema = await client.query("SELECT to_regclass('fieldmate.users') AS users");
    if (!schema.rows[0]?.users) throw new AppError('SYNC_ERROR', 'The server has no Fieldmate sync schema yet: run `fieldmate server setup` first.');
    await client.query('BEGIN');
    const existing = (await client.query<{ team_id: string }>('SELECT team_id FROM fieldmate.users WHERE role_name = $1', [name])).rows[0];
    if (existing && existing.team_id !== team) throw new AppError('CONFLICT', `User ${name} already belongs to team ${existing.team_id}; create a new user for team ${team}.`);
    const role = (await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = $1', [name])).rows[0];
    if (role?.rolsuper) throw new AppError('VALIDATION', `${name} is a superuser; sync users must be ordinary roles (row-level security does not bind superusers).`);
    const ident = client.escapeIdentifier(name);
    // Only a SCRAM verifier computed here goes into the SQL (PostgreSQL stores it as it is): the clear
    // password never reaches the server, its logs or pg_stat_activity. Parameters cannot be bound in
    // CREATE/ALTER ROLE; escapeLiteral quotes the verifier.
    const verifier = scramSha256Verifier(secret);
    await client.query(`${role ? 'ALTER' : 'CREATE'} ROLE ${ident} LOGIN NOBYPASSRLS PASSWORD ${client.escapeLiteral(verifier)}`);
    await client.query(`GRANT ${USER_ROLE} TO ${ident}`);
    await client.query('INSERT INTO fieldmate.users (role_name, team_id) VALUES ($1, $2) ON CONFLICT (role_name) DO NOTHING', [name, team]);
    await client.query('COMMIT');
    return { user: name, team, created: !role, generatedPassword: password === null ? secret : null };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error instanceof AppError ? error : toSyncError(error, describeServer(adminUrl));
  } finally {
    await client.end().catch(() => undefined);
  }
}
