import { AppError } from '@shared/contract/errors';
import { knowledgeRequests } from '@shared/contract/knowledge';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Db } from '../db/open';
import { exportKnowledgeJson, exportKnowledgeXlsx, importKnowledge } from './import-export';
import { createKnowledge, deleteKnowledge, listKnowledge, updateKnowledge } from './knowledge-repo';
import { searchKnowledge } from './retrieval';
import { ensurePackSeeded } from './seed';

export interface KnowledgeContext {
  db: Db;
  events: EventBus;
}

export interface KnowledgeFeature {
  handlers: HandlersOf<typeof knowledgeRequests>;
}

function decodeBase64(data: string): Uint8Array {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(data)) throw new AppError('IMPORT_ERROR', 'The spreadsheet data is not base64.');
  return new Uint8Array(Buffer.from(data, 'base64'));
}

/** The knowledge base: objections, responses, scripts and archetypes the coach retrieves from. */
export function createKnowledgeFeature(ctx: KnowledgeContext): KnowledgeFeature {
  const { db } = ctx;
  // The default pack is seeded on the first knowledge call, not at start-up (idempotent by key + language).
  const seeded = <T>(fn: () => T): T => {
    ensurePackSeeded(db);
    return fn();
  };
  const changed = (reason: 'created' | 'updated' | 'deleted' | 'imported') => ctx.events.emit('knowledge:changed', { reason });
  const handlers: HandlersOf<typeof knowledgeRequests> = {
    'knowledge:list': (input) => seeded(() => listKnowledge(db, input)),
    'knowledge:create': (input) =>
      seeded(() => {
        const entry = createKnowledge(db, input);
        changed('created');
        return entry;
      }),
    'knowledge:update': ({ id, patch }) => {
      const entry = updateKnowledge(db, id, patch);
      changed('updated');
      return entry;
    },
    'knowledge:delete': ({ id }) => {
      deleteKnowledge(db, id);
      changed('deleted');
      return { ok: true as const };
    },
    'knowledge:import': ({ format, data }) =>
      seeded(async () => {
        const report = await importKnowledge(db, format, format === 'xlsx' ? decodeBase64(data) : data);
        if (report.created + report.updated > 0) changed('imported');
        return report;
      }),
    'knowledge:export': ({ format, language, kind }) =>
      seeded(() => {
        const filter = { ...(language ? { language } : {}), ...(kind ? { kind } : {}) };
        const entries = listKnowledge(db, { ...filter, limit: 1 }).total;
        const stamp = new Date().toISOString().slice(0, 10);
        const fileName = `fieldmate-knowledge${language ? `-${language}` : ''}-${stamp}.${format}`;
        const data = format === 'json' ? exportKnowledgeJson(db, filter) : Buffer.from(exportKnowledgeXlsx(db, filter)).toString('base64');
        return { format, fileName, data, entries };
      }),
    'knowledge:search': ({ query, language, kinds, category, limit }) =>
      seeded(() => {
        const started = performance.now();
        const hits = searchKnowledge(db, query, { ...(language ? { language } : {}), ...(kinds ? { kinds } : {}), ...(category ? { category } : {}), limit: limit ?? 20 });
        return { hits, elapsedMs: Math.round((performance.now() - started) * 100) / 100 };
      }),
  };
  return { handlers };
}

// The knowledge public API the coaching and roleplay features and the CLI build on.
export { exportKnowledgeJson, exportKnowledgeXlsx, importKnowledge, type ImportReport } from './import-export';
export { createKnowledge, getKnowledge, getKnowledgeRow, listKnowledge, toKnowledgeEntry } from './knowledge-repo';
export { FEEDBACK_PRIOR_COUNT, rankedByFeedback, searchKnowledge } from './retrieval';
export { ensurePackSeeded } from './seed';
