/**
 * The node-llama-cpp runtime that lives in the model child process: one Llama instance, one model,
 * one context with N sequences (KV-cache slots). Each conversation keeps a LlamaChatSession on its own
 * sequence (least recently used conversations give their slot back), so turn N evaluates only what
 * changed since turn N-1; the last sequence is a scratch slot for completions and JSON output.
 */
import { basename } from 'node:path';
import {
  getLlama,
  LlamaChatSession,
  LlamaCompletion,
  LlamaLogLevel,
  TokenMeter,
  type ChatHistoryItem,
  type ChatWrapper,
  type GbnfJsonSchema,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { AppError } from '@shared/contract/errors';
import type { FitEstimate, LoadedModel } from '@shared/contract/models';
import type { EmbedResult, GenerationStats, StopReason } from '@shared/contract/llm';
import { estimateFit } from '../models';
import { withoutNumberExponents } from './structured-output';
import type { ChatParams, CompleteParams, JsonParams, LoadParams, Sampling } from './llm-protocol';

export interface GenerationOutput {
  text: string;
  stats: GenerationStats;
}

type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

interface Conversation {
  session: LlamaChatSession;
  lastUsed: number;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  info: LoadedModel;
  threads: number;
  freeSequences: LlamaContextSequence[];
  conversations: Map<string, Conversation>;
  scratch: LlamaContextSequence;
  scratchSession: LlamaChatSession;
  /** Resolved once per model: "auto" renders the Jinja template to detect it (100–300 ms a session). */
  chatWrapper: ChatWrapper;
  completion: LlamaCompletion;
  embedding: LlamaEmbeddingContext | null;
  grammars: Map<string, LlamaGrammar>;
}

const MAX_CACHED_GRAMMARS = 16;

function mapStopReason(reason: string): StopReason {
  if (reason === 'abort') return 'cancelled';
  if (reason === 'eogToken' || reason === 'maxTokens') return reason;
  if (reason === 'stopGenerationTrigger' || reason === 'customStopTrigger') return 'stopTrigger';
  return 'other';
}

function responseText(item: ChatHistoryItem): string {
  if (item.type === 'model') return item.response.filter((r): r is string => typeof r === 'string').join('');
  return typeof item.text === 'string' ? item.text : JSON.stringify(item.text);
}

function toChatHistory(params: ChatParams): ChatHistoryItem[] {
  const items: ChatHistoryItem[] = [];
  if (params.systemPrompt !== undefined) items.push({ type: 'system', text: params.systemPrompt });
  for (const m of params.history) {
    items.push(m.role === 'user' ? { type: 'user', text: m.text } : { type: 'model', response: [m.text] });
  }
  return items;
}

function sameHistory(a: ChatHistoryItem[], b: ChatHistoryItem[]): boolean {
  return a.length === b.length && a.every((item, i) => {
    const other = b[i];
    return other !== undefined && item.type === other.type && responseText(item) === responseText(other);
  });
}

export class LlmRuntime {
  private llama: Llama | null = null;
  private llamaPromise: Promise<Llama> | null = null;
  private loaded: Loaded | null = null;
  private useCounter = 0;
  /** llama.cpp's last error line: says why a load failed, where node-llama-cpp only says "Failed to load model". */
  private errorLog: string[] = [];

  constructor(private readonly log: LogFn, private readonly gpu: 'auto' | false = 'auto') {}

  private async ensureLlama(threads: number): Promise<Llama> {
    if (!this.llamaPromise) {
      this.llamaPromise = getLlama({
        gpu: this.gpu,
        build: 'never',
        progressLogs: false,
        // node-llama-cpp's CPU default is at least 4 threads, which is 50–500× slower on 2 cores.
        maxThreads: threads,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => {
          const text = message.trim();
          if (text === '') return;
          const isError = level === LlamaLogLevel.error || level === LlamaLogLevel.fatal;
          if (isError) this.errorLog = [...this.errorLog.slice(-20), text];
          this.log(isError ? 'error' : 'warn', text);
        },
      });
    }
    this.llama = await this.llamaPromise;
    this.llama.maxThreads = threads;
    return this.llama;
  }

  async load(params: LoadParams, signal: AbortSignal, onProgress?: (fraction: number) => void): Promise<LoadedModel> {
    await this.unload();
    const started = performance.now();
    const llama = await this.ensureLlama(params.threads);
    this.errorLog = [];
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: params.path, gpuLayers: params.gpuLayers, loadSignal: signal, onLoadProgress: onProgress });
    } catch (error) {
      if (signal.aborted) throw new AppError('CANCELLED', 'Loading the model was cancelled.');
      // llama.cpp's log lines reach JS through a thread-safe callback, a moment after the rejection.
      await new Promise((done) => setTimeout(done, 25));
      const reason = this.errorLog.map((l) => /error loading model: (.*)$/.exec(l)?.[1]).find((l) => l !== undefined);
      const detail = reason ?? this.errorLog[0] ?? (error instanceof Error ? error.message : String(error));
      throw new AppError('MODEL_ERROR', `${basename(params.path)} could not be loaded: ${detail.replace(/\.$/, '')}.`);
    }
    try {
      const contextSize = Math.min(params.contextSize, model.trainContextSize || params.contextSize);
      const context = await model.createContext({
        contextSize,
        sequences: params.sequences,
        threads: params.threads,
        createSignal: signal,
      });
      const sequences: LlamaContextSequence[] = [];
      for (let i = 0; i < params.sequences; i++) sequences.push(context.getSequence());
      const scratch = sequences.pop();
      if (!scratch) throw new AppError('INTERNAL', 'The context has no sequences.');
      const scratchSession = new LlamaChatSession({ contextSequence: scratch });
      const info: LoadedModel = {
        path: params.path,
        fileName: basename(params.path),
        name: typeof model.fileInfo.metadata.general.name === 'string' ? model.fileInfo.metadata.general.name : null,
        contextSize: context.contextSize,
        trainContextSize: model.trainContextSize,
        gpuLayers: model.gpuLayers,
        threads: params.threads,
        sequences: params.sequences,
        chatWrapper: scratchSession.chatWrapper.wrapperName,
        loadMs: Math.round(performance.now() - started),
      };
      this.loaded = {
        model,
        context,
        info,
        threads: params.threads,
        freeSequences: sequences,
        conversations: new Map(),
        scratch,
        scratchSession,
        chatWrapper: scratchSession.chatWrapper,
        completion: new LlamaCompletion({ contextSequence: scratch }),
        embedding: null,
        grammars: new Map(),
      };
      return info;
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (!loaded) return;
    for (const c of loaded.conversations.values()) c.session.dispose();
    loaded.scratchSession.dispose();
    loaded.completion.dispose();
    await loaded.embedding?.dispose();
    await loaded.context.dispose();
    await loaded.model.dispose();
  }

  private requireLoaded(): Loaded {
    if (!this.loaded) throw new AppError('UNAVAILABLE', 'No model is loaded.');
    return this.loaded;
  }

  private conversation(loaded: Loaded, id: string): Conversation {
    let conversation = loaded.conversations.get(id);
    if (!conversation) {
      let sequence = loaded.freeSequences.pop();
      if (!sequence) {
        // Give the least recently used conversation's slot to this one; its history is re-evaluated
        // from text if it comes back (a shared prefix such as the system prompt is still reused).
        const [oldestId, oldest] = [...loaded.conversations.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0] ?? [];
        if (!oldestId || !oldest) throw new AppError('INTERNAL', 'No free KV-cache slot.');
        sequence = oldest.session.sequence;
        oldest.session.dispose({ disposeSequence: false });
        loaded.conversations.delete(oldestId);
      }
      conversation = { session: new LlamaChatSession({ contextSequence: sequence, chatWrapper: loaded.chatWrapper }), lastUsed: 0 };
      loaded.conversations.set(id, conversation);
    }
    conversation.lastUsed = ++this.useCounter;
    return conversation;
  }

  dropConversation(id: string): void {
    const loaded = this.loaded;
    const conversation = loaded?.conversations.get(id);
    if (!loaded || !conversation) return;
    loaded.conversations.delete(id);
    const sequence = conversation.session.sequence;
    conversation.session.dispose({ disposeSequence: false });
    loaded.freeSequences.push(sequence);
  }

  /** Runs one generation and measures it from the sequence's token meter. */
  private async measure(
    sequence: LlamaContextSequence,
    run: (hooks: { onToken: (tokens: Token[]) => void }) => Promise<{ text: string; stopReason: string }>,
  ): Promise<GenerationOutput> {
    const before = sequence.tokenMeter.getState();
    const started = performance.now();
    let firstTokenAt: number | null = null;
    let promptTokens = 0;
    let generated = 0;
    const { text, stopReason } = await run({
      onToken: (tokens) => {
        if (firstTokenAt === null) {
          firstTokenAt = performance.now();
          // Everything decoded before the first token is the prompt (later context shifts are not).
          const used = TokenMeter.diff(sequence.tokenMeter, before);
          promptTokens = used.usedInputTokens + used.usedOutputTokens;
        }
        generated += tokens.length;
      },
    });
    const ended = performance.now();
    if (firstTokenAt === null) {
      const used = TokenMeter.diff(sequence.tokenMeter, before);
      promptTokens = used.usedInputTokens + used.usedOutputTokens;
    }
    const ttft = (firstTokenAt ?? ended) - started;
    const genSeconds = (ended - (firstTokenAt ?? ended)) / 1000;
    return {
      text,
      stats: {
        promptTokens,
        generatedTokens: generated,
        ttftMs: Math.round(ttft * 100) / 100,
        totalMs: Math.round((ended - started) * 100) / 100,
        promptTokensPerSecond: ttft > 0 ? Math.round((promptTokens / (ttft / 1000)) * 10) / 10 : 0,
        tokensPerSecond: generated > 1 && genSeconds > 0 ? Math.round(((generated - 1) / genSeconds) * 10) / 10 : 0,
        stopReason: mapStopReason(stopReason),
      },
    };
  }

  private samplingOptions(sampling: Sampling) {
    return { maxTokens: sampling.maxTokens, temperature: sampling.temperature, topK: sampling.topK, topP: sampling.topP, seed: sampling.seed };
  }

  async chat(params: ChatParams, signal: AbortSignal, onText: (text: string) => void): Promise<GenerationOutput> {
    const loaded = this.requireLoaded();
    const { session } = this.conversation(loaded, params.conversationId);
    const wanted = toChatHistory(params);
    // Resetting the history drops node-llama-cpp's record of the last context window; only do it when
    // the caller's history differs (regenerate, edit-and-resend, a restored conversation).
    if (!sameHistory(session.getChatHistory(), wanted)) session.setChatHistory(wanted);
    return this.measure(session.sequence, async ({ onToken }) => {
      const result = await session.promptWithMeta(params.message, {
        ...this.samplingOptions(params.sampling),
        signal,
        stopOnAbortSignal: true,
        onTextChunk: onText,
        onToken,
      });
      return { text: result.responseText, stopReason: result.stopReason };
    });
  }

  async complete(params: CompleteParams, signal: AbortSignal, onText: (text: string) => void): Promise<GenerationOutput> {
    const loaded = this.requireLoaded();
    return this.measure(loaded.scratch, async ({ onToken }) => {
      const result = await loaded.completion.generateCompletionWithMeta(params.prompt, {
        ...this.samplingOptions(params.sampling),
        signal,
        stopOnAbortSignal: true,
        onTextChunk: onText,
        onToken,
      });
      return { text: result.response, stopReason: result.metadata.stopReason };
    });
  }

  async json(params: JsonParams, signal: AbortSignal, onText: (text: string) => void): Promise<GenerationOutput> {
    const loaded = this.requireLoaded();
    const grammar = await this.grammarFor(loaded, params.grammarSchema);
    const session = loaded.scratchSession;
    session.setChatHistory(params.systemPrompt !== undefined ? [{ type: 'system', text: params.systemPrompt }] : []);
    return this.measure(session.sequence, async ({ onToken }) => {
      const result = await session.promptWithMeta(params.prompt, {
        ...this.samplingOptions(params.sampling),
        grammar,
        signal,
        stopOnAbortSignal: true,
        onTextChunk: onText,
        onToken,
      });
      return { text: result.responseText, stopReason: result.stopReason };
    });
  }

  private async grammarFor(loaded: Loaded, schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    const cached = loaded.grammars.get(key);
    if (cached) return cached;
    const llama = await this.ensureLlama(loaded.threads);
    let grammar: LlamaGrammar;
    try {
      const generated = await llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema as GbnfJsonSchema);
      // The generated number rule allows exponents ("8e466" parses to Infinity); numbers without them
      // are always finite. If a future version words the rule differently, the grammar is used as is
      // and the host's finite check still applies.
      const text = withoutNumberExponents(generated.grammar);
      grammar = text === generated.grammar
        ? generated
        : await llama.createGrammar({
          grammar: text,
          rootRuleName: generated.rootRuleName,
          stopGenerationTriggers: generated.stopGenerationTriggers,
          trimWhitespaceSuffix: generated.trimWhitespaceSuffix,
        });
    } catch (error) {
      throw new AppError('VALIDATION', `The JSON schema cannot be turned into a grammar: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (loaded.grammars.size >= MAX_CACHED_GRAMMARS) {
      const oldest = loaded.grammars.keys().next().value;
      if (oldest !== undefined) loaded.grammars.delete(oldest);
    }
    loaded.grammars.set(key, grammar);
    return grammar;
  }

  async embed(texts: string[], signal: AbortSignal): Promise<EmbedResult> {
    const loaded = this.requireLoaded();
    loaded.embedding ??= await loaded.model.createEmbeddingContext({
      contextSize: Math.min(loaded.info.contextSize, 2048),
      threads: loaded.threads,
    });
    const vectors: number[][] = [];
    for (const text of texts) {
      if (signal.aborted) throw new AppError('CANCELLED', 'The embedding request was cancelled.');
      const embedding = await loaded.embedding.getEmbeddingFor(text);
      vectors.push([...embedding.vector]);
    }
    return { dimensions: vectors[0]?.length ?? 0, vectors };
  }

  async fit(params: { path: string; contextSize: number; gpuLayers: 'auto' | number; threads: number }): Promise<FitEstimate> {
    const llama = await this.ensureLlama(this.loaded?.threads ?? params.threads);
    return estimateFit(llama, params.path, { contextSize: params.contextSize, gpuLayers: params.gpuLayers });
  }
}
