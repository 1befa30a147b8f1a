import { AppError } from '../../src-shared/contract/errors';
import type { CoachLanguage } from '../../src-shared/coaching/keys';
import type { Core } from '../core/create-core';
import type { HandlerTable } from '../core/dispatch';
import { getSettings } from '../settings/settings-service';
import { exportKnowledgeJson, exportKnowledgeXlsx, importKnowledge } from '../knowledge/import-export';
import { createKnowledge, deleteKnowledge, listKnowledge, updateKnowledge } from '../knowledge/knowledge-repo';
import { searchKnowledge } from '../knowledge/retrieval';
import { ensurePackSeeded } from '../knowledge/seed';
import { editAndResend, regenerate, sendMessage, startCoachSession, stopReply, type CoachDeps } from './coach-service';
import { coachingDashboard } from './dashboard';
import { answerDrill, nextDrill } from './drill';
import { createLead, deleteLead, listLeads, updateLead } from './leads-repo';
import { readyCoachLlm } from './llm-port';
import { getProfile } from './profiles-repo';
import { endRoleplay, replyRoleplay, startRoleplay } from './roleplay';
import { getSession, listMessages, listSessions } from './sessions-repo';
import { listSuggestions, rateSuggestion } from './suggestions-repo';

type CoachingChannels =
  | 'leads:list' | 'leads:create' | 'leads:update' | 'leads:delete'
  | 'coaching:status' | 'coaching:sessions' | 'coaching:startSession' | 'coaching:messages' | 'coaching:send' | 'coaching:stop' | 'coaching:regenerate' | 'coaching:editAndResend' | 'coaching:analysis' | 'coaching:rate'
  | 'knowledge:list' | 'knowledge:create' | 'knowledge:update' | 'knowledge:delete' | 'knowledge:import' | 'knowledge:export' | 'knowledge:search'
  | 'roleplay:start' | 'roleplay:reply' | 'roleplay:end' | 'roleplay:drillNext' | 'roleplay:drillAnswer' | 'coaching:dashboard';

/** The coaching services' dependencies, taken from the core (the model from `setCoachLlm`). */
export function coachDeps(core: Core): CoachDeps {
  return {
    db: core.db,
    events: core.events,
    operations: core.operations,
    log: core.log,
    llm: () => readyCoachLlm(core),
    defaultLanguage: (): CoachLanguage => getSettings(core.db, core.options.osLocale).language,
  };
}

function decodeBase64(data: string): Uint8Array {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(data)) throw new AppError('IMPORT_ERROR', 'The spreadsheet data is not base64.');
  return new Uint8Array(Buffer.from(data, 'base64'));
}

export function coachingHandlers(core: Core): Pick<HandlerTable, CoachingChannels> {
  const deps = coachDeps(core);
  const db = core.db;
  // The default pack is seeded on the first coaching or knowledge call, not at start-up: a store that
  // never opens coaching pays nothing. Idempotent by key + language.
  const seeded = <T>(fn: () => T): T => {
    ensurePackSeeded(db);
    return fn();
  };
  const changed = (reason: 'created' | 'updated' | 'deleted' | 'imported') => core.events.emit('knowledge:changed', { reason });
  return {
    'leads:list': (input) => ({ leads: listLeads(db, input) }),
    'leads:create': (input) => createLead(db, input),
    'leads:update': ({ id, patch }) => updateLead(db, id, patch),
    'leads:delete': ({ id }) => {
      deleteLead(db, id);
      return { ok: true as const };
    },

    'coaching:status': () => seeded(() => ({ modelReady: deps.llm() !== null, knowledgeEntries: listKnowledge(db, { limit: 1 }).total })),
    'coaching:sessions': (input) => ({ sessions: listSessions(db, input) }),
    'coaching:startSession': (input) => seeded(() => startCoachSession(deps, input)),
    'coaching:messages': ({ sessionId }) => {
      const session = getSession(db, sessionId);
      // A roleplay's scenario (its system message) lists the objections to come: not for the salesperson's eyes.
      const messages = listMessages(db, sessionId).filter((m) => m.role !== 'system');
      return { session, messages, suggestions: listSuggestions(db, sessionId), profile: session.leadId ? getProfile(db, session.leadId) : null };
    },
    'coaching:send': (input) => seeded(() => sendMessage(deps, input)),
    'coaching:stop': ({ requestId }) => ({ stopped: stopReply(deps, requestId) }),
    'coaching:regenerate': (input) => seeded(() => regenerate(deps, input)),
    'coaching:editAndResend': (input) => seeded(() => editAndResend(deps, input)),
    'coaching:analysis': ({ sessionId }) => {
      const session = getSession(db, sessionId);
      return { profile: session.leadId ? getProfile(db, session.leadId) : null, modelReady: deps.llm() !== null };
    },
    'coaching:rate': ({ suggestionId, rating, comment }) => rateSuggestion(db, suggestionId, rating, comment?.trim() || null),

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
      seeded(() => {
        const report = importKnowledge(db, format, format === 'xlsx' ? decodeBase64(data) : data);
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

    'roleplay:start': (input, ctx) => seeded(() => startRoleplay(deps, input, ctx.signal)),
    'roleplay:reply': (input, ctx) => replyRoleplay(deps, input, ctx.signal),
    'roleplay:end': (input, ctx) => endRoleplay(deps, input, ctx.signal),
    'roleplay:drillNext': (input) => seeded(() => nextDrill(db, input)),
    'roleplay:drillAnswer': (input) => seeded(() => answerDrill(db, input)),
    'coaching:dashboard': (input) => coachingDashboard(db, input),
  };
}
