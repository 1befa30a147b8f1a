import { z } from 'zod';
import { Id, Pasted, RequestId, request } from './define';
import { Archetype, CoachLanguage, ObjectionCategory } from '../coaching/keys';
import { KnowledgeEntry, Message, Notice, Session } from '../coaching/types';
import { ROLEPLAY_LIMITS } from './limits';

/**
 * Roleplay channels: the model plays a customer archetype (its turns stream as `coaching:delta`), and the
 * objection drill, which needs no model.
 */

const DrillComparison = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  overlap: z.number().min(0).max(1),
  matchedWords: z.array(z.string()),
  missingWords: z.array(z.string()),
});

export const roleplayRequests = {
  'roleplay:start': request(
    z.object({ requestId: RequestId, archetype: Archetype, language: CoachLanguage.optional(), leadId: Id.optional(), categories: z.array(ObjectionCategory).max(8).optional() }).strict(),
    z.object({ available: z.boolean(), session: Session.nullable(), opening: Message.nullable(), objections: z.array(KnowledgeEntry), notice: Notice.nullable() }),
    'Start a roleplay (the model plays the customer); without a model, says so and lists drill objections',
  ),
  'roleplay:reply': request(
    z.object({ requestId: RequestId, sessionId: Id, text: Pasted }).strict(),
    z.object({ message: Message, reply: Message.nullable(), cancelled: z.boolean() }),
    "The salesperson's line; resolves with the customer's answer (streamed as coaching:delta meanwhile)",
  ),
  'roleplay:end': request(z.object({ requestId: RequestId, sessionId: Id }).strict(), Session, 'End a roleplay and score it (scorecard on the session)'),
  'roleplay:drillNext': request(
    z.object({ language: CoachLanguage, category: ObjectionCategory.optional(), archetype: Archetype.optional(), excludeIds: z.array(Id).max(ROLEPLAY_LIMITS.drillExcludedIds).optional() }).strict(),
    z.object({ objection: KnowledgeEntry, recommendedCount: z.number().int() }),
    'An objection from the knowledge base to practise (no model needed)',
  ),
  'roleplay:drillAnswer': request(
    z.object({ objectionId: Id, answer: Pasted }).strict(),
    z.object({ objectionId: z.string(), score: z.number().int().min(0).max(100), verdict: z.enum(['strong', 'partial', 'weak']), best: DrillComparison.nullable(), recommended: z.array(DrillComparison) }),
    "Compare the salesperson's answer with the recommended responses",
  ),
} as const;

export const roleplayEvents = {} as const;
