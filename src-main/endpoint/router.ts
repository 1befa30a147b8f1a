import type { EndpointHealth, LlmTask } from '@shared/contract/endpoint';
import { AppError } from '@shared/contract/errors';
import type { CoachLlm } from '../coaching';
import { estimateTokens } from '../coaching';
import type { Log } from '../core/logger';
import { isLocalAddress, type EndpointConfig } from './endpoint-config';
import { endpointChat, endpointJson, type JsonMode } from './endpoint-llm';
import { EndpointError, type EndpointTarget } from './openai-client';
import type { UsageSample } from './usage-repo';

/** How long an endpoint that failed is skipped (the local model answers meanwhile). */
export const DOWN_FOR_MS = 30_000;
/** Conversation budget assumed for an endpoint (servers do not say; most serve ≥ 8k). */
const ENDPOINT_CONTEXT_TOKENS = 8192;

/** Remembers an unreachable endpoint for a while, so no answer waits on a dead network twice. */
export class EndpointHealthTracker {
  private state: EndpointHealth = { state: 'unknown', retryAt: null, lastError: null };

  constructor(
    private readonly onChange: (health: EndpointHealth) => void,
    private readonly now: () => number = Date.now,
  ) {}

  view(): EndpointHealth {
    return { ...this.state };
  }

  usable(): boolean {
    return this.state.state !== 'down' || this.state.retryAt === null || Date.parse(this.state.retryAt) <= this.now();
  }

  markOk(): void {
    if (this.state.state === 'ok') return;
    this.state = { state: 'ok', retryAt: null, lastError: null };
    this.onChange(this.view());
  }

  markDown(reason: string): void {
    this.state = { state: 'down', retryAt: new Date(this.now() + DOWN_FOR_MS).toISOString(), lastError: reason.slice(0, 300) };
    this.onChange(this.view());
  }

  /** New settings: forget the old endpoint's failures. */
  reset(): void {
    this.state = { state: 'unknown', retryAt: null, lastError: null };
    this.onChange(this.view());
  }
}

export interface RouterDeps {
  /** The local model's port (the runtime's, or a scripted one in tests). */
  local: () => CoachLlm;
  config: () => EndpointConfig;
  key: () => Promise<string | null>;
  isOnline: () => boolean;
  health: EndpointHealthTracker;
  recordUsage: (sample: UsageSample) => void;
  log: Log;
}

export type Route = 'local' | 'endpoint';

/** Where a task runs now: its setting, narrowed by whether the endpoint is configured, online and alive. */
export function routeFor(deps: Pick<RouterDeps, 'config' | 'isOnline' | 'health'>, task: LlmTask): Route {
  const config = deps.config();
  const route = config.routes[task];
  if (route === 'local' || !config.baseUrl || !config.model || !deps.health.usable()) return 'local';
  if (route === 'auto' && !deps.isOnline() && !isLocalAddress(config.baseUrl)) return 'local';
  return 'endpoint';
}

const TASKS: LlmTask[] = ['coachReply', 'customerAnalysis', 'roleplay', 'palletAssist'];

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

/**
 * The model the features see: each request goes to the endpoint or the local model by its task. When
 * the endpoint fails before any text arrived, the request is answered by the local model (when one is
 * loaded) and the endpoint is skipped for DOWN_FOR_MS; without a local model the caller's fallback (the
 * knowledge-base coach) stands. Every generation is counted in the usage table.
 */
export function routedLlm(deps: RouterDeps): CoachLlm {
  const localReady = () => {
    try {
      return deps.local().ready();
    } catch {
      return false;
    }
  };
  const target = async (): Promise<EndpointTarget> => {
    const config = deps.config();
    return { baseUrl: config.baseUrl, model: config.model, key: await deps.key(), timeouts: config.timeouts };
  };
  const noLocal = (reason: string) =>
    new AppError('UNAVAILABLE', `The model endpoint cannot answer (${reason.replace(/\.$/, '')}) and no local model is loaded.`);
  const failed = (task: LlmTask, error: unknown, signal: AbortSignal, startedAt: number) => {
    if (isAbort(error, signal)) return;
    deps.recordUsage({ task, source: 'endpoint', ok: false, promptTokens: 0, completionTokens: 0, totalMs: performance.now() - startedAt, generationMs: 0 });
    const reason = error instanceof Error ? error.message : String(error);
    // Wrong output is the model's fault, not the endpoint's: only transport and server errors mark it down.
    if (error instanceof EndpointError) deps.health.markDown(reason);
    deps.log(`[endpoint] ${task} failed on the endpoint: ${reason}`);
  };
  let jsonMode: JsonMode = 'json_schema';
  let jsonModeFor = '';

  return {
    ready: () => localReady() || TASKS.some((task) => routeFor(deps, task) === 'endpoint'),
    contextTokens: () => (localReady() ? deps.local().contextTokens() : ENDPOINT_CONTEXT_TOKENS),
    async chat(request, onDelta, signal) {
      const task = request.task ?? 'coachReply';
      if (routeFor(deps, task) === 'endpoint') {
        const startedAt = performance.now();
        try {
          const result = await endpointChat(await target(), request, onDelta, signal);
          const { raw } = result;
          const completionTokens = raw.completionTokens ?? estimateTokens(raw.text);
          deps.recordUsage({ task, source: 'endpoint', ok: !raw.cancelled, promptTokens: raw.promptTokens ?? 0, completionTokens, totalMs: raw.totalMs, generationMs: raw.ttftMs === null ? 0 : raw.totalMs - raw.ttftMs });
          if (!raw.cancelled) deps.health.markOk();
          return { text: result.text, cancelled: result.cancelled, promptTokens: result.promptTokens, completionTokens };
        } catch (error) {
          failed(task, error, signal, startedAt);
          if (isAbort(error, signal)) return { text: '', promptTokens: 0, cancelled: true };
          // Text already shown cannot be taken back: the caller reports the cut answer.
          if (error instanceof EndpointError && error.afterFirstToken) throw error;
          if (!localReady()) throw noLocal(error instanceof Error ? error.message : String(error));
        }
      }
      return localChat(deps, task, request, onDelta, signal);
    },
    async json(request, signal) {
      const task = request.task ?? 'customerAnalysis';
      if (routeFor(deps, task) === 'endpoint') {
        const startedAt = performance.now();
        try {
          const config = deps.config();
          if (jsonModeFor !== `${config.baseUrl} ${config.model}`) jsonMode = 'json_schema';
          const outcome = await endpointJson(await target(), request, jsonMode, signal);
          jsonMode = outcome.mode;
          jsonModeFor = `${config.baseUrl} ${config.model}`;
          const { raw } = outcome;
          deps.recordUsage({ task, source: 'endpoint', ok: true, promptTokens: raw.promptTokens ?? 0, completionTokens: raw.completionTokens ?? estimateTokens(raw.text), totalMs: raw.totalMs, generationMs: raw.ttftMs === null ? 0 : raw.totalMs - raw.ttftMs });
          deps.health.markOk();
          return outcome.json;
        } catch (error) {
          failed(task, error, signal, startedAt);
          if (isAbort(error, signal) || !(error instanceof EndpointError)) throw error;
          if (!localReady()) throw noLocal(error.message);
        }
      }
      return localJson(deps, task, request, signal);
    },
    embed: async (texts) => {
      const local = deps.local();
      if (!local.embed) throw new AppError('UNAVAILABLE', 'The loaded model gives no embeddings.');
      return local.embed(texts);
    },
  };
}

async function localChat(deps: RouterDeps, task: LlmTask, request: Parameters<CoachLlm['chat']>[0], onDelta: (text: string) => void, signal: AbortSignal) {
  const local = deps.local();
  if (!local.ready()) throw new AppError('UNAVAILABLE', 'No local model is loaded.');
  const startedAt = performance.now();
  let firstAt: number | null = null;
  try {
    const result = await local.chat(
      request,
      (text) => {
        firstAt ??= performance.now();
        onDelta(text);
      },
      signal,
    );
    const totalMs = performance.now() - startedAt;
    deps.recordUsage({ task, source: 'local', ok: !result.cancelled, promptTokens: result.promptTokens, completionTokens: result.completionTokens ?? estimateTokens(result.text), totalMs, generationMs: firstAt === null ? 0 : performance.now() - firstAt });
    return result;
  } catch (error) {
    if (!signal.aborted) deps.recordUsage({ task, source: 'local', ok: false, promptTokens: 0, completionTokens: 0, totalMs: performance.now() - startedAt, generationMs: 0 });
    throw error;
  }
}

async function localJson(deps: RouterDeps, task: LlmTask, request: Parameters<CoachLlm['json']>[0], signal: AbortSignal) {
  const local = deps.local();
  if (!local.ready()) throw new AppError('UNAVAILABLE', 'No local model is loaded.');
  const startedAt = performance.now();
  let ok = false;
  let completion = 0;
  try {
    const json = await local.json(request, signal);
    ok = true;
    completion = estimateTokens(typeof json === 'string' ? json : JSON.stringify(json) ?? '');
    return json;
  } finally {
    // The local runtime reports no token counts for JSON through the port: they are estimated from text.
    if (!signal.aborted) {
      const totalMs = performance.now() - startedAt;
      deps.recordUsage({ task, source: 'local', ok, promptTokens: estimateTokens(`${request.systemPrompt ?? ''}${request.prompt}`), completionTokens: completion, totalMs, generationMs: totalMs });
    }
  }
}
