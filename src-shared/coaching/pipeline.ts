import { z } from 'zod';
import { PIPELINE_LIMITS } from '../contract/limits';

/** Pipeline shapes (issue 16): a lead's stage, deal and next step; follow-ups; outcomes. */

export const LEAD_STAGES = ['new', 'contacted', 'meeting', 'offer', 'negotiation', 'won', 'lost'] as const;
export const LeadStage = z.enum(LEAD_STAGES);
export type LeadStage = z.infer<typeof LeadStage>;

export const OUTCOMES = ['won', 'lost', 'next_meeting'] as const;
export const OutcomeKind = z.enum(OUTCOMES);
export type OutcomeKind = z.infer<typeof OutcomeKind>;

const Millis = z.number().int();
const Currency = z.string().trim().regex(/^[A-Za-z]{3}$/, 'A currency is a three-letter code such as PLN or EUR.').transform((c) => c.toUpperCase());

/** The pipeline part of a lead as the app shows it. */
export const LeadPipeline = z.object({
  stage: LeadStage,
  lostReason: z.string().nullable(),
  dealValue: z.number().nullable(),
  currency: z.string().nullable(),
  source: z.string().nullable(),
  tags: z.array(z.string()),
  owner: z.string().nullable(),
  nextStep: z.string().nullable(),
  nextStepDue: Millis.nullable(),
  nextStepDoneAt: Millis.nullable(),
  nextStepSnoozedUntil: Millis.nullable(),
  /** From the lead's client profile (0–100), null before any analysis. */
  purchaseLikelihood: z.number().nullable(),
});
export type LeadPipeline = z.infer<typeof LeadPipeline>;

/** The pipeline fields a person may set on a lead (create or update). */
export const LeadPipelineFields = z.object({
  stage: LeadStage.optional(),
  lostReason: z.string().max(PIPELINE_LIMITS.reasonChars).nullable().optional(),
  dealValue: z.number().min(0).max(PIPELINE_LIMITS.dealValueMax).nullable().optional(),
  currency: Currency.nullable().optional(),
  source: z.string().max(PIPELINE_LIMITS.sourceChars).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(PIPELINE_LIMITS.tagChars)).max(PIPELINE_LIMITS.tags).optional(),
  owner: z.string().max(PIPELINE_LIMITS.ownerChars).nullable().optional(),
  nextStep: z.string().max(PIPELINE_LIMITS.nextStepChars).nullable().optional(),
  nextStepDue: Millis.nullable().optional(),
});
export type LeadPipelineFields = z.infer<typeof LeadPipelineFields>;

export const FollowupKind = z.enum(['next_step', 'sequence_step']);
export type FollowupKind = z.infer<typeof FollowupKind>;

/** Something due: a lead's next step or a sequence step not sent yet (a reminder). */
export const DueFollowup = z.object({
  /** The lead id for a next step, the step id for a sequence step (what snooze/done act on). */
  id: z.string(),
  leadId: z.string(),
  leadName: z.string(),
  kind: FollowupKind,
  due: Millis,
  text: z.string(),
  overdue: z.boolean(),
});
export type DueFollowup = z.infer<typeof DueFollowup>;

export const SequenceStatus = z.enum(['active', 'paused', 'done', 'stopped']);
export const FollowupStep = z.object({
  id: z.string(),
  sequenceId: z.string(),
  leadId: z.string(),
  position: z.number().int(),
  kind: z.string(),
  dayOffset: z.number().int(),
  dueAt: Millis,
  subject: z.string(),
  body: z.string(),
  draftSource: z.string(),
  sentAt: Millis.nullable(),
  snoozedUntil: Millis.nullable(),
});
export type FollowupStep = z.infer<typeof FollowupStep>;

export const FollowupSequence = z.object({
  id: z.string(),
  leadId: z.string(),
  templateKey: z.string(),
  language: z.string(),
  archetype: z.string().nullable(),
  status: SequenceStatus,
  startedAt: Millis,
  repliedAt: Millis.nullable(),
  replyText: z.string().nullable(),
  steps: z.array(FollowupStep),
});
export type FollowupSequence = z.infer<typeof FollowupSequence>;

export const Outcome = z.object({
  id: z.string(),
  leadId: z.string(),
  sessionId: z.string().nullable(),
  outcome: OutcomeKind,
  reason: z.string().nullable(),
  nextMeetingAt: Millis.nullable(),
  suggestionIds: z.array(z.string()),
  createdAt: Millis,
});
export type Outcome = z.infer<typeof Outcome>;

const Count = z.number().int().min(0);
const Rate = z.number().min(0).max(1).nullable();
/** Won / (won + lost) of decided outcomes; null when nothing is decided yet. */
export const WinRates = z.object({
  overall: z.object({ won: Count, lost: Count, rate: Rate }),
  byCategory: z.array(z.object({ category: z.string(), won: Count, lost: Count, rate: Rate })),
  byResponse: z.array(z.object({ knowledgeId: z.string(), title: z.string(), category: z.string().nullable(), won: Count, lost: Count, rate: Rate })),
  byArchetype: z.array(z.object({ archetype: z.string(), won: Count, lost: Count, rate: Rate })),
});
export type WinRates = z.infer<typeof WinRates>;
