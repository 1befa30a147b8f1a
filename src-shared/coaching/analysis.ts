import { z } from 'zod';
import { AppError } from '../contract/errors';
import { Archetype, Confidence, ObjectionCategory, Sentiment } from './keys';

/**
 * The customer analysis the model produces under a JSON-schema grammar (and the fallback imitates). The
 * grammar is derived from this zod schema by the model runtime (z.toJSONSchema), so there is no second copy.
 * Grammars enforce enums reliably but not numeric bounds or string lengths, so every parsed value is
 * clamped / cut and checked here; anything that still does not validate is an error, never used.
 */
// Bounded so the worst case (every list full, every string at its limit) fits the JSON token budget.
export const ANALYSIS_LIMITS = { needs: 5, objections: 5, signals: 5, item: 120, quote: 200, question: 200 } as const;

export const ObjectionFinding = z.object({ category: ObjectionCategory, quote: z.string().max(ANALYSIS_LIMITS.quote) }).strict();
export type ObjectionFinding = z.infer<typeof ObjectionFinding>;

export const CustomerAnalysis = z
  .object({
    archetype: Archetype,
    archetype_confidence: Confidence,
    needs: z.array(z.string().max(ANALYSIS_LIMITS.item)).max(ANALYSIS_LIMITS.needs),
    objections: z.array(ObjectionFinding).max(ANALYSIS_LIMITS.objections),
    buying_signals: z.array(z.string().max(ANALYSIS_LIMITS.item)).max(ANALYSIS_LIMITS.signals),
    sentiment: Sentiment,
    purchase_likelihood: z.number().int().min(0).max(100),
    next_best_question: z.string().max(ANALYSIS_LIMITS.question),
  })
  .strict();
export type CustomerAnalysis = z.infer<typeof CustomerAnalysis>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON text if given one; grammar output arrives as text from some hosts. */
export function asJsonValue(raw: unknown, what: string): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new AppError('MODEL_ERROR', `The model's ${what} is not valid JSON.`);
  }
}

/** Rounds and clamps a number; a non-number or non-finite value (grammars allow 8e466) is refused. */
export function clampFinite(value: unknown, min: number, max: number, field: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new AppError('MODEL_ERROR', `The model returned a non-finite ${field}.`);
  return Math.min(max, Math.max(min, Math.round(n)));
}

function cutStrings(value: unknown, maxItems: number, maxLength: number): unknown {
  if (!Array.isArray(value)) return value;
  return value.slice(0, maxItems).map((item) => (typeof item === 'string' ? item.trim().slice(0, maxLength) : item));
}

/** Clamps, cuts and validates a model's customer analysis. Throws AppError('MODEL_ERROR') if invalid. */
export function parseCustomerAnalysis(raw: unknown): CustomerAnalysis {
  const value = asJsonValue(raw, 'customer analysis');
  if (!isRecord(value)) throw new AppError('MODEL_ERROR', 'The model returned an analysis that is not an object.');
  const objections = Array.isArray(value.objections)
    ? value.objections.slice(0, ANALYSIS_LIMITS.objections).map((o) => (isRecord(o) && typeof o.quote === 'string' ? { ...o, quote: o.quote.trim().slice(0, ANALYSIS_LIMITS.quote) } : o))
    : value.objections;
  const candidate = {
    ...value,
    needs: cutStrings(value.needs, ANALYSIS_LIMITS.needs, ANALYSIS_LIMITS.item),
    objections,
    buying_signals: cutStrings(value.buying_signals, ANALYSIS_LIMITS.signals, ANALYSIS_LIMITS.item),
    purchase_likelihood: clampFinite(value.purchase_likelihood, 0, 100, 'purchase likelihood'),
    next_best_question: typeof value.next_best_question === 'string' ? value.next_best_question.trim().slice(0, ANALYSIS_LIMITS.question) : value.next_best_question,
  };
  const parsed = CustomerAnalysis.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('MODEL_ERROR', `The model's analysis does not match the schema (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}).`);
  }
  return parsed.data;
}
