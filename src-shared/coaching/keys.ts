import { z } from 'zod';

/**
 * Fixed keys shared by the knowledge pack, the analyses and the dashboard, so that analyses are
 * comparable across devices and languages. Labels live in the knowledge base, never in code.
 */
export const ARCHETYPES = ['analytical', 'driver', 'amiable', 'expressive', 'skeptic', 'bargain_hunter'] as const;
export const Archetype = z.enum(ARCHETYPES);
export type Archetype = z.infer<typeof Archetype>;

export const OBJECTION_CATEGORIES = ['price', 'timing', 'competitor', 'trust', 'need', 'authority', 'financing', 'product_fit'] as const;
export const ObjectionCategory = z.enum(OBJECTION_CATEGORIES);
export type ObjectionCategory = z.infer<typeof ObjectionCategory>;

export const CoachLanguage = z.enum(['pl', 'en']);
export type CoachLanguage = z.infer<typeof CoachLanguage>;

export const KNOWLEDGE_KINDS = ['archetype', 'objection', 'response', 'playbook', 'product', 'competitor', 'promotion'] as const;
export const KnowledgeKind = z.enum(KNOWLEDGE_KINDS);
export type KnowledgeKind = z.infer<typeof KnowledgeKind>;

export const SUGGESTION_KINDS = ['objection_response', 'next_question', 'playbook_step', 'elaboration'] as const;
export const SuggestionKind = z.enum(SUGGESTION_KINDS);
export type SuggestionKind = z.infer<typeof SuggestionKind>;

export const Confidence = z.enum(['low', 'medium', 'high']);
export type Confidence = z.infer<typeof Confidence>;

export const Sentiment = z.enum(['negative', 'neutral', 'positive']);
export type Sentiment = z.infer<typeof Sentiment>;

export const CoachSource = z.enum(['fallback', 'model']);
export type CoachSource = z.infer<typeof CoachSource>;

/**
 * Tag conventions inside knowledge entries (tags are user-editable, so patterns travel with the data):
 * - objection / archetype entries: every plain tag is a cue phrase matched against what the client said;
 * - archetype entries: `@<category>` says the archetype tends to raise that objection (a weak prior);
 * - response entries: `question` marks a discovery question rather than an answer to an objection.
 */
export const TAG_AFFINITY_PREFIX = '@';
export const TAG_QUESTION = 'question';
