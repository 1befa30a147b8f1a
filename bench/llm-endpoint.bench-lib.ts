/**
 * The endpoint half of `npm run bench:llm`: the app's endpoint path (the per-task router → the
 * node:http SSE client → the coach's delta callback, usage counted in SQLite) against the same
 * OpenAI-compatible server called raw (fetch and a minimal SSE loop, as the OpenAI docs stream). The
 * server runs in its own process and paces its tokens like a real one (a prompt delay, then a token
 * every few milliseconds). Paired like the local benchmark: raw → app → raw or app → raw → app, the
 * middle run against the mean of the outer two, median of the pair ratios.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CoachLlm } from '@main/coaching';
import { createCore } from '@main/composition/create-core';
import { appPaths, findAppRoot } from '@main/core/paths';
import { createEndpointFeature } from '@main/endpoint';
import type { ServerMode } from '../test/helpers/openai-server';

const PAIRS = 12;
const TOKENS = 128;
const TOKEN_INTERVAL_MS = 4;
const PROMPT_DELAY_MS = 120;
const SYSTEM = 'You are Fieldmate, an offline sales coach. Keep answers under eighty words.';
const USER = 'The customer says: "Your pallets are fifteen percent more expensive than last week\'s offer."';

interface Run {
  ttftMs: number;
  tokens: number;
  generationTokensPerSecond: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const metrics = (start: number, first: number, end: number, tokens: number): Run => ({ ttftMs: first - start, tokens, generationTokensPerSecond: (tokens - 1) / ((end - first) / 1000) });

function startServer(): Promise<{ baseUrl: string; setMode: (mode: ServerMode) => Promise<void>; stop: () => void }> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'openai-server-child.ts'), [], { execArgv: ['--import', tsx], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message) => {
      const { baseUrl } = message as { baseUrl: string };
      resolve({
        baseUrl,
        setMode: (mode) => new Promise((done) => {
          child.once('message', () => done());
          child.send({ cmd: 'mode', mode });
        }),
        stop: () => void child.send({ cmd: 'exit' }),
      });
    });
  });
}

/** The baseline: fetch with stream: true and the smallest SSE loop that reads the content pieces. */
async function rawRun(baseUrl: string): Promise<Run> {
  const start = performance.now();
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test-model', stream: true, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: USER }] }),
  });
  if (!response.body) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  let first = 0;
  let tokens = 0;
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut = buffer.indexOf('\n\n');
    while (cut !== -1) {
      const event = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      cut = buffer.indexOf('\n\n');
      const data = event.startsWith('data: ') ? event.slice(6) : '';
      if (!data || data === '[DONE]') continue;
      const parsed = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
      if (parsed.choices?.[0]?.delta?.content) {
        first ||= performance.now();
        tokens += 1;
      }
    }
  }
  return metrics(start, first, performance.now(), tokens);
}

export interface EndpointBenchResult {
  settings: { pairs: number; tokens: number; tokenIntervalMs: number; promptDelayMs: number };
  app: { ttftMs: number; generationTokensPerSecond: number; runs: Run[] };
  raw: { ttftMs: number; generationTokensPerSecond: number; runs: Run[] };
  ratios: { generationTokensPerSecond: number; ttft: number };
  pairRatios: { generation: number; ttft: number }[];
  goals: { generationRatioAtLeast097: boolean; ttftRatioAtMost110: boolean };
}

export async function benchEndpoint(): Promise<EndpointBenchResult> {
  const server = await startServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldmate-bench-endpoint-'));
  const core = createCore({ paths: appPaths(dataDir, findAppRoot(path.dirname(fileURLToPath(import.meta.url)))), transport: 'cli', appVersion: 'bench', osLocale: 'en-US', log: () => undefined, isOnline: () => false });
  const noLocal: CoachLlm = { ready: () => false, contextTokens: () => 0, chat: () => Promise.reject(new Error('no local model')), json: () => Promise.reject(new Error('no local model')) };
  const endpoint = createEndpointFeature({ db: core.db, events: core.events, log: () => undefined, isOnline: () => false, llm: noLocal });
  try {
    // The same store row the app's own endpoint feature reads: the settings take the app's path too.
    const saved = await core.call('endpoint:update', { baseUrl: server.baseUrl, model: 'test-model', routes: { coachReply: 'endpoint' } });
    if (!saved.ok) throw new Error(saved.error.message);
    const pieces = Array.from({ length: TOKENS }, (_, i) => ` tok${i}`);
    await server.setMode({ kind: 'stream', pieces, pieceDelayMs: TOKEN_INTERVAL_MS, firstPieceDelayMs: PROMPT_DELAY_MS });
    let request = 0;
    const appRun = async (): Promise<Run> => {
      const start = performance.now();
      let first = 0;
      let tokens = 0;
      request += 1;
      await endpoint.llm.chat(
        { requestId: `bench-${request}`, conversationId: 'bench', systemPrompt: SYSTEM, history: [], message: USER, task: 'coachReply' },
        () => {
          first ||= performance.now();
          tokens += 1;
        },
        new AbortController().signal,
      );
      return metrics(start, first, performance.now(), tokens);
    };
    // Warm both paths (connection set-up, JIT) before measuring.
    await rawRun(server.baseUrl);
    await appRun();
    const app: Run[] = [];
    const raw: Run[] = [];
    const pairRatios: { generation: number; ttft: number }[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      const appInMiddle = pair % 2 === 0;
      const a = appInMiddle ? await rawRun(server.baseUrl) : await appRun();
      const b = appInMiddle ? await appRun() : await rawRun(server.baseUrl);
      const c = appInMiddle ? await rawRun(server.baseUrl) : await appRun();
      const outer = { gen: (a.generationTokensPerSecond + c.generationTokensPerSecond) / 2, ttft: (a.ttftMs + c.ttftMs) / 2 };
      const appM = appInMiddle ? { gen: b.generationTokensPerSecond, ttft: b.ttftMs } : outer;
      const rawM = appInMiddle ? outer : { gen: b.generationTokensPerSecond, ttft: b.ttftMs };
      (appInMiddle ? app : raw).push(b);
      (appInMiddle ? raw : app).push(a, c);
      pairRatios.push({ generation: appM.gen / rawM.gen, ttft: appM.ttft / rawM.ttft });
      console.log(`endpoint pair ${pair}: app ${round(appM.gen)} tok/s, TTFT ${round(appM.ttft)} ms | raw ${round(rawM.gen)} tok/s, TTFT ${round(rawM.ttft)} ms`);
    }
    const ratios = { generationTokensPerSecond: round(median(pairRatios.map((r) => r.generation)), 3), ttft: round(median(pairRatios.map((r) => r.ttft)), 3) };
    const summary = (runs: Run[]) => ({ ttftMs: round(median(runs.map((r) => r.ttftMs))), generationTokensPerSecond: round(median(runs.map((r) => r.generationTokensPerSecond)), 2), runs: runs.map((r) => ({ ttftMs: round(r.ttftMs, 2), tokens: r.tokens, generationTokensPerSecond: round(r.generationTokensPerSecond, 2) })) });
    return {
      settings: { pairs: PAIRS, tokens: TOKENS, tokenIntervalMs: TOKEN_INTERVAL_MS, promptDelayMs: PROMPT_DELAY_MS },
      app: summary(app),
      raw: summary(raw),
      ratios,
      pairRatios: pairRatios.map((r) => ({ generation: round(r.generation, 3), ttft: round(r.ttft, 3) })),
      goals: { generationRatioAtLeast097: ratios.generationTokensPerSecond >= 0.97, ttftRatioAtMost110: ratios.ttft <= 1.1 },
    };
  } finally {
    server.stop();
    await core.close();
  }
}

/** Writes bench-results/llm-endpoint.json and prints the summary. */
export async function writeEndpointBench(outDir: string): Promise<EndpointBenchResult> {
  const result = { date: new Date().toISOString(), machine: { loadAverage: os.loadavg().map((l) => round(l, 2)), cpus: os.cpus().length, node: process.version }, ...(await benchEndpoint()) };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'llm-endpoint.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ endpoint: { app: { ttftMs: result.app.ttftMs, generationTokensPerSecond: result.app.generationTokensPerSecond }, raw: { ttftMs: result.raw.ttftMs, generationTokensPerSecond: result.raw.generationTokensPerSecond }, ratios: result.ratios, goals: result.goals } }, null, 2));
  console.log(`Wrote ${path.join(outDir, 'llm-endpoint.json')}`);
  return result;
}
