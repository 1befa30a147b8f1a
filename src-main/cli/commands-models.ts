import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '@shared/contract/errors';
import { DownloadInput, type DownloadProgress, type DownloadResult, type FitEstimate, type GgufSummary, type ModelEntry, type PartialDownload } from '@shared/contract/models';
import { type GenerateResult } from '@shared/contract/llm';
import { DOWNLOAD_PAUSE, inspectGguf } from '../models';
import { intOption, loadCliModel, unloadCliModel } from './cli-model';
import { requirePositional, UsageError, type CliCommand, type CliValues } from './command';

const mb = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);
const params = (n: number | null): string => (n === null ? '?' : n >= 1e9 ? `${(n / 1e9).toFixed(1)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : `${(n / 1e3).toFixed(0)}K`);

function stringOption(values: CliValues, name: string): string | undefined {
  const raw = values[name];
  return typeof raw === 'string' ? raw : undefined;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

interface ListResult {
  models: ModelEntry[];
  downloads: PartialDownload[];
}

interface InspectResult {
  summary: GgufSummary;
  fit: FitEstimate | null;
  fitError: string | null;
}

function progressLine(p: DownloadProgress): string {
  const of = p.totalBytes ? ` / ${mb(p.totalBytes)} (${((100 * p.receivedBytes) / p.totalBytes).toFixed(0)}%)` : '';
  const speed = p.bytesPerSecond > 0 ? `  ${mb(p.bytesPerSecond)}/s` : '';
  return `${p.state.padEnd(11)} ${p.fileName}  ${mb(p.receivedBytes)}${of}${speed}`;
}

export const modelCommands: CliCommand[] = [
  {
    path: ['models', 'list'],
    usage: 'models list [--json]',
    summary: 'GGUF models in the models folders, added files and resumable downloads',
    async run(ctx): Promise<ListResult> {
      const core = ctx.core();
      return { models: await core.models.list(), downloads: await core.models.downloader.listPartial() };
    },
    human(result) {
      const { models, downloads } = result as ListResult;
      const lines: string[] = [];
      if (models.length === 0) lines.push('no models (add one with: models add <file.gguf>)');
      else {
        const rows = [['FILE', 'SIZE', 'ARCH', 'PARAMS', 'QUANT', 'CTX', 'SOURCE', 'STATUS']];
        for (const m of models) {
          const s = m.summary;
          const status = m.broken ? `broken: ${m.broken}` : m.error ? `error: ${m.error}` : s && !s.loadable ? `not loadable: ${s.problems.join(' ')}` : m.loaded ? 'loaded' : 'ok';
          rows.push([m.fileName, mb(m.sizeBytes), s?.architecture ?? '?', params(s?.parameterCount ?? null), s?.quantisation ?? '?', String(s?.contextLength ?? '?'), m.source, status]);
        }
        lines.push(table(rows));
      }
      for (const d of downloads) lines.push(`partial download: ${d.fileName} ${mb(d.receivedBytes)}${d.totalBytes ? ` / ${mb(d.totalBytes)}` : ''} (${d.state}) from ${d.url}`);
      return lines.join('\n');
    },
  },
  {
    path: ['models', 'inspect'],
    usage: 'models inspect <file.gguf> [--context N] [--json]',
    summary: 'Header metadata (no loading) and whether the model fits in RAM / VRAM here',
    options: { context: { type: 'string' } },
    async run(ctx, positionals, values): Promise<InspectResult> {
      const file = path.resolve(requirePositional(positionals, 0, 'file'));
      const contextSize = intOption(values, 'context', 256, 262_144);
      // Read the header here first: a bad file fails with its reason without starting the model process.
      const summary = await inspectGguf(file);
      if (!summary.loadable) return { summary, fit: null, fitError: summary.problems.join(' ') };
      return ctx.core().llm.host().inspect(file, { contextSize });
    },
    human(result) {
      const { summary: s, fit, fitError } = result as InspectResult;
      const lines = [
        `file:          ${s.path} (${mb(s.sizeBytes)}, GGUF v${s.ggufVersion})`,
        `name:          ${s.name ?? '-'}`,
        `architecture:  ${s.architecture ?? '?'}, ${params(s.parameterCount)} parameters, ${s.quantisation ?? '?'}`,
        `shape:         ${s.layers ?? '?'} layers, ${s.embeddingLength ?? '?'}-dim, ${s.heads ?? '?'} heads, vocab ${s.vocabSize ?? '?'}`,
        `context:       ${s.contextLength ?? '?'} tokens (trained)`,
        `chat template: ${s.chatTemplate ? 'yes' : 'no'}`,
        `loadable:      ${s.loadable ? 'yes' : `no: ${s.problems.join(' ')}`}`,
      ];
      if (fit) {
        lines.push(`fit:           ${fit.verdict} (context ${fit.contextSize}: RAM ${mb(fit.ramBytes)}, VRAM ${mb(fit.vramBytes)}, ${fit.gpuLayers}/${fit.totalLayers} layers on GPU)`);
        lines.push(`machine:       RAM ${mb(fit.machine.freeRamBytes)} free of ${mb(fit.machine.totalRamBytes)}, ${fit.machine.cpuCores} cores, GPU ${fit.machine.gpu ?? 'none'}`);
      } else if (fitError) lines.push(`fit:           unknown (${fitError})`);
      return lines.join('\n');
    },
  },
  {
    path: ['models', 'download'],
    usage: 'models download <url|hf:...> [--sha256 <hex>] [--file-name <name.gguf>] [--size <bytes>] [--json]',
    summary: 'Download a GGUF into the models folder (resumable: run it again to resume; Ctrl+C pauses)',
    options: { sha256: { type: 'string' }, 'file-name': { type: 'string' }, size: { type: 'string' } },
    async run(ctx, positionals, values): Promise<DownloadResult> {
      const parsed = DownloadInput.safeParse({
        requestId: `cli-${randomUUID()}`,
        url: requirePositional(positionals, 0, 'url'),
        sha256: stringOption(values, 'sha256'),
        fileName: stringOption(values, 'file-name'),
        sizeBytes: intOption(values, 'size', 1, Number.MAX_SAFE_INTEGER),
      });
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
      const input = parsed.data;
      const downloader = ctx.core().models.downloader;
      let lastState = '';
      const off = downloader.onProgress((p) => {
        if (p.requestId !== input.requestId || ctx.json) return;
        // On a terminal the line rewrites itself; in a log each state change is one line.
        ctx.err(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}${progressLine(p)}${process.stderr.isTTY && p.state === 'downloading' ? '' : '\n'}`);
        lastState = p.state;
      });
      // Ctrl+C pauses (the partial file stays and the same command resumes it), it never discards.
      const pausing = new AbortController();
      const pause = (): void => pausing.abort(DOWNLOAD_PAUSE);
      ctx.signal.addEventListener('abort', pause, { once: true });
      try {
        if (ctx.signal.aborted) throw new AppError('CANCELLED', 'The download was not started.');
        const result = await downloader.download(input, { signal: pausing.signal });
        if (lastState === 'downloading' && process.stderr.isTTY) ctx.err('\n');
        if (result.state !== 'completed') {
          const kept = (await downloader.listPartial()).find((d) => d.fileName === result.fileName);
          const at = kept ? ` at ${mb(kept.receivedBytes)}${kept.totalBytes ? ` of ${mb(kept.totalBytes)}` : ''}` : '';
          throw new AppError('CANCELLED', `Download of ${result.fileName} paused${at}; run the same command again to resume.`);
        }
        return result;
      } finally {
        ctx.signal.removeEventListener('abort', pause);
        off();
      }
    },
    human(result) {
      const r = result as DownloadResult;
      return `downloaded ${r.fileName} (${mb(r.receivedBytes)}, sha256 ${r.sha256 ?? '?'}) to ${r.path ?? '?'}`;
    },
  },
  {
    path: ['models', 'add'],
    usage: 'models add <file.gguf> [--link] [--json]',
    summary: 'Copy a GGUF into the models folder (--link: use it where it is)',
    options: { link: { type: 'boolean' } },
    async run(ctx, positionals, values): Promise<ModelEntry> {
      const file = path.resolve(requirePositional(positionals, 0, 'file'));
      if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `No file at ${file}.`);
      return ctx.core().models.add(file, values.link === true ? 'link' : 'copy');
    },
    human(result) {
      const m = result as ModelEntry;
      return `${m.source === 'added' ? 'linked' : 'added'} ${m.fileName} (${mb(m.sizeBytes)}) at ${m.path}`;
    },
  },
  {
    path: ['llm', 'generate'],
    usage: 'llm generate --model <file.gguf> --prompt "<text>" [--system "<text>"] [--raw] [--json-schema <file.json>] [--threads N] [--max-tokens N] [--context N] [--temperature T] [--seed N] [--json]',
    summary: 'Generate with a local model, streaming to stdout (--json-schema: print schema-valid JSON)',
    options: {
      model: { type: 'string' },
      prompt: { type: 'string' },
      system: { type: 'string' },
      raw: { type: 'boolean' },
      'json-schema': { type: 'string' },
      threads: { type: 'string' },
      'max-tokens': { type: 'string' },
      context: { type: 'string' },
      temperature: { type: 'string' },
      seed: { type: 'string' },
    },
    async run(ctx, _positionals, values) {
      const model = stringOption(values, 'model');
      const prompt = stringOption(values, 'prompt');
      if (!model) throw new UsageError('missing --model <file.gguf>');
      if (prompt === undefined || prompt.trim() === '') throw new UsageError('missing --prompt "<text>"');
      const schemaFile = stringOption(values, 'json-schema');
      const jsonSchema = schemaFile ? readJsonSchema(schemaFile) : null;
      const threads = intOption(values, 'threads', 1, 256);
      const contextSize = intOption(values, 'context', 256, 262_144);
      const temperatureRaw = stringOption(values, 'temperature');
      const temperature = temperatureRaw === undefined ? undefined : Number(temperatureRaw);
      if (temperature !== undefined && !(temperature >= 0 && temperature <= 2)) throw new UsageError('--temperature must be a number from 0 to 2');
      const options = { maxTokens: intOption(values, 'max-tokens', 1, 16_384), seed: intOption(values, 'seed', 0, 2 ** 31), temperature };
      const core = ctx.core();
      await loadCliModel(core, model, { threads, contextSize, signal: ctx.signal });
      const host = core.llm.host();
      const requestId = `cli-${randomUUID()}`;
      const system = stringOption(values, 'system');
      try {
        if (jsonSchema) {
          const result = await host.generate({ mode: 'json', requestId, prompt, systemPrompt: system, jsonSchema, options }, { signal: ctx.signal });
          return ctx.json ? { json: result.json, stats: result.stats } : result.json;
        }
        const off = ctx.json ? () => undefined : host.on('delta', (d) => {
          if (d.requestId === requestId) ctx.out(d.text);
        });
        let result: GenerateResult;
        try {
          result = values.raw === true
            ? await host.complete({ requestId, prompt, options }, { signal: ctx.signal })
            : await host.chat({ requestId, conversationId: requestId, systemPrompt: system, history: [], message: prompt, options }, { signal: ctx.signal });
        } finally {
          off();
        }
        if (result.cancelled) throw new AppError('CANCELLED', 'Generation stopped.');
        return ctx.json ? { text: result.text, stats: result.stats } : null;
      } finally {
        await unloadCliModel(core);
      }
    },
    human(result) {
      // Streamed text is already on stdout; this ends its line. Schema output is printed as JSON.
      return result === null ? '' : JSON.stringify(result, null, 2);
    },
  },
];

function readJsonSchema(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
  } catch (error) {
    const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'the file does not exist' : error instanceof Error ? error.message : String(error);
    throw new AppError('VALIDATION', `Cannot read the JSON schema ${file}: ${reason}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new AppError('VALIDATION', `The JSON schema ${file} must be a JSON object.`);
  return parsed as Record<string, unknown>;
}
