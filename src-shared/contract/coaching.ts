import { z } from 'zod';
import { Empty, Id, Limit, Pasted, RequestId, Text, event, request } from './define';
import { TEXT_LIMITS } from './limits';
import { CoachLanguage } from '../coaching/keys';
import { ClientProfile, CoachingDashboard, InstantCoaching, Message, Session, SessionMode, Suggestion } from '../coaching/types';

/**
 * Coaching channels: coaching sessions with instant (fallback) suggestions and a streamed model reply,
 * the client profile, suggestion ratings and the coaching dashboard. Leads, the knowledge base and
 * roleplay (with the objection drill) have their own contract files.
 *
 * Streaming: `coaching:send`, `coaching:regenerate` and `coaching:editAndResend` return at once; when a model is
 * ready its reply arrives as `coaching:delta` {requestId, text} pieces, then one `coaching:done`. The profile
 * beside the chat updates with `coaching:analysis`. `ops:cancel` {requestId} stops a reply (or a roleplay turn).
 */

const SendResult = z.object({
  requestId: RequestId,
  message: Message,
  /** Null for a salesperson's own line (nothing to coach). */
  instant: InstantCoaching.nullable(),
  model: z.enum(['streaming', 'unavailable']),
});

export const coachingRequests = {
  'coaching:status': request(Empty, z.object({ modelReady: z.boolean(), knowledgeEntries: z.number().int() }), 'Whether a model answers, and the knowledge base size'),
  'coaching:sessions': request(z.object({ leadId: Id.optional(), mode: SessionMode.optional(), limit: Limit(500) }).strict(), z.object({ sessions: z.array(Session) }), 'Coaching and roleplay sessions'),
  'coaching:startSession': request(
    z.object({ leadId: Id.optional(), title: Text(200).optional(), language: CoachLanguage.optional() }).strict(),
    Session,
    'Start a coaching session for a lead (a placeholder lead is created when none is given)',
  ),
  'coaching:messages': request(
    z.object({ sessionId: Id }).strict(),
    z.object({ session: Session, messages: z.array(Message), suggestions: z.array(Suggestion), profile: ClientProfile.nullable() }),
    'A session with its messages, suggestions and the client profile',
  ),
  'coaching:send': request(
    z.object({ requestId: RequestId, sessionId: Id, text: Pasted, role: z.enum(['client', 'salesperson']).optional(), language: CoachLanguage.optional() }).strict(),
    SendResult,
    'Add what the client (or salesperson) said; instant suggestions now, a model reply streams as coaching:delta',
  ),
  'coaching:regenerate': request(
    z.object({ requestId: RequestId, sessionId: Id }).strict(),
    z.object({ requestId: RequestId, clientMessage: Message }),
    'Replace the last model reply with a new one (needs a model)',
  ),
  'coaching:editAndResend': request(
    z.object({ requestId: RequestId, sessionId: Id, messageId: Id, text: Pasted }).strict(),
    SendResult,
    'Replace a message (and everything after it) and answer again',
  ),
  'coaching:analysis': request(z.object({ sessionId: Id }).strict(), z.object({ profile: ClientProfile.nullable(), modelReady: z.boolean() }), "The client profile of the session's lead"),
  'coaching:rate': request(
    z.object({ suggestionId: Id, rating: z.number().int().min(1).max(5), comment: Text(TEXT_LIMITS.commentChars).nullable().optional() }).strict(),
    Suggestion,
    'Rate a suggestion 1–5 (re-ranks future suggestions)',
  ),


  'coaching:dashboard': request(
    z.object({ days: z.number().int().min(1).max(365).optional(), tzOffsetMinutes: z.number().int().min(-840).max(840).optional() }).strict(),
    CoachingDashboard,
    'Coaching KPIs for the dashboard',
  ),
} as const;

export const coachingEvents = {
  'coaching:delta': event(z.object({ requestId: RequestId, text: z.string() }), 'A piece of a streaming model reply'),
  'coaching:done': event(
    z.object({ requestId: RequestId, sessionId: z.string(), message: Message.nullable(), suggestion: Suggestion.nullable(), cancelled: z.boolean(), error: z.string().nullable() }),
    'A model reply finished (or was stopped, or failed: the fallback suggestions still stand)',
  ),
  'coaching:analysis': event(
    z.object({ sessionId: z.string(), leadId: z.string().nullable(), profile: ClientProfile.nullable(), error: z.string().nullable() }),
    'The client profile changed (or a model analysis was rejected)',
  ),
} as const;
