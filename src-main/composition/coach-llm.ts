import type { LlmHost } from '../models/llm-host';
import type { CoachLlm } from './llm-port';

/**
 * Adapts the model runtime to the coach's port: chat streams through the host's delta events for
 * this request id, cancellation travels through the AbortSignal, JSON uses grammar-constrained output.
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
        return { text: result.text, promptTokens: result.stats.promptTokens, cancelled: result.cancelled };
      } finally {
        off();
      }
    },
    async json(request, signal) {
      const result = await host().generate(
        { mode: 'json', requestId: request.requestId, prompt: request.prompt, systemPrompt: request.systemPrompt, jsonSchema: request.jsonSchema },
        { signal },
      );
      return result.json ?? result.text;
    },
    async embed(texts) {
      const result = await host().embed({ texts });
      return result.vectors;
    },
  };
}
