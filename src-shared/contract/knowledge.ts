import { z } from 'zod';
import { Id, Limit, Ok, Text, event, request } from './define';
import { Archetype, CoachLanguage, KnowledgeKind, ObjectionCategory } from '../coaching/keys';
import { KnowledgeEntry, KnowledgeFields, SearchHit } from '../coaching/types';
import { FILE_LIMITS, KNOWLEDGE_LIMITS, TEXT_LIMITS } from './limits';

/** Knowledge channels: the objection / response / script base the coach retrieves from (Polish-aware search). */

const ImportReport = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});

export const knowledgeRequests = {
  'knowledge:list': request(
    z.object({ kind: KnowledgeKind.optional(), language: CoachLanguage.optional(), category: ObjectionCategory.optional(), archetype: Archetype.optional(), limit: Limit(KNOWLEDGE_LIMITS.listRows), offset: z.number().int().min(0).optional() }).strict(),
    z.object({ entries: z.array(KnowledgeEntry), total: z.number().int() }),
    'Knowledge entries (filtered, paged)',
  ),
  'knowledge:create': request(KnowledgeFields.strict(), KnowledgeEntry, 'Create a knowledge entry'),
  'knowledge:update': request(z.object({ id: Id, patch: KnowledgeFields.partial().strict() }).strict(), KnowledgeEntry, 'Change a knowledge entry'),
  'knowledge:delete': request(z.object({ id: Id }).strict(), Ok, 'Delete a knowledge entry'),
  'knowledge:import': request(
    z.object({ format: z.enum(['json', 'xlsx']), data: Text(KNOWLEDGE_LIMITS.importChars).min(1), fileName: Text(FILE_LIMITS.fileNameChars).optional() }).strict(),
    ImportReport,
    'Import entries: JSON text, or an .xlsx file as base64 (up to ~1.8 MB)',
  ),
  'knowledge:export': request(
    z.object({ format: z.enum(['json', 'xlsx']), language: CoachLanguage.optional(), kind: KnowledgeKind.optional() }).strict(),
    z.object({ format: z.enum(['json', 'xlsx']), fileName: z.string(), data: z.string(), entries: z.number().int() }),
    'Export entries: JSON text, or an .xlsx file as base64',
  ),
  'knowledge:search': request(
    z.object({ query: Text(TEXT_LIMITS.searchChars), language: CoachLanguage.optional(), kinds: z.array(KnowledgeKind).max(7).optional(), category: ObjectionCategory.optional(), limit: Limit(100) }).strict(),
    z.object({ hits: z.array(SearchHit), elapsedMs: z.number() }),
    'Full-text search (Polish-aware), ranked with ratings',
  ),
} as const;

export const knowledgeEvents = {
  'knowledge:changed': event(z.object({ reason: z.enum(['created', 'updated', 'deleted', 'imported', 'seeded']) }), 'The knowledge base changed'),
} as const;
