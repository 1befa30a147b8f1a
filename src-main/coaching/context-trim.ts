import type { Message } from '@shared/coaching/types';
import type { CoachChatTurn } from './llm-port';

/**
 * Fits a long session into the model's context. Estimates ~3 characters per token (Polish tokenises
 * worse than English; overestimating is the safe side). The cut point moves in steps of half the
 * budget, so between two steps the kept history is a stable prefix and the runtime's KV cache for the
 * conversation stays valid: trimming costs a re-evaluation once per half-budget of conversation, not
 * every turn. The dropped turns are replaced by a short deterministic summary.
 */
export const CHARS_PER_TOKEN = 3;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN) + 4;
}

export interface TrimResult {
  turns: CoachChatTurn[];
  /** A summary of the dropped turns for the system prompt, or null when nothing was dropped. */
  summary: string | null;
  dropped: number;
}

/** Chat turns from stored messages: the client and the salesperson speak to the coach as the user. */
export function toTurns(history: readonly Message[], label: (m: Message) => string): CoachChatTurn[] {
  const turns: CoachChatTurn[] = [];
  for (const m of history) {
    if (m.role === 'system') continue;
    const role = m.role === 'assistant' ? 'assistant' : 'user';
    const text = role === 'user' ? label(m) : m.content;
    const last = turns.at(-1);
    if (last && last.role === role) last.text = `${last.text}\n${text}`;
    else turns.push({ role, text });
  }
  return turns;
}

export function trimTurns(turns: readonly CoachChatTurn[], budgetTokens: number, summarise: (dropped: readonly CoachChatTurn[]) => string): TrimResult {
  const sizes = turns.map((t) => estimateTokens(t.text));
  const total = sizes.reduce((a, b) => a + b, 0);
  const budget = Math.max(64, Math.floor(budgetTokens));
  if (total <= budget) return { turns: [...turns], summary: null, dropped: 0 };
  const step = Math.max(32, Math.floor(budget / 2));
  const mustDrop = Math.ceil((total - budget) / step) * step;
  let dropped = 0;
  let cut = 0;
  while (cut < turns.length && dropped < mustDrop) {
    dropped += sizes[cut] ?? 0;
    cut += 1;
  }
  // The history must start with a user turn for most chat templates.
  while (cut < turns.length && turns[cut]?.role !== 'user') cut += 1;
  const removed = turns.slice(0, cut);
  return { turns: turns.slice(cut), summary: removed.length > 0 ? summarise(removed) : null, dropped: removed.length };
}
