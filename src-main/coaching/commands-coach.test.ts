import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoachAnalyzeOutput } from '@shared/coaching/types';
import { tempDir } from '../../test/helpers/temp-core';
import { commands } from '../cli/commands';
import { runCli } from '../cli/run-cli';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('cli coach analyze', () => {
  const dataDir = tempDir();

  it('prints exactly the documented shape (fallback without a model)', async () => {
    const { code, stdout, stderr } = await cli(['coach', 'analyze', 'Za drogo, muszę to przemyśleć.', '--lang', 'pl', '--json', '--data-dir', dataDir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const output = JSON.parse(stdout) as unknown;
    const parsed = CoachAnalyzeOutput.parse(output);
    expect(Object.keys(output as object).sort()).toEqual(['archetype', 'archetype_confidence', 'buying_signals', 'objections', 'source', 'suggestions']);
    expect(parsed.source).toBe('fallback');
    expect(parsed.objections).toEqual([
      { category: 'price', quote: 'Za drogo' },
      { category: 'timing', quote: 'muszę to przemyśleć.' },
    ]);
    // Three responses for price (and a promotion valid today, when there is one), one for timing.
    const kinds = parsed.suggestions.map((s) => s.kind);
    expect(kinds.slice(-2)).toEqual(['next_question', 'playbook_step']);
    expect(kinds.slice(0, -2).every((k) => k === 'objection_response') && kinds.length >= 6).toBe(true);
    expect(parsed.suggestions.every((s) => s.knowledge_ids.length > 0)).toBe(true);
  });

  it('gives an empty objections list when there is no objection, in English too', async () => {
    const { code, stdout } = await cli(['coach', 'analyze', 'When can I pick it up if I order today?', '--json', '--data-dir', dataDir]);
    expect(code).toBe(0);
    const parsed = CoachAnalyzeOutput.parse(JSON.parse(stdout));
    expect(parsed.objections).toEqual([]);
    expect(parsed.buying_signals).toEqual(['When can I pick it up if I order today?']);
    expect(parsed.suggestions.find((s) => s.kind === 'next_question')?.text).toMatch(/\?$/);
  });

  it('answers bad input with one clear line and a non-zero exit code', async () => {
    expect(await cli(['coach', 'analyze', '   ', '--data-dir', dataDir])).toMatchObject({ code: 1, stdout: '', stderr: 'fieldmate: Type what the client said first: the message is empty.\n' });
    expect((await cli(['coach', 'analyze', '--data-dir', dataDir])).code).toBe(2);
    expect((await cli(['coach', 'analyze', 'x', '--lang', 'de', '--data-dir', dataDir])).stderr).toMatch(/--lang must be pl or en/);
    const noModel = await cli(['coach', 'analyze', 'too expensive', '--model', path.join(dataDir, 'missing.gguf'), '--data-dir', dataDir]);
    expect(noModel).toMatchObject({ code: 1 });
    expect(noModel.stderr).toMatch(/No model file/);
    const file = path.join(dataDir, 'fake.gguf');
    fs.writeFileSync(file, 'GGUF');
    expect(await cli(['coach', 'analyze', 'too expensive', '--model', file, '--data-dir', dataDir])).toMatchObject({ code: 1, stdout: '', stderr: 'fieldmate: fake.gguf is truncated: its header describes 8 bytes but the file has 4. Download it again.\n' });
  });

  it('prints a readable summary without --json', async () => {
    const { stdout } = await cli(['coach', 'analyze', 'I need to discuss it with my wife.', '--data-dir', dataDir]);
    expect(stdout).toMatch(/^source: {4}fallback\n/);
    expect(stdout).toMatch(/authority\s+"I need to discuss it with my wife\."/);
  });
});

describe('cli knowledge import / export', () => {
  it('exports JSON and xlsx, and imports them into another store', async () => {
    const from = tempDir();
    const to = tempDir();
    const json = path.join(from, 'out', 'knowledge.json');
    const xlsx = path.join(from, 'knowledge.xlsx');
    expect((await cli(['knowledge', 'export', json, '--data-dir', from])).code).toBe(0);
    expect((await cli(['knowledge', 'export', xlsx, '--lang', 'en', '--json', '--data-dir', from])).code).toBe(0);
    const entries = (JSON.parse(fs.readFileSync(json, 'utf8')) as { entries: unknown[] }).entries.length;
    const imported = await cli(['knowledge', 'import', json, '--json', '--data-dir', to]);
    // The target store seeds the same pack with the same ids first, so everything is already there.
    expect(JSON.parse(imported.stdout)).toEqual({ created: 0, updated: 0, unchanged: entries, errors: [] });
    const fromXlsx = await cli(['knowledge', 'import', xlsx, '--data-dir', to]);
    expect(fromXlsx.stdout).toMatch(/^created 0, updated 0, unchanged \d+, errors 0/);
    expect((await cli(['knowledge', 'import', path.join(from, 'nope.csv'), '--data-dir', to])).stderr).toMatch(/--format json\|xlsx/);
  });
});
