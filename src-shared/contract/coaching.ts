import { z } from 'zod';
import { Empty, Id, Ok, RequestId, Text, event, request } from './define';
import { Archetype, CoachLanguage, KnowledgeKind, ObjectionCategory } from '../coaching/keys';
import {
  ClientProfile,
  CoachingDashboard,
  InstantCoaching,
  KnowledgeEntry,
  KnowledgeFields,
  Lead,
  LeadFields,
  Message,
  Notice,
  SearchHit,
  Session,
  SessionMode,
  Suggestion,
} from '../coaching/types';

/**
 * Coaching channels: leads, coaching sessions with instant (fallback) suggestions and a streamed model
 * reply, the knowledge base, roleplay, the objection drill and the coaching dashboard.
 *
 * Streaming: `coach:send`, `coach:regenerate` and `coach:editAndResend` return at once; when a model is
 * ready its reply arrives as `coach:delta` {requestId, text} pieces, then one `coach:done`. The profile
 * beside the chat updates with `coach:analysis`. `coach:stop` {requestId} stops a reply (or a roleplay turn).
 */

/** What a person may paste: a 100 kB paste is accepted and cut by the coach (with a notice). */
const Pasted = Text(200_000).min(1, 'Type something first: the text is empty.');
const Limit = (max: number) => z.number().int().min(1).max(max).optional();

const SendResult = z.object({
  requestId: RequestId,
  message: Message,
  /** Null for a salesperson's own line (nothing to coach). */
  instant: InstantCoaching.nullable(),
  model: z.enum(['streaming', 'unavailable']),
});

const ImportReport = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});

const DrillComparison = z.object({
  id: z.string(),
  title: z.string(),
  text: z.string(),
  overlap: z.number().min(0).max(1),
  matchedWords: z.array(z.string()),
  missingWords: z.array(z.string()),
});

export const coachingRequests = {
  'leads:list': request(z.object({ query: Text(200).optional(), limit: Limit(1000) }).strict(), z.object({ leads: z.array(Lead) }), 'Leads, most recently changed first (optional search)'),
  'leads:create': request(LeadFields.strict(), Lead, 'Create a lead'),
  'leads:update': request(z.object({ id: Id, patch: LeadFields.partial().strict() }).strict(), Lead, 'Change a lead'),
  'leads:delete': request(z.object({ id: Id }).strict(), Ok, 'Delete a lead (its sessions stay)'),

  'coach:status': request(Empty, z.object({ modelReady: z.boolean(), knowledgeEntries: z.number().int() }), 'Whether a model answers, and the knowledge base size'),
  'coach:sessions': request(z.object({ leadId: Id.optional(), mode: SessionMode.optional(), limit: Limit(500) }).strict(), z.object({ sessions: z.array(Session) }), 'Coaching and roleplay sessions'),
  'coach:startSession': request(
    z.object({ leadId: Id.optional(), title: Text(200).optional(), language: CoachLanguage.optional() }).strict(),
    Session,
    'Start a coaching session for a lead (a placeholder lead is created when none is given)',
  ),
  'coach:messages': request(
    z.object({ sessionId: Id }).strict(),
    z.object({ session: Session, messages: z.array(Message), suggestions: z.array(Suggestion), profile: ClientProfile.nullable() }),
    'A session with its messages, suggestions and the client profile',
  ),
  'coach:send': request(
    z.object({ requestId: RequestId, sessionId: Id, text: Pasted, role: z.enum(['client', 'salesperson']).optional(), language: CoachLanguage.optional() }).strict(),
    SendResult,
    'Add what the client (or salesperson) said; instant suggestions now, a model reply streams as coach:delta',
  ),
  'coach:stop': request(z.object({ requestId: RequestId }).strict(), z.object({ stopped: z.boolean() }), 'Stop a streaming reply', { control: true }),
  'coach:regenerate': request(
    z.object({ requestId: RequestId, sessionId: Id }).strict(),
    z.object({ requestId: RequestId, clientMessage: Message }),
    'Replace the last model reply with a new one (needs a model)',
  ),
  'coach:editAndResend': request(
    z.object({ requestId: RequestId, sessionId: Id, messageId: Id, text: Pasted }).strict(),
    SendResult,
    'Replace a message (and everything after it) and answer again',
  ),
  'coach:analysis': request(z.object({ sessionId: Id }).strict(), z.object({ profile: ClientProfile.nullable(), modelReady: z.boolean() }), "The client profile of the session's lead"),
  'coach:rate': request(
    z.object({ suggestionId: Id, rating: z.number().int().min(1).max(5), comment: Text(2000).nullable().optional() }).strict(),
    Suggestion,
    'Rate a suggestion 1–5 (re-ranks future suggestions)',
  ),

  'knowledge:list': request(
    z.object({ kind: KnowledgeKind.optional(), language: CoachLanguage.optional(), category: ObjectionCategory.optional(), archetype: Archetype.optional(), limit: Limit(5000), offset: z.number().int().min(0).optional() }).strict(),
    z.object({ entries: z.array(KnowledgeEntry), total: z.number().int() }),
    'Knowledge entries (filtered, paged)',
  ),
  'knowledge:create': request(KnowledgeFields.strict(), KnowledgeEntry, 'Create a knowledge entry'),
  'knowledge:update': request(z.object({ id: Id, patch: KnowledgeFields.partial().strict() }).strict(), KnowledgeEntry, 'Change a knowledge entry'),
  'knowledge:delete': request(z.object({ id: Id }).strict(), Ok, 'Delete a knowledge entry'),
  'knowledge:import': request(
    z.object({ format: z.enum(['json', 'xlsx']), data: Text(2_500_000).min(1), fileName: Text(255).optional() }).strict(),
    ImportReport,
    'Import entries: JSON text, or an .xlsx file as base64 (up to ~1.8 MB)',
  ),
  'knowledge:export': request(
    z.object({ format: z.enum(['json', 'xlsx']), language: CoachLanguage.optional(), kind: KnowledgeKind.optional() }).strict(),
    z.object({ format: z.enum(['json', 'xlsx']), fileName: z.string(), data: z.string(), entries: z.number().int() }),
    'Export entries: JSON text, or an .xlsx file as base64',
  ),
  'knowledge:search': request(
    z.object({ query: Text(2000), language: CoachLanguage.optional(), kinds: z.array(KnowledgeKind).max(7).optional(), category: ObjectionCategory.optional(), limit: Limit(100) }).strict(),
    z.object({ hits: z.array(SearchHit), elapsedMs: z.number() }),
    'Full-text search (Polish-aware), ranked with ratings',
  ),

  'roleplay:start': request(
    z.object({ requestId: RequestId, archetype: Archetype, language: CoachLanguage.optional(), leadId: Id.optional(), categories: z.array(ObjectionCategory).max(8).optional() }).strict(),
    z.object({ available: z.boolean(), session: Session.nullable(), opening: Message.nullable(), objections: z.array(KnowledgeEntry), notice: Notice.nullable() }),
    'Start a roleplay (the model plays the customer); without a model, says so and lists drill objections',
  ),
  'roleplay:reply': request(
    z.object({ requestId: RequestId, sessionId: Id, text: Pasted }).strict(),
    z.object({ message: Message, reply: Message.nullable(), cancelled: z.boolean() }),
    "The salesperson's line; resolves with the customer's answer (streamed as coach:delta meanwhile)",
  ),
  'roleplay:end': request(z.object({ requestId: RequestId, sessionId: Id }).strict(), Session, 'End a roleplay and score it (scorecard on the session)'),
  'drill:next': request(
    z.object({ language: CoachLanguage, category: ObjectionCategory.optional(), archetype: Archetype.optional(), excludeIds: z.array(Id).max(200).optional() }).strict(),
    z.object({ objection: KnowledgeEntry, recommendedCount: z.number().int() }),
    'An objection from the knowledge base to practise (no model needed)',
  ),
  'drill:answer': request(
    z.object({ objectionId: Id, answer: Pasted }).strict(),
    z.object({ objectionId: z.string(), score: z.number().int().min(0).max(100), verdict: z.enum(['strong', 'partial', 'weak']), best: DrillComparison.nullable(), recommended: z.array(DrillComparison) }),
    "Compare the salesperson's answer with the recommended responses",
  ),
  'dashboard:coaching': request(
    z.object({ days: z.number().int().min(1).max(365).optional(), tzOffsetMinutes: z.number().int().min(-840).max(840).optional() }).strict(),
    CoachingDashboard,
    'Coaching KPIs for the dashboard',
  ),
} as const;

export const coachingEvents = {
  'coach:delta': event(z.object({ requestId: RequestId, text: z.string() }), 'A piece of a streaming model reply'),
  'coach:done': event(
    z.object({ requestId: RequestId, sessionId: z.string(), message: Message.nullable(), suggestion: Suggestion.nullable(), cancelled: z.boolean(), error: z.string().nullable() }),
    'A model reply finished (or was stopped, or failed: the fallback suggestions still stand)',
  ),
  'coach:analysis': event(
    z.object({ sessionId: z.string(), leadId: z.string().nullable(), profile: ClientProfile.nullable(), error: z.string().nullable() }),
    'The client profile changed (or a model analysis was rejected)',
  ),
  'knowledge:changed': event(z.object({ reason: z.enum(['created', 'updated', 'deleted', 'imported', 'seeded']) }), 'The knowledge base changed'),
} as const;
