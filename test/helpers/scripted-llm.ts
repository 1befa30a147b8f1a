import type { CoachChatRequest, CoachJsonRequest, CoachLlm } from '@main/coaching/llm-port';

/**
 * A scripted stand-in for the model runtime, for tests of the coach's own logic (streaming, stop,
 * regenerate, trimming, validation of model output). It streams its reply in pieces with a real
 * macrotask between them, so a stop can land mid-stream, and honours the AbortSignal like the runtime.
 */
export interface ScriptedLlm extends CoachLlm {
  chats: CoachChatRequest[];
  jsons: CoachJsonRequest[];
  isReady: boolean;
}

export interface Script {
  reply?: (request: CoachChatRequest, turn: number) => string;
  json?: (request: CoachJsonRequest) => unknown;
  chatError?: Error;
  /** Milliseconds between streamed pieces. */
  pieceDelayMs?: number;
  contextTokens?: number;
  /** Resolves when the stream reaches this piece (lets a test stop mid-stream deterministically). */
  onPiece?: (index: number) => void;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function scriptedLlm(script: Script = {}): ScriptedLlm {
  const llm: ScriptedLlm = {
    chats: [],
    jsons: [],
    isReady: true,
    ready: () => llm.isReady,
    contextTokens: () => script.contextTokens ?? 4096,
    async chat(request, onDelta, signal) {
      llm.chats.push(structuredClone(request));
      if (script.chatError) throw script.chatError;
      const text = script.reply ? script.reply(request, llm.chats.length) : 'Ask about the budget [K1].';
      const pieces = text.match(/\S+\s*/g) ?? [];
      let out = '';
      for (const [index, piece] of pieces.entries()) {
        if (signal.aborted) return { text: out, promptTokens: 10, cancelled: true };
        await tick(script.pieceDelayMs ?? 1);
        if (signal.aborted) return { text: out, promptTokens: 10, cancelled: true };
        out += piece;
        onDelta(piece);
        script.onPiece?.(index);
      }
      return { text: out, promptTokens: 10, cancelled: false };
    },
    async json(request, signal) {
      llm.jsons.push({ ...request });
      await tick(1);
      if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      return script.json ? script.json(request) : {};
    },
  };
  return llm;
}
