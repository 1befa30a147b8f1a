import { z } from 'zod';
import { AppError } from '../contract/errors';
import { asJsonValue, clampFinite } from './analysis';

/** The roleplay scorecard: four skills, each scored 1–5 with a reason. */
export const SKILLS = ['discovery', 'objection_handling', 'value_articulation', 'closing'] as const;
export type Skill = (typeof SKILLS)[number];

const REASON_MAX = 400;
export const SkillScore = z.object({ score: z.number().int().min(1).max(5), reason: z.string().max(REASON_MAX) }).strict();
export const Scorecard = z
  .object({
    discovery: SkillScore,
    objection_handling: SkillScore,
    value_articulation: SkillScore,
    closing: SkillScore,
  })
  .strict();
export type Scorecard = z.infer<typeof Scorecard>;

/** Clamps scores to 1–5, cuts reasons, validates; an invalid scorecard is an error. */
export function parseScorecard(raw: unknown): Scorecard {
  const value = asJsonValue(raw, 'scorecard');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AppError('MODEL_ERROR', 'The model returned a scorecard that is not an object.');
  const record = value as Record<string, unknown>;
  const candidate: Record<string, unknown> = { ...record };
  for (const skill of SKILLS) {
    const entry = record[skill];
    if (typeof entry !== 'object' || entry === null) throw new AppError('MODEL_ERROR', `The model's scorecard has no ${skill.replace('_', ' ')} score.`);
    const e = entry as Record<string, unknown>;
    candidate[skill] = { ...e, score: clampFinite(e.score, 1, 5, `${skill} score`), reason: typeof e.reason === 'string' ? e.reason.trim().slice(0, REASON_MAX) : e.reason };
  }
  const parsed = Scorecard.safeParse(candidate);
  if (!parsed.success) throw new AppError('MODEL_ERROR', `The model's scorecard does not match the schema (${parsed.error.issues[0]?.path.join('.') ?? 'root'}).`);
  return parsed.data;
}
