/**
 * The main-process side of the local model runtime. Everything that touches a GGUF runs in a child
 * process (see llm-child.ts); this host serialises model operations, streams deltas, enforces
 * timeouts and cancellation, validates a file's header before asking the child to load it, and
 * survives the child dying: the model is marked broken when loading it crashed, the child is
 * restarted, and the previously loaded model is reloaded when the crash happened during a generation.
 */
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { basename, resolve } from 'node:path';
import type { z } from 'zod';
import { AppError } from '@shared/contract/errors';
import { FitEstimate, LoadedModel, type GgufSummary, type GpuLayers, type LoadInput } from '@shared/contract/models';
import { EmbedResult, GenerationStats, type ChatInput, type CompletionInput, type GenerateInput, type GenerateResult, type GenerationOptions, type LlmState, type LlmStatus } from '@shared/contract/llm';
import { BrokenModels } from './broken-models';
import { ChildConnection, describeCrash, type ChildExit } from './child-connection';
import { forkSpawner, type ChildSpawner } from './child-spawner';
import { inspectGguf } from '../models';
import type { ChildOp, LoadParams } from './llm-protocol';
import { cancelledResult, DEFAULT_TIMEOUTS, resolveSampling, type LlmHostEvents, type LlmHostOptions, type StructuredInput, type StructuredResult } from './llm-host-options';
import { OpQueue } from './op-queue';
import { finalizeStructured, jsonSchemaToZod, toGrammarSchema, zodToJsonSchema, type JsonSchema } from './structured-output';

interface GenerationOutput {
  text: string;
  stats: GenerationStats;
}

const MAX_QUICK_RESTARTS = 3;

export type { LlmHostEvents, LlmHostOptions, StructuredInput, StructuredResult } from './llm-host-options';

export class LlmHost {
  private readonly emitter = new EventEmitter();
  private readonly queue = new OpQueue();
  private readonly spawner: ChildSpawner;
  private readonly timeouts: typeof DEFAULT_TIMEOUTS;
  private readonly defaults: { threads: number; contextSize: number; sequences: number; gpuLayers: GpuLayers };
  private connection: ChildConnection | null = null;
  private childState: 'stopped' | 'starting' | 'running' | 'crashed' = 'stopped';
  private model: LoadedModel | null = null;
  private loadingPath: string | null = null;
  private lastLoad: LoadParams | null = null;
  private pendingReload: LoadParams | null = null;
  /** 0..1 while `loadingPath` loads (the child reports it). */
  private loadProgress = 0;
  private activeRequestId: string | null = null;
  private lastGeneration: LlmStatus['lastGeneration'] = null;
  private lastError: string | null = null;
  private restarts = 0;
  private recentCrashes: number[] = [];
  private disposed = false;
  private lastStatusJson = '';
  private readonly broken = new BrokenModels(() => this.emitStatus());
  /** Generations in flight, aborted when the host is disposed (cancellation otherwise comes through each caller's signal). */
  private readonly running = new Set<AbortController>();

  constructor(private readonly options: LlmHostOptions = {}) {
    this.spawner = options.spawner ?? forkSpawner({ entry: options.childEntry, env: { ...process.env, FIELDMATE_LLM_GPU: options.gpu === false ? 'false' : 'auto' } });
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.defaults = {
      threads: options.defaultThreads ?? os.availableParallelism(),
      contextSize: options.defaultContextSize ?? 4096,
      sequences: options.defaultSequences ?? 3,
      gpuLayers: options.defaultGpuLayers ?? 'auto',
    };
    this.emitter.setMaxListeners(50);
  }

  on<K extends keyof LlmHostEvents>(event: K, listener: (payload: LlmHostEvents[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  private emit<K extends keyof LlmHostEvents>(event: K, payload: LlmHostEvents[K]): void {
    this.emitter.emit(event, payload);
  }

  get childPid(): number | undefined {
    return this.connection?.alive ? this.connection.pid : undefined;
  }

  status(): LlmStatus {
    let state: LlmState;
    if (this.childState === 'stopped' || this.childState === 'crashed' || this.childState === 'starting') state = this.childState;
    else if (this.loadingPath) state = 'loading';
    else if (this.activeRequestId) state = 'busy';
    else state = this.model ? 'ready' : 'idle';
    return {
      state,
      model: this.model,
      lastGeneration: this.lastGeneration,
      lastError: this.lastError,
      broken: this.broken.list(),
      activeRequestId: this.activeRequestId,
      queued: this.queue.size,
      restarts: this.restarts,
      loading: this.loadingPath ? { path: this.loadingPath, fileName: basename(this.loadingPath), progress: this.loadProgress } : null,
    };
  }

  private emitStatus(): void {
    const status = this.status();
    const json = JSON.stringify(status);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    this.emit('status', status);
  }

  /** Starts the child ahead of the first request (optional: every operation starts it when needed). */
  async start(): Promise<void> {
    await this.ensureChild();
  }

  private async ensureChild(): Promise<ChildConnection> {
    if (this.disposed) throw new AppError('UNAVAILABLE', 'The model runtime is shut down.');
    if (this.connection?.alive) {
      await this.connection.start();
      return this.connection;
    }
    const connection: ChildConnection = new ChildConnection(this.spawner, {
      startTimeoutMs: this.timeouts.startMs,
      cancelGraceMs: this.options.cancelGraceMs ?? 5000,
      onLog: (level, message) => this.emit('log', { level, message }),
      onExit: (exit): Error | undefined => this.onChildExit(connection, exit),
    });
    this.connection = connection;
    this.childState = 'starting';
    this.emitStatus();
    try {
      await connection.start();
      if (this.connection === connection) this.childState = 'running';
    } catch (error) {
      // A child that never came up (missing entry, failed import) leaves no process to supervise.
      if (this.connection === connection) {
        this.connection = null;
        this.childState = 'stopped';
        this.lastError = error instanceof Error ? error.message : String(error);
        connection.kill('it failed to start');
      }
      throw error;
    } finally {
      this.emitStatus();
    }
    return connection;
  }

  private onChildExit(connection: ChildConnection, exit: ChildExit): Error | undefined {
    if (this.connection !== connection) return undefined;
    this.connection = null;
    const hadModel = this.model;
    this.model = null;
    this.loadingPath = null;
    if (this.disposed) {
      this.childState = 'stopped';
      this.emitStatus();
      return new AppError('UNAVAILABLE', 'The model runtime was shut down.');
    }
    const { reason, crashedPath } = describeCrash(exit);
    if (crashedPath) this.broken.mark(crashedPath, reason);
    else if (hadModel && this.lastLoad && this.options.reloadAfterCrash !== false) this.pendingReload = this.lastLoad;
    this.childState = 'crashed';
    this.lastError = reason;
    this.restarts += 1;
    this.emit('crash', { reason, modelPath: crashedPath ?? hadModel?.path ?? null, exitCode: exit.code, signal: exit.signal });
    this.emitStatus();
    this.scheduleRestart();
    return new AppError('MODEL_ERROR', reason);
  }

  private scheduleRestart(): void {
    const now = Date.now();
    this.recentCrashes = [...this.recentCrashes.filter((t) => now - t < 60_000), now];
    // A child that dies over and over is restarted on demand only (the next request).
    if (this.recentCrashes.length > MAX_QUICK_RESTARTS) return;
    setImmediate(() => {
      if (this.disposed || this.connection) return;
      this.ensureChild()
        .then(() => {
          if (this.pendingReload) void this.queue.run(() => this.ensureModel(), undefined, () => this.emitStatus()).catch(() => undefined);
        })
        .catch(() => undefined);
    });
  }

  /** The reason a file is marked broken (it crashed the model process), unless it changed on disk since. */
  brokenReason(path: string): Promise<string | null> {
    return this.broken.reason(path);
  }

  clearBroken(path: string): void {
    this.broken.clear(path);
  }

  private async checkLoadable(path: string): Promise<GgufSummary | null> {
    const reason = await this.brokenReason(path);
    if (reason) throw new AppError('MODEL_ERROR', reason);
    if (this.options.validateBeforeLoad === false) return null;
    const summary = await inspectGguf(path);
    if (!summary.loadable) throw new AppError('MODEL_ERROR', `${summary.fileName} cannot be loaded: ${summary.problems.join(' ')}`);
    return summary;
  }

  private async doLoad(params: LoadParams, signal?: AbortSignal): Promise<LoadedModel> {
    const connection = await this.ensureChild();
    this.loadingPath = params.path;
    this.model = null;
    this.emitStatus();
    try {
      const onProgress = (fraction: number): void => {
        this.loadProgress = fraction;
        this.emitStatus();
      };
      const loaded = LoadedModel.parse(await connection.call('load', params, { signal, timeoutMs: this.timeouts.loadMs, onProgress }));
      this.model = loaded;
      this.lastLoad = params;
      this.lastError = null;
      return loaded;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.loadingPath = null;
      this.loadProgress = 0;
      this.emitStatus();
    }
  }

  /** Inside a queued task: the child runs, and a model lost in a crash is reloaded once. */
  private async ensureModel(): Promise<{ connection: ChildConnection; model: LoadedModel }> {
    const reload = this.pendingReload;
    if (!this.model && reload) {
      this.pendingReload = null;
      await this.checkLoadable(reload.path);
      await this.doLoad(reload);
    }
    const connection = await this.ensureChild();
    if (!this.model) throw new AppError('UNAVAILABLE', 'No model is loaded. Load one in Settings → Models.');
    return { connection, model: this.model };
  }

  async load(input: LoadInput, opts: { signal?: AbortSignal } = {}): Promise<LoadedModel> {
    const params: LoadParams = {
      path: resolve(input.path),
      contextSize: input.contextSize ?? this.defaults.contextSize,
      gpuLayers: input.gpuLayers ?? this.defaults.gpuLayers,
      threads: input.threads ?? this.defaults.threads,
      sequences: input.sequences ?? this.defaults.sequences,
    };
    return this.queue.run(async () => {
      this.pendingReload = null;
      await this.checkLoadable(params.path);
      return this.doLoad(params, opts.signal);
    }, opts.signal, () => this.emitStatus());
  }

  async unload(): Promise<void> {
    await this.queue.run(async () => {
      this.pendingReload = null;
      this.lastLoad = null;
      if (this.connection?.alive) await this.connection.call('unload', {}, { timeoutMs: this.timeouts.loadMs });
      this.model = null;
      this.emitStatus();
    }, undefined, () => this.emitStatus());
  }

  private async runGeneration(op: ChildOp, requestId: string, params: unknown, options: GenerationOptions | undefined, signal?: AbortSignal): Promise<GenerateResult> {
    const controller = new AbortController();
    const forward = (): void => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', forward, { once: true });
    this.running.add(controller);
    try {
      return await this.queue.run(async () => {
        const { connection } = await this.ensureModel();
        this.activeRequestId = requestId;
        this.emitStatus();
        try {
          const raw = await connection.call<GenerationOutput>(op, params, {
            signal: controller.signal,
            timeoutMs: options?.timeoutMs ?? this.timeouts.generateMs,
            onDelta: (text) => this.emit('delta', { requestId, text }),
          });
          const stats = GenerationStats.parse(raw.stats);
          if (stats.generatedTokens > 1) this.lastGeneration = { ...stats, at: new Date().toISOString() };
          return { requestId, text: String(raw.text), cancelled: stats.stopReason === 'cancelled', stats };
        } finally {
          this.activeRequestId = null;
          this.emitStatus();
        }
      }, controller.signal, () => this.emitStatus());
    } catch (error) {
      // A cancel that had to kill a stuck child, or one that arrived while queued, is still a cancel.
      const isTimeout = error instanceof AppError && error.code === 'TIMEOUT';
      if (controller.signal.aborted && !isTimeout) return cancelledResult(requestId);
      throw error;
    } finally {
      signal?.removeEventListener('abort', forward);
      this.running.delete(controller);
    }
  }

  /** One chat turn. The child keeps a KV cache per conversationId; pass the full history each time. */
  chat(input: ChatInput, opts: { signal?: AbortSignal } = {}): Promise<GenerateResult> {
    const params = {
      conversationId: input.conversationId,
      systemPrompt: input.systemPrompt,
      history: input.history,
      message: input.message,
      sampling: resolveSampling(input.options, { maxTokens: 512, temperature: 0.8 }),
    };
    return this.runGeneration('chat', input.requestId, params, input.options, opts.signal);
  }

  complete(input: CompletionInput, opts: { signal?: AbortSignal } = {}): Promise<GenerateResult> {
    const params = { prompt: input.prompt, sampling: resolveSampling(input.options, { maxTokens: 256, temperature: 0.8 }) };
    return this.runGeneration('complete', input.requestId, params, input.options, opts.signal);
  }

  /** Schema-constrained JSON validated with a zod schema. Rejects CANCELLED / MODEL_ERROR / TIMEOUT. */
  generateJson<T>(input: StructuredInput<T>, opts: { signal?: AbortSignal } = {}): Promise<StructuredResult<T>> {
    return this.structured(input, zodToJsonSchema(input.schema), input.schema, opts.signal);
  }

  private async structured<T>(
    input: { requestId: string; prompt: string; systemPrompt?: string; options?: GenerationOptions },
    jsonSchema: JsonSchema,
    validator: z.ZodType<T>,
    signal?: AbortSignal,
  ): Promise<StructuredResult<T>> {
    const params = {
      prompt: input.prompt,
      systemPrompt: input.systemPrompt,
      grammarSchema: toGrammarSchema(jsonSchema),
      // Room for a schema's worst case (bounded lists and strings): a cut-off JSON is an error, not a result.
      sampling: resolveSampling(input.options, { maxTokens: 4096, temperature: 0.3 }),
    };
    const result = await this.runGeneration('json', input.requestId, params, input.options, signal);
    if (result.cancelled) throw new AppError('CANCELLED', 'The request was cancelled.');
    if (result.stats.stopReason === 'maxTokens') {
      throw new AppError('MODEL_ERROR', `The model did not finish the JSON within ${params.sampling.maxTokens} tokens.`);
    }
    return { ...result, json: finalizeStructured(result.text, jsonSchema, validator) };
  }

  /** The IPC entry point ('llm:generate'): chat, completion, or JSON against a JSON Schema object. */
  generate(input: GenerateInput, opts: { signal?: AbortSignal } = {}): Promise<GenerateResult> {
    switch (input.mode) {
      case 'chat': return this.chat(input, opts);
      case 'completion': return this.complete(input, opts);
      case 'json': return this.structured(input, input.jsonSchema, jsonSchemaToZod(input.jsonSchema), opts.signal);
    }
  }

  async embed(input: { texts: string[] }, opts: { signal?: AbortSignal } = {}): Promise<EmbedResult> {
    return this.queue.run(async () => {
      const { connection } = await this.ensureModel();
      return EmbedResult.parse(await connection.call('embed', { texts: input.texts }, { signal: opts.signal, timeoutMs: this.timeouts.embedMs }));
    }, opts.signal, () => this.emitStatus());
  }

  /** Frees a conversation's KV-cache slot (e.g. when a coaching session is closed). */
  async dropConversation(conversationId: string): Promise<void> {
    if (!this.connection?.alive || !this.model) return;
    await this.queue.run(async () => {
      if (this.connection?.alive) await this.connection.call('dropConversation', { conversationId }, { timeoutMs: 10_000 });
    });
  }

  /** RAM / VRAM estimate (computed in the child, which knows the GPU). Not queued behind generations. */
  async estimateFit(path: string, options: { contextSize?: number; gpuLayers?: GpuLayers; signal?: AbortSignal } = {}): Promise<FitEstimate> {
    const absolute = resolve(path);
    const summary = await this.checkLoadable(absolute);
    const contextSize = Math.min(options.contextSize ?? this.defaults.contextSize, summary?.contextLength ?? Number.MAX_SAFE_INTEGER);
    const connection = await this.ensureChild();
    const params = { path: absolute, contextSize, gpuLayers: options.gpuLayers ?? this.defaults.gpuLayers, threads: this.defaults.threads };
    return FitEstimate.parse(await connection.call('fit', params, { signal: options.signal, timeoutMs: this.timeouts.fitMs }));
  }

  /** Header summary plus fit estimate ('models:inspect'); a failed estimate is reported, not thrown. */
  async inspect(path: string, options: { contextSize?: number } = {}): Promise<{ summary: GgufSummary; fit: FitEstimate | null; fitError: string | null }> {
    const summary = await inspectGguf(resolve(path));
    if (!summary.loadable) return { summary, fit: null, fitError: summary.problems.join(' ') };
    try {
      return { summary, fit: await this.estimateFit(path, options), fitError: null };
    } catch (error) {
      return { summary, fit: null, fitError: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Stops the child. Pending operations fail with UNAVAILABLE. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const controller of this.running) controller.abort();
    const connection = this.connection;
    if (connection?.alive) {
      const exited = new Promise<void>((done) => {
        const off = this.on('status', (s) => {
          if (s.state === 'stopped') {
            off();
            done();
          }
        });
      });
      connection.kill('the app is closing');
      await Promise.race([exited, new Promise((done) => setTimeout(done, 3000))]);
    }
    this.childState = 'stopped';
    this.model = null;
    this.emitStatus();
  }
}

export function createLlmHost(options: LlmHostOptions = {}): LlmHost {
  return new LlmHost(options);
}
