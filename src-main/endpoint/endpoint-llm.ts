import { AppError } from '@shared/contract/errors';
import type { CoachChatRequest, CoachChatResult, CoachJsonRequest } from '../coaching';
import { finalizeStructured, zodToJsonSchema, type JsonSchema } from '../llm';
import { EndpointError, streamChat, type CompletionResult, type EndpointTarget, type OpenAiMessage, type ResponseFormat } from './openai-client';

/** How the endpoint takes a schema: OpenAI's json_schema, plain JSON mode, or only the prompt. */
export type JsonMode = 'json_schema' | 'json_object' | 'prompt';

const JSON_MAX_TOKENS = 1024;

export interface EndpointChatOutcome extends CoachChatResult {
  raw: CompletionResult;
}

export function chatMessages(request: Pick<CoachChatRequest, 'systemPrompt' | 'history' | 'message'>): OpenAiMessage[] {
  return [
    ...(request.systemPrompt ? [{ role: 'system' as const, content: request.systemPrompt }] : []),
    ...request.history.map((turn) => ({ role: turn.role, content: turn.text })),
    { role: 'user' as const, content: request.message },
  ];
}

/** A coach chat turn on the endpoint, streamed piece by piece to `onDelta`. */
export async function endpointChat(target: EndpointTarget, request: CoachChatRequest, onDelta: (text: string) => void, signal: AbortSignal): Promise<EndpointChatOutcome> {
  const raw = await streamChat(target, { messages: chatMessages(request), maxTokens: request.maxTokens }, onDelta, signal);
  return { text: raw.text, cancelled: raw.cancelled, promptTokens: raw.promptTokens ?? 0, completionTokens: raw.completionTokens ?? undefined, raw };
}

function formatFor(mode: JsonMode, schema: JsonSchema): ResponseFormat | undefined {
  if (mode === 'json_schema') return { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } };
  if (mode === 'json_object') return { type: 'json_object' };
  return undefined;
}

/** A 400/422 that names the response format: the server does not take this way of constraining JSON. */
function refusesFormat(error: unknown): boolean {
  return error instanceof EndpointError && error.kind === 'http' && (error.status === 400 || error.status === 422) && /response_format|json_schema|json_object|schema|grammar/i.test(error.message);
}

/** Code fences and prose around the object, which unconstrained models like to add. */
function jsonText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return trimmed;
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fenced?.[1]) return fenced[1].trim();
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  return start !== -1 && end > start ? trimmed.slice(start, end + 1) : trimmed;
}

export interface EndpointJsonOutcome {
  json: unknown;
  raw: CompletionResult;
  /** The mode that worked (remembered for this endpoint). */
  mode: JsonMode;
}

/**
 * Schema-constrained JSON on the endpoint: json_schema where the server supports it, else JSON mode,
 * else the schema in the prompt. Whatever came back is parsed, clamped and validated exactly like the
 * local model's output (llm/structured-output.ts finalizeStructured): invalid output is an error.
 */
export async function endpointJson(target: EndpointTarget, request: CoachJsonRequest, startMode: JsonMode, signal: AbortSignal): Promise<EndpointJsonOutcome> {
  const schema = zodToJsonSchema(request.schema);
  const modes: JsonMode[] = (['json_schema', 'json_object', 'prompt'] as const).slice(['json_schema', 'json_object', 'prompt'].indexOf(startMode));
  for (const mode of modes) {
    const instructions = mode === 'json_schema' ? '' : `\n\nAnswer with one JSON object only, matching this JSON Schema:\n${JSON.stringify(schema)}`;
    const messages: OpenAiMessage[] = [
      ...(request.systemPrompt || instructions ? [{ role: 'system' as const, content: `${request.systemPrompt ?? ''}${instructions}`.trim() }] : []),
      { role: 'user', content: request.prompt },
    ];
    let raw: CompletionResult;
    try {
      raw = await streamChat(target, { messages, maxTokens: request.maxTokens ?? JSON_MAX_TOKENS, temperature: 0, responseFormat: formatFor(mode, schema) }, request.onDelta ?? (() => undefined), signal);
    } catch (error) {
      if (refusesFormat(error) && mode !== 'prompt') continue;
      throw error;
    }
    if (raw.cancelled) throw new DOMException('The request was stopped.', 'AbortError');
    if (raw.finishReason === 'length') throw new AppError('MODEL_ERROR', 'The endpoint stopped before the JSON was complete (it reached its token limit).');
    return { json: finalizeStructured(jsonText(raw.text), schema, request.schema), raw, mode };
  }
  throw new AppError('MODEL_ERROR', 'The endpoint refused every way of asking for JSON.');
}
