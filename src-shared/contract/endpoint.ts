import { z } from 'zod';
import { Empty, event, request } from './define';
import { ENDPOINT_LIMITS } from './limits';

/**
 * Endpoint channels: an optional OpenAI-compatible server (Ollama, LM Studio, llama.cpp server, vLLM,
 * a hosted API) and which model answers each task; and the usage of every model (local or endpoint)
 * per task and per day. The key is write-only: it goes into the main process's secret store and no
 * channel ever returns it.
 */

export const LlmTask = z.enum(['coachReply', 'customerAnalysis', 'roleplay', 'palletAssist']);
export type LlmTask = z.infer<typeof LlmTask>;

/** 'auto': the endpoint when online (a loopback or LAN server counts as reachable), the local model otherwise. */
export const TaskRoute = z.enum(['local', 'endpoint', 'auto']);
export type TaskRoute = z.infer<typeof TaskRoute>;

export const TaskRoutes = z.object({ coachReply: TaskRoute, customerAnalysis: TaskRoute, roleplay: TaskRoute, palletAssist: TaskRoute });
export type TaskRoutes = z.infer<typeof TaskRoutes>;

export const EndpointTimeouts = z.object({
  /** Until the TCP (and TLS) connection is up, DNS included: a dead network fails within this. */
  connectMs: z.number().int().min(ENDPOINT_LIMITS.connectMs.min).max(ENDPOINT_LIMITS.connectMs.max),
  /** From the request until the first generated text (the server reads the prompt meanwhile). */
  firstTokenMs: z.number().int().min(ENDPOINT_LIMITS.firstTokenMs.min).max(ENDPOINT_LIMITS.firstTokenMs.max),
  /** Longest silence between two streamed pieces. */
  idleMs: z.number().int().min(ENDPOINT_LIMITS.idleMs.min).max(ENDPOINT_LIMITS.idleMs.max),
});
export type EndpointTimeouts = z.infer<typeof EndpointTimeouts>;

const BaseUrl = z
  .string()
  .max(ENDPOINT_LIMITS.urlChars)
  .refine((value) => value === '' || /^https?:\/\/[^\s/?#]+/i.test(value), 'An http:// or https:// address, e.g. http://localhost:11434/v1.');

export const EndpointHealth = z.object({
  state: z.enum(['unknown', 'ok', 'down']),
  /** While down, the endpoint is not tried again before this time (the local model answers). */
  retryAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type EndpointHealth = z.infer<typeof EndpointHealth>;

export const EndpointView = z.object({
  /** Empty: no endpoint (every task runs on the local model). */
  baseUrl: z.string(),
  model: z.string(),
  routes: TaskRoutes,
  timeouts: EndpointTimeouts,
  /** A key is stored (its value never leaves the main process). */
  hasKey: z.boolean(),
  /** False when the key only lasts for this run (no OS keychain here). */
  keyPersistent: z.boolean(),
  health: EndpointHealth,
});
export type EndpointView = z.infer<typeof EndpointView>;

export const EndpointPatch = z
  .object({
    baseUrl: BaseUrl,
    model: z.string().trim().max(ENDPOINT_LIMITS.modelChars),
    routes: TaskRoutes.partial(),
    timeouts: EndpointTimeouts.partial(),
    /** A new key; null removes the stored one. */
    key: z.string().max(ENDPOINT_LIMITS.keyChars).nullable(),
  })
  .partial()
  .strict();
export type EndpointPatch = z.infer<typeof EndpointPatch>;

export const EndpointTestResult = z.object({
  ok: z.boolean(),
  /** Time to the server's answer to the model list. */
  latencyMs: z.number().nullable(),
  /** Model ids the server lists (first 50). */
  models: z.array(z.string()),
  /** The configured model is among them (null: the server lists none). */
  modelListed: z.boolean().nullable(),
  message: z.string().nullable(),
});
export type EndpointTestResult = z.infer<typeof EndpointTestResult>;

export const UsageSource = z.enum(['local', 'endpoint']);
export type UsageSource = z.infer<typeof UsageSource>;

export const UsageRow = z.object({
  /** Local calendar day, YYYY-MM-DD. */
  day: z.string(),
  task: LlmTask,
  source: UsageSource,
  requests: z.number().int(),
  failures: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  /** Wall time of the requests, first token included. */
  totalMs: z.number(),
  /** Time spent generating after the first token (speed = completionTokens / generationMs). */
  generationMs: z.number(),
});
export type UsageRow = z.infer<typeof UsageRow>;

export const endpointRequests = {
  'endpoint:get': request(Empty, EndpointView, 'The model endpoint settings (never the key) and its health.'),
  'endpoint:update': request(EndpointPatch, EndpointView, 'Change the endpoint address, model, key (write-only), per-task choice or timeouts.'),
  'endpoint:test': request(Empty, EndpointTestResult, "Ask the endpoint for its model list with the saved settings and key."),
  'endpoint:usage': request(z.object({ days: z.number().int().min(1).max(366).optional() }).strict(), z.object({ rows: z.array(UsageRow) }), 'Tokens, time and speed per task, source and day (local and endpoint).'),
} as const;

export const endpointEvents = {
  'endpoint:changed': event(EndpointView, 'The endpoint settings or its health changed.'),
} as const;
