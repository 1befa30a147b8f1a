import type { z } from 'zod';
import type { LlmTask } from '@shared/contract/endpoint';

/**
 * The coach's view of a language model. The model runtime (src-main/models) is adapted to this port by
 * the app's wiring, so coaching never depends on how or where the model runs; tests use a scripted port.
 */
export interface CoachChatTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface CoachChatRequest {
  /** Caller-chosen id: deltas and cancellation are keyed by it. */
  requestId: string;
  /** Stable per coaching session, so the runtime can keep and reuse the conversation's KV cache. */
  conversationId: string;
  systemPrompt: string;
  /** Earlier turns, oldest first (already trimmed to the context budget; stable between turns). */
  history: CoachChatTurn[];
  message: string;
  maxTokens?: number;
  /** Which task asks (the endpoint feature routes per task); default 'coachReply'. */
  task?: LlmTask;
}

export interface CoachChatResult {
  text: string;
  /** Prompt tokens actually evaluated this turn (cache hits excluded), for the timing log. */
  promptTokens: number;
  /** True when the signal stopped generation early; `text` then holds what was produced so far. */
  cancelled: boolean;
  /** Tokens generated, when the runtime counts them (usage statistics estimate otherwise). */
  completionTokens?: number;
}

export interface CoachJsonRequest {
  requestId: string;
  prompt: string;
  systemPrompt?: string;
  /** The zod schema of the answer: the runtime derives the grammar from it; the coach validates again. */
  schema: z.ZodType;
  /** Which task asks; default 'customerAnalysis'. */
  task?: LlmTask;
  /** Upper bound on generated tokens (a scorecard must not run for minutes on a laptop CPU). */
  maxTokens?: number;
  /** The JSON text as it is generated, for visible progress (runtimes that cannot stream skip it). */
  onDelta?: (text: string) => void;
}

export interface CoachLlm {
  /** True when a model is loaded and can generate now. */
  ready(): boolean;
  /** Tokens one conversation may hold with the loaded model (its context size). */
  contextTokens(): number;
  chat(request: CoachChatRequest, onDelta: (text: string) => void, signal: AbortSignal): Promise<CoachChatResult>;
  /** Schema-constrained generation; resolves to the parsed JSON value (or its text). */
  json(request: CoachJsonRequest, signal: AbortSignal): Promise<unknown>;
  /** Embedding vectors, when the loaded model provides them (semantic re-ranking of retrieval). */
  embed?(texts: string[]): Promise<number[][]>;
}

/** The model if it is ready to generate, else null (the fallback coach answers). */
export function readyLlm(port: CoachLlm | null): CoachLlm | null {
  if (!port) return null;
  try {
    return port.ready() ? port : null;
  } catch {
    return null;
  }
}
