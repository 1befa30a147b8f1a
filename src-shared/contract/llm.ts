import { z } from 'zod';
import { Empty, event, Id, request, RequestId, Text } from './define';
import { LoadedModel } from './models';

/**
 * LLM channels: generation (chat, completion, schema-constrained JSON), embeddings and the model
 * process's status. The main-process host (src-main/llm/llm-host.ts) returns exactly these types.
 */

export const StopReason = z.enum(['eogToken', 'maxTokens', 'stopTrigger', 'cancelled', 'other']);
export type StopReason = z.infer<typeof StopReason>;

export const GenerationStats = z.object({
  /** Prompt tokens actually evaluated this turn (tokens reused from the KV cache are not counted). */
  promptTokens: z.number().int(),
  generatedTokens: z.number().int(),
  ttftMs: z.number(),
  totalMs: z.number(),
  promptTokensPerSecond: z.number(),
  tokensPerSecond: z.number(),
  stopReason: StopReason,
});
export type GenerationStats = z.infer<typeof GenerationStats>;

export const GenerationOptions = z.object({
  maxTokens: z.number().int().min(1).max(16_384).optional(),
  temperature: z.number().min(0).max(2).optional(),
  topK: z.number().int().min(0).max(1000).optional(),
  topP: z.number().min(0).max(1).optional(),
  seed: z.number().int().min(0).max(2 ** 31).optional(),
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
});
export type GenerationOptions = z.infer<typeof GenerationOptions>;

export const ChatMessage = z.object({ role: z.enum(['user', 'assistant']), text: Text(100_000) });
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatInput = z.object({
  requestId: RequestId,
  /** Keeps a KV cache per conversation, so turn N evaluates only the new message. */
  conversationId: Id,
  systemPrompt: Text(50_000).optional(),
  history: z.array(ChatMessage).max(2000),
  message: Text(),
  options: GenerationOptions.optional(),
});
export type ChatInput = z.infer<typeof ChatInput>;

export const CompletionInput = z.object({ requestId: RequestId, prompt: Text(100_000), options: GenerationOptions.optional() });
export type CompletionInput = z.infer<typeof CompletionInput>;

/** A JSON Schema object (subset understood by node-llama-cpp's grammar: use enums for categories). */
export const JsonSchemaObject = z.record(z.string(), z.unknown());

export const JsonInput = z.object({
  requestId: RequestId,
  prompt: Text(100_000),
  systemPrompt: Text(50_000).optional(),
  jsonSchema: JsonSchemaObject,
  options: GenerationOptions.optional(),
});
export type JsonInput = z.infer<typeof JsonInput>;

export const GenerateInput = z.discriminatedUnion('mode', [
  ChatInput.extend({ mode: z.literal('chat') }),
  CompletionInput.extend({ mode: z.literal('completion') }),
  JsonInput.extend({ mode: z.literal('json') }),
]);
export type GenerateInput = z.infer<typeof GenerateInput>;

export const GenerateResult = z.object({
  requestId: RequestId,
  text: z.string(),
  /** Present for mode "json": parsed, clamped and validated against the schema. */
  json: z.unknown().optional(),
  cancelled: z.boolean(),
  stats: GenerationStats,
});
export type GenerateResult = z.infer<typeof GenerateResult>;

export const EmbedInput = z.object({ texts: z.array(Text(20_000)).min(1).max(256) });
export const EmbedResult = z.object({ dimensions: z.number().int(), vectors: z.array(z.array(z.number())) });
export type EmbedResult = z.infer<typeof EmbedResult>;

export const LlmState = z.enum(['stopped', 'starting', 'idle', 'loading', 'ready', 'busy', 'crashed']);
export type LlmState = z.infer<typeof LlmState>;

export const LlmStatus = z.object({
  state: LlmState,
  model: LoadedModel.nullable(),
  lastGeneration: GenerationStats.extend({ at: z.string() }).nullable(),
  lastError: z.string().nullable(),
  broken: z.array(z.object({ path: z.string(), reason: z.string() })),
  activeRequestId: z.string().nullable(),
  queued: z.number().int(),
  restarts: z.number().int(),
  /** The file being loaded and how far (0..1), for the status bar; null when no load runs. */
  loading: z.object({ path: z.string(), fileName: z.string(), progress: z.number().min(0).max(1) }).nullable(),
});
export type LlmStatus = z.infer<typeof LlmStatus>;

export const llmRequests = {
  'llm:generate': request(GenerateInput, GenerateResult, 'Chat, completion or schema-constrained JSON, streaming llm:delta events.'),
  'llm:embed': request(EmbedInput, EmbedResult, 'Embedding vectors for texts with the loaded model.'),
  'llm:status': request(Empty, LlmStatus, 'The model process state, loaded model and last generation speed.'),
} as const;

export const llmEvents = {
  'llm:delta': event(z.object({ requestId: RequestId, text: z.string() }), 'A streamed piece of generated text.'),
  'llm:status': event(LlmStatus, 'The model process state changed.'),
} as const;
