import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ANALYSIS_LIMITS, CustomerAnalysis } from '@shared/coaching/analysis';
import { ARCHETYPES, OBJECTION_CATEGORIES } from '@shared/coaching/keys';
import { AppError } from '@shared/contract/errors';
import { clampToSchema, finalizeStructured, jsonSchemaToZod, toGrammarSchema, zodToJsonSchema } from './structured-output';

const Profile = z.object({
  archetype: z.enum(['analyst', 'driver', 'amiable', 'expressive']),
  confidence: z.number().min(0).max(1),
  likelihood: z.int().min(0).max(100),
  signals: z.array(z.enum(['price', 'timing', 'trust'])).max(3),
  note: z.string().max(40).nullable(),
});

describe('toGrammarSchema', () => {
  it('keeps what the grammar understands and drops numeric bounds', () => {
    const grammar = toGrammarSchema(zodToJsonSchema(Profile));
    expect(grammar).toEqual({
      type: 'object',
      properties: {
        archetype: { enum: ['analyst', 'driver', 'amiable', 'expressive'] },
        confidence: { type: 'number' },
        likelihood: { type: 'integer' },
        signals: { type: 'array', items: { enum: ['price', 'timing', 'trust'] }, maxItems: 3 },
        note: { oneOf: [{ type: 'string', maxLength: 40 }, { type: 'null' }] },
      },
      additionalProperties: false,
    });
  });

  it("reduces the coach's customer analysis (derived with z.toJSONSchema) to enums, bounded lists and strings", () => {
    const grammar = toGrammarSchema(zodToJsonSchema(CustomerAnalysis));
    expect(grammar).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: {
        archetype: { enum: [...ARCHETYPES] },
        needs: { type: 'array', items: { type: 'string', maxLength: ANALYSIS_LIMITS.item }, maxItems: ANALYSIS_LIMITS.needs },
        objections: { type: 'array', maxItems: ANALYSIS_LIMITS.objections, items: { type: 'object', properties: { category: { enum: [...OBJECTION_CATEGORIES] } } } },
        purchase_likelihood: { type: 'integer' },
      },
    });
    // The grammar knows no bounds and no JSON Schema dialect keys: those are checked after generation.
    expect(JSON.stringify(grammar)).not.toMatch(/minimum|maximum|\$schema/);
  });

  it('refuses schemas it cannot constrain', () => {
    expect(() => toGrammarSchema({ type: 'object', properties: { x: {} } })).toThrow(/\$\.x uses a value without a type/);
    expect(() => toGrammarSchema({ allOf: [{ type: 'string' }] })).toThrow(AppError);
    expect(() => toGrammarSchema({ type: 'array' })).toThrow(/without an item schema/);
  });
});

describe('finalizeStructured', () => {
  const schema = zodToJsonSchema(Profile);

  it('clamps numbers into their bounds and rounds integers', () => {
    const text = '{"archetype":"driver","confidence":7.5,"likelihood":-3.4,"signals":["price"],"note":null}';
    expect(finalizeStructured(text, schema, Profile)).toEqual({ archetype: 'driver', confidence: 1, likelihood: 0, signals: ['price'], note: null });
  });

  it('rejects a number that overflows to Infinity (exponents are allowed by the grammar)', () => {
    const text = '{"archetype":"driver","confidence":8e466,"likelihood":5,"signals":[],"note":null}';
    expect(() => finalizeStructured(text, schema, Profile)).toThrow(/\$\.confidence that is not finite/);
  });

  it('rejects output that does not validate or is not complete JSON', () => {
    const Short = z.object({ note: z.string().min(3).max(5) });
    const shortSchema = zodToJsonSchema(Short);
    expect(() => finalizeStructured('{"note":"ab"}', shortSchema, Short)).toThrow(/does not match the schema: note/);
    expect(() => finalizeStructured('{"archetype":"dri', schema, Profile)).toThrow(/did not produce complete JSON/);
    const unknownEnum = '{"archetype":"boss","confidence":0.5,"likelihood":5,"signals":[],"note":null}';
    expect(() => finalizeStructured(unknownEnum, schema, Profile)).toThrow(AppError);
  });

  it('cuts strings at maxLength without splitting a surrogate pair', () => {
    const Short = z.object({ note: z.string().max(5) });
    expect(finalizeStructured('{"note":"abcd\uD83D\uDE00xyz"}', zodToJsonSchema(Short), Short)).toEqual({ note: 'abcd' });
    expect(finalizeStructured('{"note":"\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"}', zodToJsonSchema(Short), Short).note).toHaveLength(5);
  });

  it('works with a plain JSON Schema received over IPC', () => {
    const jsonSchema = { type: 'object', properties: { score: { type: 'integer', minimum: 1, maximum: 5 } }, required: ['score'], additionalProperties: false };
    expect(finalizeStructured('{"score": 9}', jsonSchema, jsonSchemaToZod(jsonSchema))).toEqual({ score: 5 });
  });

  it('clamps through arrays, unions and $defs references', () => {
    const root = { $defs: { n: { type: 'number', maximum: 2 } }, type: 'array', items: { anyOf: [{ $ref: '#/$defs/n' }, { type: 'string' }] } };
    expect(clampToSchema([5, 'a', 1], root)).toEqual([2, 'a', 1]);
  });
});
