import type { CoachLlm } from '../coaching';
import type { FollowupDrafter } from '../leads';
import { newId } from '@shared/ids';
import type { LlmHost } from '../llm';

/**
 * Adapts the model runtime (llm feature) to the coach's port (coaching feature): chat streams through
 * the host's delta events for this request id, cancellation travels through the AbortSignal, JSON uses
 * grammar-constrained output derived from the answer's zod schema (never rebuilt from JSON).
 */
export function coachLlmFromHost(getHost: () => LlmHost | null): CoachLlm {
  const ready = () => {
    const status = getHost()?.status();
    return !!status?.model && (status.state === 'ready' || status.state === 'busy');
  };
  const host = () => {
    const h = getHost();
    if (!h) throw new Error('No model runtime');
    return h;
  };
  return {
    ready,
    contextTokens: () => getHost()?.status().model?.contextSize ?? 0,
    async chat(request, onDelta, signal) {
      const h = host();
      const off = h.on('delta', (delta) => {
        if (delta.requestId === request.requestId) onDelta(delta.text);
      });
      try {
        const result = await h.chat(
          {
            requestId: request.requestId,
            conversationId: request.conversationId,
            systemPrompt: request.systemPrompt,
            history: request.history,
            message: request.message,
            options: request.maxTokens ? { maxTokens: request.maxTokens } : undefined,
          },
          { signal },
        );
        return { text: result.text, promptTokens: result.stats.promptTokens, completionTokens: result.stats.generatedTokens, cancelled: result.cancelled };
      } finally {
        off();
      }
    },
    async json(request, signal) {
      const h = host();
      const onDelta = request.onDelta;
      const off = onDelta
        ? h.on('delta', (delta) => {
            if (delta.requestId === request.requestId) onDelta(delta.text);
          })
        : () => undefined;
      try {
        const result = await h.generateJson(
          {
            requestId: request.requestId,
            prompt: request.prompt,
            systemPrompt: request.systemPrompt,
            schema: request.schema,
            options: request.maxTokens ? { maxTokens: request.maxTokens } : undefined,
          },
          { signal },
        );
        return result.json;
      } finally {
        off();
      }
    },
    async embed(texts) {
      const result = await host().embed({ texts });
      return result.vectors;
    },
  };
}

/** The coaching model seen as a follow-up drafter (leads needs one reply to one prompt, nothing more). */
export function followupDrafter(llm: CoachLlm): FollowupDrafter {
  return {
    ready: () => llm.ready(),
    async draft(request, signal) {
      const result = await llm.chat(
        { requestId: newId(), conversationId: request.conversationId, systemPrompt: request.systemPrompt, history: [], message: request.prompt, maxTokens: request.maxTokens },
        () => undefined,
        signal,
      );
      return result.cancelled ? null : result.text;
    },
  };
}
