import { z } from 'zod';
import { Archetype, ObjectionCategory } from './keys';
import { DueFollowup, Outcome } from './pipeline';
import { Lead } from './types';

/** Read-only screens of the pipeline (issue 16): pre-call brief, Today, team insights. */

const Millis = z.number().int();
const Count = z.number().int().min(0);
const Rate = z.number().min(0).max(1).nullable();

export const PreCallBrief = z.object({
  lead: Lead,
  archetypeHistory: z.array(z.object({ archetype: Archetype, previousArchetype: Archetype.nullable(), confidence: z.string(), evidence: z.array(z.string()), at: Millis })),
  /** Objection categories the client raised in their sessions, most recent first. */
  openObjections: z.array(z.object({ category: ObjectionCategory, lastRaisedAt: Millis, times: Count })),
  lastNextStep: z.object({ text: z.string(), due: Millis.nullable(), doneAt: Millis.nullable() }).nullable(),
  /** The salesperson's own sentences that promise something ("I will send…"), newest first. */
  promises: z.array(z.object({ text: z.string(), at: Millis })),
  /** Responses that won with clients of the same archetype or the same objections (other leads). */
  whatWorked: z.array(z.object({ knowledgeId: z.string(), title: z.string(), category: ObjectionCategory.nullable(), won: Count, lost: Count, rate: Rate })),
  outcomes: z.array(Outcome),
});
export type PreCallBrief = z.infer<typeof PreCallBrief>;

export const TodayView = z.object({
  at: Millis,
  /** Due today (by the end of the local day) or overdue, oldest first. */
  followups: z.array(DueFollowup),
  /** Next steps and meetings in the coming seven days. */
  upcoming: z.array(DueFollowup),
  quietLeads: z.array(z.object({ id: z.string(), name: z.string(), lastActivity: Millis })),
  /** Pallet analyses imported but not decided (status still 'ready'). */
  undecidedAnalyses: z.array(z.object({ id: z.string(), name: z.string(), createdAt: Millis })),
});
export type TodayView = z.infer<typeof TodayView>;

export const TeamInsights = z.object({
  responses: z.array(
    z.object({
      knowledgeId: z.string(),
      title: z.string(),
      body: z.string(),
      category: ObjectionCategory.nullable(),
      author: z.string().nullable(),
      /** Owners of the leads whose sessions used it (as synced from the team). */
      usedBy: z.array(z.string()),
      won: Count,
      lost: Count,
      rate: Rate,
      ratingAverage: z.number().nullable(),
      ratings: Count,
      /** Ranking: won/lost and ratings together, shrunk towards neutral so few data points count less. */
      score: z.number(),
    }),
  ),
});
export type TeamInsights = z.infer<typeof TeamInsights>;
