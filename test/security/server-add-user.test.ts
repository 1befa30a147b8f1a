import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { syncCommands } from '@main/cli/commands-sync';
import { runCli } from '@main/cli/run-cli';
import { scramSha256Verifier } from '@main/sync/server/scram';
import { addServerUser, setupServer } from '@main/sync/server/setup';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';

/**
 * `server add-user`: the password is never a command-line argument (process list, shell history) and
 * never clear text in SQL (server logs, pg_stat_activity): only a SCRAM-SHA-256 verifier computed on
 * this side is sent, and the role logs in with the password.
 */
let pgs: TestPostgres;
let database: string;
let admin: string;
let counter = 0;
const userName = () => `adduser_${process.pid}_${(counter += 1)}`;

beforeAll(async () => {
  pgs = await startTestPostgres();
  database = await pgs.createDatabase('adduser');
  admin = pgs.adminUrl(database);
  await setupServer(admin);
});
afterAll(async () => {
  await pgs?.stop();
});
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.FIELDMATE_ADMIN_URL;
  delete process.env.FIELDMATE_NEW_USER_PASSWORD;
});

async function canLogIn(user: string, password: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgs.urlFor(user, password, database) });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query<{ u: string }>('SELECT session_user AS u')).rows[0]?.u === user;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function storedSecret(user: string): Promise<string> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    return (await client.query<{ p: string }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [user])).rows[0]!.p;
  } finally {
    await client.end();
  }
}

/** Every SQL text any pg client in this process sends while `run` runs. */
async function sqlSentDuring(run: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = pg.Client.prototype.query;
  const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    sent.push(typeof first === 'string' ? first : JSON.stringify(first));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original);
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return sent;
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, syncCommands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('the SCRAM verifier', () => {
  it('is exactly what PostgreSQL computes for the same password, salt and iterations', async () => {
    const user = userName();
    const password = 'pencil Zażółć ½';
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      // Here only, for the comparison: the server hashes a clear password itself.
      await client.query("SET password_encryption = 'scram-sha-256'");
      await client.query(`CREATE ROLE ${client.escapeIdentifier(user)} LOGIN PASSWORD ${client.escapeLiteral(password)}`);
    } finally {
      await client.end();
    }
    const stored = await storedSecret(user);
    const [, iterations, salt] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(stored) ?? [];
    expect(scramSha256Verifier(password, { salt: Buffer.from(salt!, 'base64'), iterations: Number(iterations) })).toBe(stored);
  });
});

describe('server add-user', () => {
  it('sends only a SCRAM verifier, and the role logs in with the password', async () => {
    const user = userName();
    const password = 'correct horse battery staple 7';
    const sql = await sqlSentDuring(() => addServerUser(admin, user, 'Team S', password));
    expect(sql.some((text) => /CREATE ROLE/.test(text) && text.includes('SCRAM-SHA-256$4096:'))).toBe(true);
    expect(sql.filter((text) => text.includes(password))).toEqual([]);
    expect(await storedSecret(user)).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(await canLogIn(user, password)).toBe(true);
    expect(await canLogIn(user, 'not the password')).toBe(false);

    // A new password for an existing user goes the same way (ALTER ROLE).
    const next = 'zażółć gęślą jaźń 2';
    const again = await sqlSentDuring(() => addServerUser(admin, user, 'Team S', next));
    expect(again.filter((text) => text.includes(next))).toEqual([]);
    expect(await canLogIn(user, next)).toBe(true);
  });

  it('refuses a password on the command line and a password inside --url', async () => {
    const user = userName();
    process.env.FIELDMATE_ADMIN_URL = admin;
    const flag = await cli(['server', 'add-user', user, '--team', 'T', '--password', 'on-the-command-line']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/process list/);
    const inUrl = await cli(['server', 'add-user', user, '--team', 'T', '--url', admin]);
    expect(inUrl.code).toBe(2);
    expect(inUrl.stderr).toMatch(/must not contain a password/);
    expect(await canLogIn(user, 'on-the-command-line')).toBe(false);
  });

  it('takes the password from $FIELDMATE_NEW_USER_PASSWORD, and the admin password from $PGPASSWORD with a bare --url', async () => {
    const user = userName();
    const url = new URL(admin);
    const adminPassword = decodeURIComponent(url.password);
    url.password = '';
    process.env.FIELDMATE_NEW_USER_PASSWORD = 'from-the-environment-1';
    const previous = process.env.PGPASSWORD;
    process.env.PGPASSWORD = adminPassword;
    try {
      const added = await cli(['server', 'add-user', user, '--team', 'T', '--url', url.toString()]);
      expect(added).toMatchObject({ code: 0 });
      expect(added.stdout).not.toMatch(/shown once/);
    } finally {
      if (previous === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = previous;
    }
    expect(await canLogIn(user, 'from-the-environment-1')).toBe(true);
  });

  it('reads the password from stdin (--password-stdin), in a real CLI process', async () => {
    const user = userName();
    const root = path.resolve(import.meta.dirname, '..', '..');
    const child = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'src-main', 'cli', 'main.ts'), 'server', 'add-user', user, '--team', 'T', '--password-stdin'], {
      cwd: root,
      env: { ...process.env, FIELDMATE_ADMIN_URL: admin, FIELDMATE_NEW_USER_PASSWORD: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.stdin.end('piped-password-42\nignored second line\n');
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(out).toMatch(/created sync user/);
    expect(code).toBe(0);
    expect(await canLogIn(user, 'piped-password-42')).toBe(true);
  });
});
