import { z } from 'zod';
import { CustomerAnalysis } from './analysis';
import { KnowledgeFacts } from './facts';
import { Scorecard } from './scorecard';
import { Archetype, CoachLanguage, CoachSource, Confidence, KnowledgeKind, ObjectionCategory, SuggestionKind } from './keys';
import { KNOWLEDGE_LIMITS, LEAD_LIMITS } from '../contract/limits';
import { LeadPipeline, LeadPipelineFields, WinRates } from './pipeline';

/** Domain shapes of coaching as they cross the IPC boundary (camelCase, JSON columns parsed). */

const Millis = z.number().int();
const Nullable = (max: number) => z.string().max(max).nullable();

export const Lead = z.object({
  id: z.string(),
  name: z.string(),
  company: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  notes: z.string().nullable(),
  language: CoachLanguage,
  createdAt: Millis,
  updatedAt: Millis,
}).extend(LeadPipeline.shape);
export type Lead = z.infer<typeof Lead>;

export const LeadFields = z.object({
  name: z.string().trim().min(1, 'A lead needs a name.').max(LEAD_LIMITS.nameChars),
  company: Nullable(LEAD_LIMITS.companyChars).optional(),
  email: Nullable(LEAD_LIMITS.emailChars).optional(),
  phone: Nullable(LEAD_LIMITS.phoneChars).optional(),
  notes: Nullable(LEAD_LIMITS.notesChars).optional(),
  language: CoachLanguage.optional(),
}).extend(LeadPipelineFields.shape);
export type LeadFields = z.infer<typeof LeadFields>;

export const SessionMode = z.enum(['coach', 'roleplay']);
export const Session = z.object({
  id: z.string(),
  leadId: z.string().nullable(),
  mode: SessionMode,
  title: z.string(),
  archetype: Archetype.nullable(),
  language: CoachLanguage,
  scorecard: Scorecard.nullable(),
  endedAt: Millis.nullable(),
  createdAt: Millis,
  updatedAt: Millis,
  messageCount: z.number().int(),
});
export type Session = z.infer<typeof Session>;

export const MessageRole = z.enum(['client', 'salesperson', 'assistant', 'system']);
export type MessageRole = z.infer<typeof MessageRole>;
export const Message = z.object({
  id: z.string(),
  sessionId: z.string(),
  role: MessageRole,
  content: z.string(),
  source: CoachSource.nullable(),
  seq: z.number().int(),
  createdAt: Millis,
});
export type Message = z.infer<typeof Message>;

export const Suggestion = z.object({
  id: z.string(),
  sessionId: z.string(),
  messageId: z.string().nullable(),
  kind: SuggestionKind,
  text: z.string(),
  /** Knowledge entries the suggestion is built from (first = the one a rating is attributed to). */
  knowledgeIds: z.array(z.string()),
  source: CoachSource,
  /** The salesperson's rating of it (1–5), once rated. */
  rating: z.number().int().min(1).max(5).nullable(),
  comment: z.string().nullable(),
  createdAt: Millis,
});
export type Suggestion = z.infer<typeof Suggestion>;

export const KnowledgeEntry = z.object({
  id: z.string(),
  kind: KnowledgeKind,
  key: z.string().nullable(),
  language: CoachLanguage,
  title: z.string(),
  body: z.string(),
  archetype: Archetype.nullable(),
  category: ObjectionCategory.nullable(),
  tags: z.array(z.string()),
  /** Product, competitor and promotion facts (null when the entry has none). */
  facts: KnowledgeFacts.nullable(),
  origin: z.enum(['pack', 'user']),
  createdAt: Millis,
  updatedAt: Millis,
});
export type KnowledgeEntry = z.infer<typeof KnowledgeEntry>;

/** What a knowledge entry's stable key may hold (the renderer checks it before saving). */
export const KNOWLEDGE_KEY_RE = /^[a-z0-9_.:-]+$/;

export const KnowledgeFields = z.object({
  kind: KnowledgeKind,
  key: z.string().trim().min(1).max(KNOWLEDGE_LIMITS.keyChars).regex(KNOWLEDGE_KEY_RE, 'Keys use lowercase letters, digits and . _ : -').nullable().optional(),
  language: CoachLanguage,
  title: z.string().trim().min(1, 'A title is required.').max(KNOWLEDGE_LIMITS.titleChars),
  body: z.string().max(KNOWLEDGE_LIMITS.bodyChars),
  archetype: Archetype.nullable().optional(),
  category: ObjectionCategory.nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(KNOWLEDGE_LIMITS.tagChars)).max(KNOWLEDGE_LIMITS.tags).optional(),
  facts: KnowledgeFacts.nullable().optional(),
});
export type KnowledgeFields = z.infer<typeof KnowledgeFields>;

export const SearchHit = z.object({
  entry: KnowledgeEntry,
  /** Final ranking score (higher is better). */
  score: z.number(),
  /** Lexical (FTS5 bm25) part, normalised to 0–1 within the result set. */
  lexical: z.number(),
  feedback: z.object({ average: z.number(), count: z.number().int() }).nullable(),
  /** Cosine similarity when an embedder re-ranked the results. */
  semantic: z.number().nullable(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const DetectedObjection = z.object({ category: ObjectionCategory, quote: z.string(), score: z.number() });
export type DetectedObjection = z.infer<typeof DetectedObjection>;

/** Something the user should know about their input; `code` lets the UI translate it. */
export const Notice = z.object({
  code: z.enum(['truncated', 'control_removed', 'other_language', 'language_mismatch', 'model_unavailable', 'model_failed']),
  message: z.string(),
});
export type Notice = z.infer<typeof Notice>;

/** What the instant (no-model) path returns for one client message. */
export const InstantCoaching = z.object({
  source: z.literal('fallback'),
  language: CoachLanguage,
  /** The language the text looks like ('other' means neither Polish nor English). */
  detectedLanguage: z.enum(['pl', 'en', 'other', 'unknown']),
  archetype: Archetype,
  archetypeConfidence: Confidence,
  objections: z.array(DetectedObjection),
  /** Clauses that read as buying signals (verbatim): shown as signals, never as objections. */
  buyingSignals: z.array(z.string()),
  /** Suggestions in display order; persisted ones carry their ids and can be rated. */
  suggestions: z.array(Suggestion),
  /** About the input (cut, cleaned, other language...) or the model (unavailable, failed). */
  notices: z.array(Notice),
  elapsedMs: z.number(),
});
export type InstantCoaching = z.infer<typeof InstantCoaching>;

/** `cli coach analyze --json`: exactly the shape the coaching issue specifies. */
export const CoachAnalyzeOutput = z
  .object({
    source: CoachSource,
    archetype: Archetype,
    archetype_confidence: Confidence,
    objections: z.array(z.object({ category: ObjectionCategory, quote: z.string() }).strict()),
    /** Clauses that read as buying signals (verbatim), e.g. "When can I pick it up if I order today?". */
    buying_signals: z.array(z.string()),
    suggestions: z.array(
      z.object({ kind: z.enum(['objection_response', 'next_question', 'playbook_step']), text: z.string(), knowledge_ids: z.array(z.string()) }).strict(),
    ),
  })
  .strict();
export type CoachAnalyzeOutput = z.infer<typeof CoachAnalyzeOutput>;

export const ClientProfile = z.object({
  id: z.string(),
  leadId: z.string(),
  sessionId: z.string().nullable(),
  analysis: CustomerAnalysis,
  source: CoachSource,
  /** Phrases of the whole conversation that support the archetype (most recent first). */
  archetypeEvidence: z.array(z.string()),
  /** The lead's archetype changes, oldest first ("archetype evolution"). */
  archetypeHistory: z.array(z.object({ archetype: Archetype, at: Millis })),
  updatedAt: Millis,
});
export type ClientProfile = z.infer<typeof ClientProfile>;

const Count = z.number().int().min(0);
export const CoachingDashboard = z.object({
  days: z.number().int(),
  sessionsOverTime: z.array(z.object({ day: z.string(), coach: Count, roleplay: Count })),
  archetypeDistribution: z.array(z.object({ archetype: Archetype, sessions: Count })),
  objectionFrequency: z.array(z.object({ category: ObjectionCategory, messages: Count })),
  ratingsOverTime: z.array(z.object({ day: z.string(), average: z.number(), count: Count })),
  responseRatings: z.array(z.object({ knowledgeId: z.string(), title: z.string(), category: ObjectionCategory.nullable(), average: z.number(), count: Count })),
  /** Responses ranked by a rating average shrunk towards the neutral 3 (few ratings count less). */
  mostEffective: z.array(z.object({ knowledgeId: z.string(), title: z.string(), category: ObjectionCategory.nullable(), average: z.number(), count: Count, score: z.number() })),
  totals: z.object({ sessions: Count, messages: Count, suggestions: Count, ratings: Count, averageRating: z.number().nullable() }),
  /** Win rate of decided outcomes by objection category, response and archetype (issue 16), next to the ratings. */
  winRates: WinRates,
});
export type CoachingDashboard = z.infer<typeof CoachingDashboard>;
