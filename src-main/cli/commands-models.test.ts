import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { CoachAnalyzeOutput } from '@shared/coaching/types';
import { ARCHETYPES, OBJECTION_CATEGORIES } from '@shared/coaching/keys';
import type { DownloadResult, GgufSummary, ModelEntry, PartialDownload } from '@shared/contract/models';
import { createTempCore, tempDir } from '../../test/helpers/temp-core';
import { updateSettings } from '../settings/settings-service';
import { commands } from './commands';
import { runCli } from './run-cli';

async function cli(args: string[], signal?: AbortSignal) {
  const writes: string[] = [];
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => void writes.push(t), stderr: (t) => (stderr += t) }, signal);
  return { code, stdout: writes.join(''), writes, stderr };
}

// Real generated GGUF files, a real model child process (1 thread) and a real HTTP server on 127.0.0.1.
const work = tempDir('fm-cli-models-');
const dataDir = path.join(work, 'data');
const tiny = path.join(work, 'tiny.gguf');
const notGguf = path.join(work, 'notes.gguf');
const truncated = path.join(work, 'truncated.gguf');

beforeAll(() => {
  writeTestGguf(tiny, { nEmbd: 64, nLayers: 2, vocabSize: 512, contextLength: 2048, seed: 11 });
  fs.writeFileSync(notGguf, 'These are not model weights.\n');
  fs.writeFileSync(truncated, fs.readFileSync(tiny).subarray(0, 60_000));
  const core = createTempCore({ dataDir });
  updateSettings(core.db, 'en-US', { llmThreads: 1 });
  return core.close();
});

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('cli models list / inspect / add', () => {
  it('inspect prints the header metadata and a fit estimate', async () => {
    const json = await cli(['models', 'inspect', tiny, '--json', '--data-dir', dataDir]);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.stdout) as { summary: GgufSummary; fit: { verdict: string; contextSize: number } | null };
    expect(r.summary).toMatchObject({ fileName: 'tiny.gguf', architecture: 'llama', embeddingLength: 64, layers: 2, vocabSize: 512, contextLength: 2048, chatTemplate: true, loadable: true, problems: [] });
    expect(r.summary.parameterCount).toBeGreaterThan(100_000);
    expect(r.fit?.verdict).toBe('fits');
    const human = await cli(['models', 'inspect', tiny, '--data-dir', dataDir]);
    expect(human.stdout).toMatch(/^file: +.*tiny\.gguf \(0\.2 MB, GGUF v3\)$/m);
    expect(human.stdout).toMatch(/^architecture: +llama, \d+K parameters/m);
    expect(human.stdout).toMatch(/^fit: +fits /m);
  });

  it('add copies into the models folder, --link records the file where it is, list shows both', async () => {
    const copy = await cli(['models', 'add', tiny, '--json', '--data-dir', dataDir]);
    expect(copy.code).toBe(0);
    const copied = JSON.parse(copy.stdout) as ModelEntry;
    expect(copied).toMatchObject({ source: 'user', path: path.join(dataDir, 'models', 'tiny.gguf') });
    expect(fs.readFileSync(copied.path).equals(fs.readFileSync(tiny))).toBe(true);
    const again = await cli(['models', 'add', tiny, '--data-dir', dataDir]);
    expect(again).toMatchObject({ code: 1, stdout: '', stderr: 'fieldmate: A model named tiny.gguf is already in the models folder.\n' });
    const link = await cli(['models', 'add', tiny, '--link', '--data-dir', dataDir]);
    expect(link.stdout).toBe(`linked tiny.gguf (0.2 MB) at ${tiny}\n`);

    const list = JSON.parse((await cli(['models', 'list', '--json', '--data-dir', dataDir])).stdout) as { models: ModelEntry[]; downloads: PartialDownload[] };
    const ours = list.models.filter((m) => m.path.startsWith(work)).map((m) => ({ path: m.path, source: m.source, arch: m.summary?.architecture }));
    expect(ours).toEqual(expect.arrayContaining([
      { path: copied.path, source: 'user', arch: 'llama' },
      { path: tiny, source: 'added', arch: 'llama' },
    ]));
    const human = await cli(['models', 'list', '--data-dir', dataDir]);
    expect(human.stdout).toMatch(/^FILE +SIZE +ARCH +PARAMS +QUANT +CTX +SOURCE +STATUS$/m);
    expect(human.stdout).toMatch(/^tiny\.gguf +0\.2 MB +llama +\d+K +MOSTLY_Q8_0 +2048 +added +ok$/m);
  });

  it('a non-GGUF or truncated file fails with one clear line and exit code 1', async () => {
    for (const args of [['models', 'inspect', notGguf], ['models', 'add', notGguf], ['llm', 'generate', '--model', notGguf, '--prompt', 'hi']]) {
      const r = await cli([...args, '--data-dir', dataDir]);
      expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'fieldmate: notes.gguf is not a GGUF model file (it does not start with "GGUF").\n' });
    }
    const cut = await cli(['llm', 'generate', '--model', truncated, '--prompt', 'hi', '--threads', '1', '--data-dir', dataDir]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/^fieldmate: truncated\.gguf is truncated: its header describes [\d,]+ bytes but the file has 60,000\. Download it again\.\n$/);
    expect((await cli(['llm', 'generate', '--prompt', 'hi', '--data-dir', dataDir])).code).toBe(2);
    expect((await cli(['llm', 'generate', '--model', tiny, '--prompt', 'hi', '--threads', '0', '--data-dir', dataDir])).stderr).toMatch(/--threads must be a whole number from 1 to 256/);
  });
});

describe('cli llm generate', () => {
  it('streams the answer to stdout as it is generated', async () => {
    const r = await cli(['llm', 'generate', '--model', tiny, '--prompt', 'The price is too high.', '--threads', '1', '--max-tokens', '400', '--seed', '1', '--data-dir', dataDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Several deltas (the child batches them every 40 ms), then the closing newline.
    expect(r.writes.length).toBeGreaterThan(2);
    expect(r.writes.at(-1)).toBe('\n');
    const json = await cli(['llm', 'generate', '--model', tiny, '--prompt', 'The price is too high.', '--threads', '1', '--max-tokens', '24', '--seed', '1', '--json', '--data-dir', dataDir]);
    const result = JSON.parse(json.stdout) as { text: string; stats: { generatedTokens: number } };
    expect(result.stats.generatedTokens).toBeGreaterThan(0);
    expect(json.writes).toHaveLength(1);
  });

  it('--json-schema prints JSON that matches a small enum schema', async () => {
    const schema = path.join(work, 'mood.json');
    fs.writeFileSync(schema, JSON.stringify({ type: 'object', properties: { mood: { enum: ['calm', 'angry', 'unsure'] }, buy: { type: 'boolean' } }, required: ['mood', 'buy'], additionalProperties: false }));
    for (const seed of ['1', '2']) {
      const r = await cli(['llm', 'generate', '--model', tiny, '--prompt', 'How does the client feel?', '--json-schema', schema, '--threads', '1', '--seed', seed, '--data-dir', dataDir]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const value = JSON.parse(r.stdout) as { mood: string; buy: boolean };
      expect(Object.keys(value).sort()).toEqual(['buy', 'mood']);
      expect(['calm', 'angry', 'unsure']).toContain(value.mood);
      expect(typeof value.buy).toBe('boolean');
    }
    const missing = await cli(['llm', 'generate', '--model', tiny, '--prompt', 'x', '--json-schema', path.join(work, 'nope.json'), '--data-dir', dataDir]);
    expect(missing).toMatchObject({ code: 1, stderr: `fieldmate: Cannot read the JSON schema ${path.join(work, 'nope.json')}: the file does not exist.\n` });
  });
});

describe('cli coach analyze --model', () => {
  it('prints exactly the documented shape with source "model" (threads from Settings)', async () => {
    const r = await cli(['coach', 'analyze', 'To jest za drogo', '--model', tiny, '--json', '--data-dir', dataDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const output = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(output).sort()).toEqual(['archetype', 'archetype_confidence', 'buying_signals', 'objections', 'source', 'suggestions']);
    const parsed = CoachAnalyzeOutput.parse(output);
    // A random model writes gibberish text, but the grammar keeps every category inside its enum.
    expect(parsed.source).toBe('model');
    expect(ARCHETYPES).toContain(parsed.archetype);
    expect(['low', 'medium', 'high']).toContain(parsed.archetype_confidence);
    for (const o of parsed.objections) expect(OBJECTION_CATEGORIES).toContain(o.category);
    expect(parsed.suggestions.length).toBeGreaterThan(0);
    for (const s of parsed.suggestions) expect(['objection_response', 'next_question', 'playbook_step']).toContain(s.kind);
    for (const o of parsed.suggestions) expect(Object.keys(o).sort()).toEqual(['kind', 'knowledge_ids', 'text']);
  });
});

describe('cli models download', () => {
  let file = Buffer.alloc(0);
  let mode: 'cut' | 'stall' | 'ok' = 'ok';
  const ranges: (string | null)[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    ranges.push(req.headers.range ?? null);
    const match = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const from = match ? Number(match[1]) : 0;
    const half = Math.floor(file.length / 2);
    const headers = { 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes', ETag: '"tiny-v1"', 'Content-Length': String(file.length - from) };
    if (match) res.writeHead(206, { ...headers, 'Content-Range': `bytes ${from}-${file.length - 1}/${file.length}` });
    else res.writeHead(200, headers);
    if (mode === 'ok') return void res.end(file.subarray(from));
    // Half the file, then the connection drops ("cut") or hangs until the client gives up ("stall").
    res.write(file.subarray(from, Math.max(from, half)));
    // Cut only once the half is on the client's disk: fetch drops chunks still queued when the stream errors.
    const partial = path.join(dataDir, 'models', `${path.basename(req.url ?? '')}.partial`);
    const cutWhenWritten = (): void => {
      if (mode !== 'cut') return;
      if ((fs.statSync(partial, { throwIfNoEntry: false })?.size ?? 0) >= half) res.socket?.destroy();
      else setTimeout(cutWhenWritten, 10);
    };
    cutWhenWritten();
  });

  beforeAll(async () => {
    file = fs.readFileSync(tiny);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const sha = () => createHash('sha256').update(file).digest('hex');

  it('keeps the partial when the connection is cut, and a re-run resumes it with a Range request', async () => {
    mode = 'cut';
    ranges.length = 0;
    const first = await cli(['models', 'download', `${base}/files/cut.gguf`, '--data-dir', dataDir]);
    expect(first.code).toBe(1);
    expect(first.stderr.trim().split('\n').at(-1)).toMatch(/^fieldmate: The connection was interrupted after .*; the partial download is kept and resumes where it stopped\.$/);
    const partial = path.join(dataDir, 'models', 'cut.gguf.partial');
    const kept = fs.statSync(partial).size;
    expect(kept).toBe(Math.floor(file.length / 2));

    mode = 'ok';
    ranges.length = 0;
    const second = await cli(['models', 'download', `${base}/files/cut.gguf`, '--sha256', sha(), '--json', '--data-dir', dataDir]);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(ranges).toEqual([`bytes=${kept}-`]);
    const result = JSON.parse(second.stdout) as DownloadResult;
    expect(result).toMatchObject({ state: 'completed', fileName: 'cut.gguf', sha256: sha(), receivedBytes: file.length });
    expect(fs.readFileSync(path.join(dataDir, 'models', 'cut.gguf')).equals(file)).toBe(true);
    expect(fs.existsSync(partial)).toBe(false);
  });

  it('Ctrl+C pauses and keeps the partial; the same command resumes and prints progress on stderr', async () => {
    mode = 'stall';
    const controller = new AbortController();
    const partial = path.join(dataDir, 'models', 'paused.gguf.partial');
    const half = Math.floor(file.length / 2);
    const running = cli(['models', 'download', `${base}/files/paused.gguf`, '--data-dir', dataDir], controller.signal);
    while ((fs.statSync(partial, { throwIfNoEntry: false })?.size ?? 0) < half) await new Promise((done) => setTimeout(done, 20));
    controller.abort();
    const paused = await running;
    expect(paused.code).toBe(130);
    expect(paused.stderr.trim().split('\n').at(-1)).toBe('fieldmate: Download of paused.gguf paused at 0.1 MB of 0.2 MB; run the same command again to resume.');
    const list = JSON.parse((await cli(['models', 'list', '--json', '--data-dir', dataDir])).stdout) as { downloads: PartialDownload[] };
    expect(list.downloads.find((d) => d.fileName === 'paused.gguf')).toMatchObject({ state: 'paused', receivedBytes: half, totalBytes: file.length });

    mode = 'ok';
    ranges.length = 0;
    const resumed = await cli(['models', 'download', `${base}/files/paused.gguf`, '--data-dir', dataDir]);
    expect(resumed.code).toBe(0);
    expect(ranges).toEqual([`bytes=${half}-`]);
    expect(resumed.stderr).toMatch(/^completed +paused\.gguf +0\.2 MB \/ 0\.2 MB \(100%\)/m);
    expect(resumed.stdout).toMatch(/^downloaded paused\.gguf \(0\.2 MB, sha256 [0-9a-f]{64}\) to .*paused\.gguf\n$/);
    expect(fs.readFileSync(path.join(dataDir, 'models', 'paused.gguf')).equals(file)).toBe(true);
  });
});
