import { endpointRequests, type EndpointTestResult, type EndpointView } from '@shared/contract/endpoint';
import { AppError } from '@shared/contract/errors';
import type { CoachLlm } from '../coaching';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import { envSecretStore, type SecretStore } from '../db/secret-store';
import type { Db } from '../db/open';
import { ENDPOINT_KEY_ENV, ENDPOINT_KEY_SECRET, readEndpointConfig, writeEndpointConfig } from './endpoint-config';
import { EndpointError, listModels } from './openai-client';
import { EndpointHealthTracker, routedLlm } from './router';
import { listUsage, recordUsage } from './usage-repo';

/** What the endpoint feature needs: the store, events, the log, the network state, the local model, secrets. */
export interface EndpointContext {
  db: Db;
  events: EventBus;
  log: Log;
  isOnline: () => boolean;
  /** The local model's port (the llm feature adapted by the composition root). */
  llm: CoachLlm;
  /** Where the key is kept (Electron: the OS keychain); default: FIELDMATE_ENDPOINT_KEY, else this run only. */
  secrets?: SecretStore;
}

export interface EndpointFeature {
  handlers: HandlersOf<typeof endpointRequests>;
  /** The model every feature uses: each task on the endpoint or the local model, with fall back and usage. */
  llm: CoachLlm;
  /** Replaces the local model (a scripted one in tests and demos); null restores the runtime's. */
  useLocal(port: CoachLlm | null): void;
}

const DEFAULT_USAGE_DAYS = 14;

/**
 * An optional OpenAI-compatible endpoint (Ollama, LM Studio, llama.cpp server, vLLM, a hosted API) and
 * the per-task choice between it and the local model; the usage counters of both.
 */
export function createEndpointFeature(ctx: EndpointContext): EndpointFeature {
  const secrets = ctx.secrets ?? envSecretStore({ [ENDPOINT_KEY_SECRET]: ENDPOINT_KEY_ENV });
  let localOverride: CoachLlm | null = null;
  const view = async (): Promise<EndpointView> => {
    const config = readEndpointConfig(ctx.db);
    const key = await secrets.get(ENDPOINT_KEY_SECRET);
    return { ...config, hasKey: !!key, keyPersistent: secrets.persistent, health: health.view() };
  };
  const announce = () => {
    view().then(
      (current) => ctx.events.emit('endpoint:changed', current),
      (error: unknown) => ctx.log(`[endpoint] status not sent: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  const health = new EndpointHealthTracker(announce);
  const llm = routedLlm({
    local: () => localOverride ?? ctx.llm,
    config: () => readEndpointConfig(ctx.db),
    key: async () => (await secrets.get(ENDPOINT_KEY_SECRET)) || null,
    isOnline: ctx.isOnline,
    health,
    recordUsage: (sample) => {
      try {
        recordUsage(ctx.db, sample);
      } catch (error) {
        // Counting must never fail an answer (a closing store, a busy disk).
        ctx.log(`[endpoint] usage not recorded: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    log: ctx.log,
  });

  const handlers: HandlersOf<typeof endpointRequests> = {
    'endpoint:get': () => view(),
    'endpoint:update': async (patch) => {
      const { key, ...rest } = patch;
      writeEndpointConfig(ctx.db, rest);
      if (key === null) await secrets.delete(ENDPOINT_KEY_SECRET);
      else if (key !== undefined && key.trim()) await secrets.set(ENDPOINT_KEY_SECRET, key.trim());
      // Saving is also "try it again now": a remembered failure belonged to the old settings.
      health.reset();
      return view();
    },
    'endpoint:test': async (_input, op): Promise<EndpointTestResult> => {
      const config = readEndpointConfig(ctx.db);
      if (!config.baseUrl) throw new AppError('VALIDATION', 'Enter the endpoint address first.');
      try {
        const key = (await secrets.get(ENDPOINT_KEY_SECRET)) || null;
        const { models, latencyMs } = await listModels({ baseUrl: config.baseUrl, model: config.model, key, timeouts: config.timeouts }, op.signal);
        const listed = models.length === 0 ? null : models.includes(config.model);
        health.markOk();
        const message = listed === false ? `The endpoint answers, but does not list the model "${config.model}".` : null;
        return { ok: true, latencyMs: Math.round(latencyMs), models: models.slice(0, 50), modelListed: listed, message };
      } catch (error) {
        if (op.signal.aborted) throw new AppError('CANCELLED', 'The connection test was stopped.');
        if (!(error instanceof EndpointError)) throw error;
        health.markDown(error.message);
        return { ok: false, latencyMs: null, models: [], modelListed: null, message: error.message };
      }
    },
    'endpoint:usage': ({ days }) => ({ rows: listUsage(ctx.db, days ?? DEFAULT_USAGE_DAYS) }),
  };

  return {
    handlers,
    llm,
    useLocal: (port) => {
      localOverride = port;
    },
  };
}

export { ENDPOINT_KEY_ENV, ENDPOINT_KEY_SECRET } from './endpoint-config';
