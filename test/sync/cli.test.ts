import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '@main/cli/commands';
import { runCli } from '@main/cli/run-cli';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { tempDir } from './helpers';
import { SERVER_MIGRATIONS, SYNC_SCHEMA_VERSION } from '@main/sync/server/migrations';

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(async () => {
  await pgs?.stop();
});

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('fieldmate server … and sync … commands', () => {
  it('sets up the server, adds a user, configures a store and syncs it', async () => {
    const db = await pgs.createDatabase('cli');
    const admin = pgs.adminUrl(db);
    // The admin URL carries a password: it goes in the environment, never on the command line.
    expect((await cli(['server', 'setup', '--url', admin])).code).toBe(2);
    process.env.FIELDMATE_ADMIN_URL = admin;
    const setup = await cli(['server', 'setup', '--json']);
    expect(setup.code).toBe(0);
    expect(JSON.parse(setup.stdout)).toMatchObject({ from: 0, to: SYNC_SCHEMA_VERSION, applied: SERVER_MIGRATIONS.map((m) => `${m.version} ${m.name}`) });
    expect((await cli(['server', 'setup'])).stdout).toMatch(new RegExp(`up to date \\(version ${SYNC_SCHEMA_VERSION}\\)`));

    const user = `cli_user_${process.pid}`;
    const added = await cli(['server', 'add-user', user, '--team', 'Sales North']);
    expect(added.code).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(added.stdout)?.[1];
    expect(password).toBeTruthy();
    expect((await cli(['server', 'add-user', 'Bad Name', '--team', 'x'])).code).toBe(1);
    expect((await cli(['server', 'add-user', user])).code).toBe(2);
    delete process.env.FIELDMATE_ADMIN_URL;

    const dataDir = tempDir();
    const url = `postgres://${pgs.host}:${pgs.port}/${db}`;
    const configured = await cli(['sync', 'configure', '--server', url, '--user', user, '--enable', '--interval', '5', '--data-dir', dataDir, '--json']);
    expect(configured.code).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ serverUrl: url, user, enabled: true, intervalMinutes: 5, hasPassword: false });

    const previous = process.env.FIELDMATE_SYNC_PASSWORD;
    try {
      delete process.env.FIELDMATE_SYNC_PASSWORD;
      const noPassword = await cli(['sync', 'now', '--data-dir', dataDir]);
      expect(noPassword).toMatchObject({ code: 1, stderr: expect.stringMatching(/No sync password/) });
      process.env.FIELDMATE_SYNC_PASSWORD = 'wrong-password';
      const wrong = await cli(['sync', 'now', '--data-dir', dataDir]);
      expect(wrong).toMatchObject({ code: 1, stderr: expect.stringMatching(/refused the user name or password/) });
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      process.env.FIELDMATE_SYNC_PASSWORD = password;
      const now = await cli(['sync', 'now', '--data-dir', dataDir, '--json']);
      expect(now.code).toBe(0);
      expect(JSON.parse(now.stdout)).toMatchObject({ ok: true, rejected: 0 });
      const status = await cli(['sync', 'status', '--data-dir', dataDir, '--json']);
      expect(JSON.parse(status.stdout)).toMatchObject({ configured: true, enabled: true, pendingCount: 0, running: false });
      expect(JSON.parse(status.stdout).lastSuccessAt).toBeGreaterThan(0);
      expect((await cli(['sync', 'status', '--data-dir', dataDir])).stdout).toMatch(/pending:\s+0/);
    } finally {
      if (previous === undefined) delete process.env.FIELDMATE_SYNC_PASSWORD;
      else process.env.FIELDMATE_SYNC_PASSWORD = previous;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
