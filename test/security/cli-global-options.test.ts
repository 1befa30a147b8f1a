import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '@main/cli/commands';
import { runCli, splitGlobalOptions } from '@main/cli/run-cli';
import { findAppRoot } from '@main/core/paths';
import { tempDir } from '../helpers/temp-core';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('global CLI options stand before or after the command', () => {
  it('--data-dir DIR before the command is not read as a command word', async () => {
    for (const args of [
      (dir: string) => ['--data-dir', dir, 'info', '--json'],
      (dir: string) => ['--json', `--data-dir=${dir}`, 'info'],
      (dir: string) => ['info', '--data-dir', dir, '--json'],
    ]) {
      const dir = tempDir();
      const result = await cli(args(dir));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ dataDir: dir });
    }
  });

  it('commands with their own options and positionals still parse', async () => {
    const dir = tempDir();
    const target = path.join(tempDir(), 'copy.sqlite');
    const result = await cli(['--data-dir', dir, '--json', 'db', 'backup', target]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ file: target });
    expect(splitGlobalOptions(['--data-dir', '/x', 'import', 'a.csv', '--sheet', 'S', '--', '--json']).rest).toEqual(['import', 'a.csv', '--sheet', 'S', '--', '--json']);
  });

  it('a missing folder is a usage error, not a command word', async () => {
    const missing = await cli(['info', '--data-dir']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--data-dir needs a folder/);
    expect((await cli(['--data-dir', '--json', 'info'])).code).toBe(2);
  });

  it('works from a real process as the README documents (npm run cli -- --data-dir DIR info)', () => {
    const root = findAppRoot(import.meta.dirname);
    const dir = tempDir();
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/cli/main.ts'), '--data-dir', dir, 'info', '--json'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ dataDir: dir });
  });
});
