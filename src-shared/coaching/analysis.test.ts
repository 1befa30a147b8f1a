import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../contract/errors';
import { ANALYSIS_LIMITS, CustomerAnalysis, parseCustomerAnalysis } from './analysis';
import { ARCHETYPES, OBJECTION_CATEGORIES } from './keys';
import { parseScorecard, Scorecard } from './scorecard';
import { CoachAnalyzeOutput } from './types';

const valid = {
  archetype: 'skeptic',
  archetype_confidence: 'medium',
  needs: ['range for commuting'],
  objections: [{ category: 'trust', quote: 'batteries die' }],
  buying_signals: [],
  sentiment: 'negative',
  purchase_likelihood: 40,
  next_best_question: 'What would convince you?',
};

describe('customer analysis', () => {
  it('accepts a valid analysis, given as an object or as JSON text', () => {
    expect(parseCustomerAnalysis(valid)).toEqual(valid);
    expect(parseCustomerAnalysis(JSON.stringify(valid))).toEqual(valid);
  });

  it('clamps purchase likelihood to 0–100 and rounds it', () => {
    expect(parseCustomerAnalysis({ ...valid, purchase_likelihood: 250 }).purchase_likelihood).toBe(100);
    expect(parseCustomerAnalysis({ ...valid, purchase_likelihood: -3 }).purchase_likelihood).toBe(0);
    expect(parseCustomerAnalysis({ ...valid, purchase_likelihood: 41.6 }).purchase_likelihood).toBe(42);
  });

  it('refuses non-finite numbers (grammars allow 8e466) and non-numbers', () => {
    expect(() => parseCustomerAnalysis('{"purchase_likelihood": 8e466}')).toThrow(AppError);
    expect(() => parseCustomerAnalysis({ ...valid, purchase_likelihood: Number.NaN })).toThrow(/non-finite/);
    expect(() => parseCustomerAnalysis({ ...valid, purchase_likelihood: 'high' })).toThrow(/non-finite/);
  });

  it('refuses values outside the enums and unknown fields', () => {
    expect(() => parseCustomerAnalysis({ ...valid, archetype: 'wizard' })).toThrow(/archetype/);
    expect(() => parseCustomerAnalysis({ ...valid, objections: [{ category: 'weather', quote: 'x' }] })).toThrow(/objections/);
    expect(() => parseCustomerAnalysis({ ...valid, extra: 1 })).toThrow(AppError);
    expect(() => parseCustomerAnalysis('not json')).toThrow(/not valid JSON/);
  });

  it('cuts over-long strings and lists instead of failing on them', () => {
    const parsed = parseCustomerAnalysis({ ...valid, needs: Array.from({ length: 20 }, () => 'x'.repeat(500)), next_best_question: 'q'.repeat(1000) });
    expect(parsed.needs).toHaveLength(ANALYSIS_LIMITS.needs);
    expect(parsed.needs[0]).toHaveLength(ANALYSIS_LIMITS.item);
    expect(parsed.next_best_question).toHaveLength(ANALYSIS_LIMITS.question);
    expect(ANALYSIS_LIMITS.needs).toBe(5);
    expect(ANALYSIS_LIMITS.item).toBe(120);
  });

  it('derives a JSON schema whose enums are exactly the fixed keys and whose bounds are the limits', () => {
    const schema = JSON.parse(JSON.stringify(z.toJSONSchema(CustomerAnalysis, { io: 'output' }))) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { enum?: string[]; maxItems?: number; items?: { maxLength?: number; properties?: Record<string, { enum?: string[] }> } }>;
    };
    expect(schema.properties.archetype!.enum).toEqual([...ARCHETYPES]);
    expect(schema.properties.objections!.items!.properties!.category!.enum).toEqual([...OBJECTION_CATEGORIES]);
    expect(schema.properties.needs).toMatchObject({ maxItems: ANALYSIS_LIMITS.needs, items: { maxLength: ANALYSIS_LIMITS.item } });
    expect([...schema.required].sort()).toEqual(Object.keys(valid).sort());
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('roleplay scorecard', () => {
  const card = {
    discovery: { score: 4, reason: 'Asked about usage.' },
    objection_handling: { score: 2, reason: 'Argued with the client.' },
    value_articulation: { score: 3, reason: 'Some numbers.' },
    closing: { score: 1, reason: 'No next step.' },
  };

  it('validates and clamps scores to 1–5', () => {
    expect(parseScorecard(card)).toEqual(card);
    expect(parseScorecard({ ...card, closing: { score: 9, reason: 'x' } }).closing.score).toBe(5);
    expect(parseScorecard({ ...card, closing: { score: 0, reason: 'x' } }).closing.score).toBe(1);
  });

  it('refuses a scorecard with a missing skill or a non-finite score', () => {
    const { closing: _closing, ...partial } = card;
    expect(() => parseScorecard(partial)).toThrow(/closing/);
    expect(() => parseScorecard({ ...card, discovery: { score: Number.POSITIVE_INFINITY, reason: '' } })).toThrow(/non-finite/);
    expect((z.toJSONSchema(Scorecard) as { required: string[] }).required).toEqual(['discovery', 'objection_handling', 'value_articulation', 'closing']);
  });
});

describe('cli output shape', () => {
  it('is strict: exactly the documented keys', () => {
    const ok = { source: 'fallback', archetype: 'driver', archetype_confidence: 'low', objections: [], buying_signals: [], suggestions: [{ kind: 'next_question', text: 'Why?', knowledge_ids: ['a'] }] };
    expect(CoachAnalyzeOutput.parse(ok)).toEqual(ok);
    expect(() => CoachAnalyzeOutput.parse({ ...ok, extra: true })).toThrow();
    expect(() => CoachAnalyzeOutput.parse({ ...ok, suggestions: [{ kind: 'elaboration', text: 'x', knowledge_ids: [] }] })).toThrow();
  });
});
