import { describe, expect, it } from 'vitest';
import { AppError } from '../contract/errors';
import { customerAnalysisJsonSchema, parseCustomerAnalysis } from './analysis';
import { ARCHETYPES, OBJECTION_CATEGORIES } from './keys';
import { parseScorecard, scorecardJsonSchema } from './scorecard';
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
    const schema = customerAnalysisJsonSchema.properties;
    expect(parsed.needs).toHaveLength(schema.needs.maxItems);
    expect(parsed.needs[0]).toHaveLength(schema.needs.items.maxLength);
    expect(parsed.next_best_question).toHaveLength(schema.next_best_question.maxLength);
    expect(schema.needs.maxItems).toBe(5);
    expect(schema.needs.items.maxLength).toBe(120);
  });

  it('has a JSON schema whose enums are exactly the fixed keys', () => {
    expect(customerAnalysisJsonSchema.properties.archetype.enum).toEqual([...ARCHETYPES]);
    expect(customerAnalysisJsonSchema.properties.objections.items.properties.category.enum).toEqual([...OBJECTION_CATEGORIES]);
    expect([...customerAnalysisJsonSchema.required].sort()).toEqual(Object.keys(valid).sort());
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
    expect(scorecardJsonSchema.required).toEqual(['discovery', 'objection_handling', 'value_articulation', 'closing']);
  });
});

describe('cli output shape', () => {
  it('is strict: exactly the documented keys', () => {
    const ok = { source: 'fallback', archetype: 'driver', archetype_confidence: 'low', objections: [], suggestions: [{ kind: 'next_question', text: 'Why?', knowledge_ids: ['a'] }] };
    expect(CoachAnalyzeOutput.parse(ok)).toEqual(ok);
    expect(() => CoachAnalyzeOutput.parse({ ...ok, extra: true })).toThrow();
    expect(() => CoachAnalyzeOutput.parse({ ...ok, suggestions: [{ kind: 'elaboration', text: 'x', knowledge_ids: [] }] })).toThrow();
  });
});
