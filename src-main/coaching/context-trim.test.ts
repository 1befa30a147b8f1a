import { describe, expect, it } from 'vitest';
import { estimateTokens, trimTurns, type TrimResult } from './context-trim';
import type { CoachChatTurn } from './llm-port';

function conversation(turns: number): CoachChatTurn[] {
  return Array.from({ length: turns }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', text: `turn ${i} `.repeat(20) }) as CoachChatTurn);
}
const size = (r: TrimResult) => r.turns.reduce((sum, t) => sum + estimateTokens(t.text), 0);
const summarise = (dropped: readonly CoachChatTurn[]) => `${dropped.length} dropped`;

describe('context trimming', () => {
  it('leaves a conversation that fits untouched', () => {
    const turns = conversation(4);
    expect(trimTurns(turns, 10_000, summarise)).toEqual({ turns, summary: null, dropped: 0 });
  });

  it('always fits the budget, starts with a user turn, and summarises what it dropped', () => {
    for (let n = 1; n <= 300; n += 7) {
      const result = trimTurns(conversation(n), 1000, summarise);
      expect(size(result)).toBeLessThanOrEqual(1000);
      if (result.turns.length > 0) expect(result.turns[0]!.role).toBe('user');
      expect(result.summary).toBe(result.dropped > 0 ? `${result.dropped} dropped` : null);
    }
  });

  it('keeps a stable prefix between most turns, so the KV cache of the conversation stays valid', () => {
    let moves = 0;
    let previousCut = -1;
    const total = 400;
    const all = conversation(total);
    for (let n = 10; n <= total; n++) {
      const { dropped } = trimTurns(all.slice(0, n), 1000, summarise);
      if (previousCut >= 0 && dropped !== previousCut) moves += 1;
      previousCut = dropped;
    }
    // Each turn is ~70 tokens and the cut moves in half-budget steps: about one move per 7 turns, not every turn.
    expect(moves).toBeGreaterThan(10);
    expect(moves).toBeLessThan(total / 5);
  });
});
