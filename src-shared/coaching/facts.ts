import { z } from 'zod';
import { KNOWLEDGE_LIMITS } from '../contract/limits';

/**
 * Structured facts of product, competitor and promotion entries: the fields the coach quotes in an
 * answer (and cites the entry for). Dates are local calendar days (YYYY-MM-DD), inclusive; a promotion
 * outside its days is never offered.
 */
const FactText = z.string().trim().max(KNOWLEDGE_LIMITS.titleChars);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates are written YYYY-MM-DD.');
const Money = z.number().finite().min(0).max(1e9);

export const KnowledgeFacts = z
  .object({
    range: FactText.optional(),
    warranty: FactText.optional(),
    charging: FactText.optional(),
    space: FactText.optional(),
    /** Competitor battlecard: where we are stronger (one line the salesperson can say). */
    advantage: FactText.optional(),
    validFrom: Day.optional(),
    validUntil: Day.optional(),
    price: Money.optional(),
    amount: Money.optional(),
    currency: z.string().trim().max(8).optional(),
  })
  .strict();
export type KnowledgeFacts = z.infer<typeof KnowledgeFacts>;

export const FACT_TEXT_FIELDS = ['range', 'warranty', 'charging', 'space', 'advantage'] as const;
export type FactTextField = (typeof FACT_TEXT_FIELDS)[number];

/** A stored facts JSON read defensively (rows arrive from other devices): anything invalid is null. */
export function parseFacts(json: string | null): KnowledgeFacts | null {
  if (!json) return null;
  try {
    const parsed = KnowledgeFacts.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The local calendar day of a timestamp, as YYYY-MM-DD (promotion days are local days). */
export function localDay(now: number): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Whether a promotion may be offered on `day`: inside its inclusive days (a missing bound is open). */
export function promotionValidOn(facts: KnowledgeFacts | null, day: string): boolean {
  if (facts?.validFrom && day < facts.validFrom) return false;
  if (facts?.validUntil && day > facts.validUntil) return false;
  return true;
}
