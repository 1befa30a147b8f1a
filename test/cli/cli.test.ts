import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '@main/cli/commands';
import { runCli } from '@main/cli/run-cli';
import { tempDir } from '../helpers/temp-core';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('CLI', () => {
  it('info --json reports paths, schema and row counts', async () => {
    const dir = tempDir();
    const { code, stdout, stderr } = await cli(['info', '--json', '--data-dir', dir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as { dataDir: string; schema: { applied: number; available: number }; rowCounts: Record<string, number> };
    expect(info.dataDir).toBe(dir);
    expect(info.schema.applied).toBe(info.schema.available);
    expect(info.rowCounts).toHaveProperty('leads', 0);
  });

  it('db migrate and db backup write a usable copy', async () => {
    const dir = tempDir();
    expect((await cli(['db', 'migrate', '--json', '--data-dir', dir])).code).toBe(0);
    const target = path.join(tempDir(), 'nested', 'copy.sqlite');
    const result = await cli(['db', 'backup', target, '--json', '--data-dir', dir]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ file: target });
    const copy = await cli(['info', '--json', '--data-dir', dir]);
    expect(fs.statSync(target).size).toBeGreaterThan(0);
    expect(JSON.parse(copy.stdout).schema.applied).toBeGreaterThan(0);
  });

  it('errors are one line on stderr with a non-zero exit code', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    const missing = await cli(['db', 'backup', '--data-dir', tempDir()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing <file>/);
    const badFlag = await cli(['info', '--bogus']);
    expect(badFlag.code).toBe(2);
    const blocker = path.join(tempDir(), 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const unwritable = await cli(['db', 'backup', path.join(blocker, 'sub', 'copy.sqlite'), '--data-dir', tempDir()]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).not.toMatch(/\s+at /);
  });

  it('--help lists every command', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of commands) expect(help.stdout).toContain(command.usage);
  });
});
