import type { CoachLanguage } from '@shared/coaching/keys';
import { coachingRequests } from '@shared/contract/coaching';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import type { Db } from '../db/open';
import { ensurePackSeeded, listKnowledge } from '../knowledge';
import { editAndResend, regenerate, sendMessage, startCoachSession, type CoachDeps } from './coach-service';
import { coachingDashboard } from './dashboard';
import { readyLlm, type CoachLlm } from './llm-port';
import { getProfile } from './profiles-repo';
import { getSession, listMessages, listSessions } from './sessions-repo';
import { listSuggestions, rateSuggestion } from './suggestions-repo';

/** What the coaching feature needs from the app: the store, events, the log, the language, a model. */
export interface CoachingContext {
  db: Db;
  events: EventBus;
  log: Log;
  /** The app's language setting, used when a message's language cannot be told. */
  language: () => CoachLanguage;
  /** The model runtime adapted to the coach's port (the composition root wires the llm feature in). */
  llm: CoachLlm;
}

export interface CoachingFeature {
  handlers: HandlersOf<typeof coachingRequests>;
  /** The services' dependencies, shared with the roleplay feature (same model, same store). */
  deps: CoachDeps;
  /** Replaces the model the coach uses (a scripted one in tests and demos); null restores the runtime's. */
  useLlm(port: CoachLlm | null): void;
}

/**
 * Coaching sessions: instant (fallback) suggestions from the knowledge base, a streamed model reply when
 * a model is ready, the client profile, suggestion ratings and the coaching dashboard.
 */
export function createCoachingFeature(ctx: CoachingContext): CoachingFeature {
  const { db } = ctx;
  let override: CoachLlm | null = null;
  const deps: CoachDeps = { db, events: ctx.events, log: ctx.log, llm: () => readyLlm(override ?? ctx.llm), defaultLanguage: ctx.language };
  // The default pack is seeded on the first coaching call, not at start-up: a store that never opens
  // coaching pays nothing. Idempotent by key + language.
  const seeded = <T>(fn: () => T): T => {
    ensurePackSeeded(db);
    return fn();
  };
  const handlers: HandlersOf<typeof coachingRequests> = {
    'coaching:status': () => seeded(() => ({ modelReady: deps.llm() !== null, knowledgeEntries: listKnowledge(db, { limit: 1 }).total })),
    'coaching:sessions': (input) => ({ sessions: listSessions(db, input) }),
    'coaching:startSession': (input) => seeded(() => startCoachSession(deps, input)),
    'coaching:messages': ({ sessionId }) => {
      const session = getSession(db, sessionId);
      // A roleplay's scenario (its system message) lists the objections to come: not for the salesperson's eyes.
      const messages = listMessages(db, sessionId).filter((m) => m.role !== 'system');
      return { session, messages, suggestions: listSuggestions(db, sessionId), profile: session.leadId ? getProfile(db, session.leadId) : null };
    },
    'coaching:send': (input, op) => seeded(() => sendMessage(deps, input, op)),
    'coaching:regenerate': (input, op) => seeded(() => regenerate(deps, input, op)),
    'coaching:editAndResend': (input, op) => seeded(() => editAndResend(deps, input, op)),
    'coaching:analysis': ({ sessionId }) => {
      const session = getSession(db, sessionId);
      return { profile: session.leadId ? getProfile(db, session.leadId) : null, modelReady: deps.llm() !== null };
    },
    'coaching:rate': ({ suggestionId, rating, comment }) => rateSuggestion(db, suggestionId, rating, comment?.trim() || null),
    'coaching:dashboard': (input) => coachingDashboard(db, input),
  };
  return {
    handlers,
    deps,
    useLlm: (port) => {
      override = port;
    },
  };
}

// The coaching public API other features (roleplay) and the CLI build on.
export type { CoachDeps, ReplyOperation } from './coach-service';
export type { CoachChatRequest, CoachChatResult, CoachChatTurn, CoachJsonRequest, CoachLlm } from './llm-port';
export { analyzeText } from './analyze';
export { estimateTokens, trimTurns } from './context-trim';
export { loadCueSet } from './cue-set';
export { prepareInput } from './input';
export { roleplayOpening, roleplaySystemPrompt, scorecardPrompt, summariseTurns } from './prompts';
export { addMessage, createSession, getSession, listMessages, updateSession } from './sessions-repo';
// The sample data feature stores the demo lead's profile.
export { saveProfile } from './profiles-repo';
