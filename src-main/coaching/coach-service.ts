import { AppError } from '@shared/contract/errors';
import { CustomerAnalysis, parseCustomerAnalysis } from '@shared/coaching/analysis';
import type { CoachLanguage } from '@shared/coaching/keys';
import { detectLanguage } from '@shared/coaching/normalize';
import type { InstantCoaching, KnowledgeEntry, Message, Notice, Session, Suggestion } from '@shared/coaching/types';
import type { EventBus } from '../core/event-bus';
import type { OperationOutcome } from '../core/operations';
import type { Db } from '../db/open';
import { getKnowledgeRow, toKnowledgeEntry } from '../knowledge';
import { createLead, getLead } from '../leads';
import { addEvidence, decideArchetype, messageEvidence, modelEvidence, recordArchetype, sessionEvidence } from './archetype-evidence';
import { estimateTokens, toTurns, trimTurns, CHARS_PER_TOKEN } from './context-trim';
import { fallbackCoach } from './fallback-coach';
import { prepareInput } from './input';
import type { CoachLlm } from './llm-port';
import { saveProfile } from './profiles-repo';
import { analysisPrompt, citedIds, coachSystemPrompt, coachTurnMessage, speakerLabel, summariseTurns } from './prompts';
import { addMessage, createSession, getMessage, getSession, listMessages, removeMessage, removeMessagesFrom } from './sessions-repo';
import { templateQuestion } from './templates';
import { addSuggestions, listSuggestions, playbookStepsShown } from './suggestions-repo';

export interface CoachDeps {
  db: Db;
  events: EventBus;
  log: (line: string) => void;
  /** The model if one is loaded and ready, else null. */
  llm: () => CoachLlm | null;
  /** The app's language, used when a message's language cannot be told. */
  defaultLanguage: () => CoachLanguage;
}

/** Tokens kept free for the reply. */
const REPLY_TOKENS = 400;
const MAX_CITED_ENTRIES = 6;
const PROFILE_MESSAGES = 10;

/**
 * The request's operation (core Operations): a model reply streams after the request answered, under the
 * request's own id and signal, so `ops:cancel {requestId}` stops it and callers can wait for it to end.
 */
export interface ReplyOperation {
  signal: AbortSignal;
  continueWith(work: Promise<OperationOutcome>): void;
}

/** For callers without a request (tests of the instant answer): the reply runs untracked. */
const untracked: ReplyOperation = { signal: new AbortController().signal, continueWith: () => undefined };

export function startCoachSession(deps: CoachDeps, input: { leadId?: string; title?: string; language?: CoachLanguage }, now = Date.now()): Session {
  const language = input.language ?? (input.leadId ? getLead(deps.db, input.leadId).language : deps.defaultLanguage());
  // A coaching session belongs to a client; a quick session gets a placeholder lead the user can rename.
  const leadId = input.leadId ?? createLead(deps.db, { name: language === 'pl' ? 'Nowy klient' : 'New client', language }, now).id;
  const lead = getLead(deps.db, leadId);
  const title = input.title?.trim() || `${lead.name} — ${new Date(now).toISOString().slice(0, 10)}`;
  return createSession(deps.db, { leadId, mode: 'coach', title, language }, now);
}

export interface SendResult {
  requestId: string;
  message: Message;
  instant: InstantCoaching | null;
  /** 'streaming': a model reply follows as coaching:delta / coaching:done events. */
  model: 'streaming' | 'unavailable';
}

function recentClientText(db: Db, sessionId: string): string {
  return listMessages(db, sessionId)
    .filter((m) => m.role === 'client')
    .slice(-PROFILE_MESSAGES)
    .map((m) => m.content)
    .join('\n');
}

/**
 * One message typed into a coaching session. For a client message the instant (fallback) suggestions
 * are computed, stored and returned at once; the client profile is refreshed from the knowledge base;
 * and when a model is ready its elaboration streams afterwards.
 */
export function sendMessage(
  deps: CoachDeps,
  input: { sessionId: string; text: string; role?: 'client' | 'salesperson'; requestId: string; language?: CoachLanguage },
  op: ReplyOperation = untracked,
): SendResult {
  const { db } = deps;
  const session = getSession(db, input.sessionId);
  if (session.mode !== 'coach') throw new AppError('VALIDATION', 'This is a roleplay session; use the roleplay controls to answer the customer.');
  // The words are read in their own language when it is clearly Polish or English; the answers are always
  // in the session's language (one language per session).
  const prepared = prepareInput(input.text, input.language, session.language);
  const answerLanguage = session.language;
  const role = input.role ?? 'client';
  const message = addMessage(db, session.id, role, prepared.text);
  if (role !== 'client') return { requestId: input.requestId, message, instant: null, model: 'unavailable' };

  const result = fallbackCoach(db, prepared.text, prepared.language, {
    previousArchetype: session.archetype,
    stepsShown: (playbookId) => playbookStepsShown(db, session.id, playbookId),
    answerLanguage,
  });
  const stored = addSuggestions(db, session.id, message.id, result.suggestions, 'fallback');
  // The archetype is the whole conversation's: this message's evidence joins the session's running total.
  const found = messageEvidence(db, result.classification, prepared.language);
  const evidence = addEvidence(sessionEvidence(db, session.id), found.scores, found.phrases);
  const decision = decideArchetype(evidence, session.archetype);
  recordArchetype(db, session, evidence, decision);
  // The profile reads the recent client messages together (cumulative), the suggestions only this one.
  const recent = recentClientText(db, session.id);
  const profileSource = recent === prepared.text ? result : fallbackCoach(db, recent, prepared.language, { previousArchetype: decision.archetype, answerLanguage });
  if (session.leadId) {
    const analysis = { ...profileSource.analysis, archetype: decision.archetype, archetype_confidence: decision.confidence };
    const profile = saveProfile(db, session.leadId, session.id, analysis, 'fallback');
    deps.events.emit('coaching:analysis', { sessionId: session.id, leadId: session.leadId, profile, error: null });
  }
  const llm = deps.llm();
  const notices: Notice[] = [...prepared.notices];
  if (!llm) notices.push({ code: 'model_unavailable', message: 'No model is loaded: these answers come from the fallback coach (knowledge base only).' });
  const instant: InstantCoaching = {
    source: 'fallback',
    language: answerLanguage,
    detectedLanguage: prepared.detectedLanguage,
    archetype: decision.archetype,
    archetypeConfidence: decision.confidence,
    objections: result.classification.objections,
    buyingSignals: result.classification.buyingSignals,
    suggestions: stored,
    notices,
    elapsedMs: Math.round(result.elapsedMs * 100) / 100,
  };
  if (llm) op.continueWith(modelReply(deps, llm, session, message, citedKnowledge(db, stored), input.requestId, op.signal));
  return { requestId: input.requestId, message, instant, model: llm ? 'streaming' : 'unavailable' };
}

function citedKnowledge(db: Db, suggestions: readonly Suggestion[]): KnowledgeEntry[] {
  const ids = [...new Set(suggestions.flatMap((s) => s.knowledgeIds))].slice(0, MAX_CITED_ENTRIES);
  return ids.flatMap((id) => {
    const row = getKnowledgeRow(db, id);
    return row && row.deletedAt === null ? [toKnowledgeEntry(row)] : [];
  });
}

async function modelReply(
  deps: CoachDeps,
  llm: CoachLlm,
  session: Session,
  current: Message,
  knowledge: KnowledgeEntry[],
  requestId: string,
  signal: AbortSignal,
): Promise<OperationOutcome> {
  const { db, events } = deps;
  let outcome: OperationOutcome;
  try {
    const language = session.language;
    const earlier = listMessages(db, session.id).filter((m) => m.seq < current.seq);
    const context = Math.max(256, llm.contextTokens());
    let turnMessage = coachTurnMessage(language, current, knowledge);
    const maxTurnChars = Math.max(400, (context - REPLY_TOKENS - estimateTokens(coachSystemPrompt(language, null)) - 256) * CHARS_PER_TOKEN);
    if (turnMessage.length > maxTurnChars) turnMessage = turnMessage.slice(0, maxTurnChars);
    const budget = context - REPLY_TOKENS - estimateTokens(coachSystemPrompt(language, null)) - estimateTokens(turnMessage) - 128;
    const trimmed = trimTurns(toTurns(earlier, (m) => speakerLabel(language, m)), budget, (dropped) => summariseTurns(language, dropped));
    const result = await llm.chat(
      { requestId, conversationId: session.id, systemPrompt: coachSystemPrompt(language, trimmed.summary), history: trimmed.turns, message: turnMessage, maxTokens: REPLY_TOKENS },
      (text) => events.emit('coaching:delta', { requestId, text }),
      signal,
    );
    const cancelled = result.cancelled || signal.aborted;
    const text = result.text.trim();
    let message: Message | null = null;
    let suggestion: Suggestion | null = null;
    if (text) {
      message = addMessage(db, session.id, 'assistant', text, 'model');
      [suggestion = null] = addSuggestions(db, session.id, message.id, [{ kind: 'elaboration', text, knowledgeIds: citedIds(text, knowledge) }], 'model');
    }
    outcome = cancelled ? 'cancelled' : 'ok';
    deps.log(`[coach] reply ${requestId}: ${result.promptTokens} prompt tokens, ${trimmed.dropped} turns trimmed${cancelled ? ', stopped' : ''}`);
    events.emit('coaching:done', { requestId, sessionId: session.id, message, suggestion, cancelled, error: null });
    if (!cancelled) await modelAnalysis(deps, llm, session, requestId, signal);
  } catch (error) {
    outcome = signal.aborted ? 'cancelled' : 'error';
    const reason = error instanceof Error ? error.message : String(error);
    deps.log(`[coach] reply ${requestId} failed: ${reason}`);
    events.emit('coaching:done', {
      requestId,
      sessionId: session.id,
      message: null,
      suggestion: null,
      cancelled: signal.aborted,
      error: signal.aborted ? null : 'The model could not answer; the fallback suggestions above still apply.',
    });
  }
  return outcome;
}

/** Schema-constrained customer analysis; an invalid result is reported and never stored. */
async function modelAnalysis(deps: CoachDeps, llm: CoachLlm, session: Session, requestId: string, signal: AbortSignal): Promise<void> {
  const { db } = deps;
  const transcript = listMessages(db, session.id)
    .filter((m) => m.role === 'client' || m.role === 'salesperson')
    .slice(-12)
    .map((m) => speakerLabel(session.language, m).slice(0, 1500))
    .join('\n');
  const { systemPrompt, prompt } = analysisPrompt(session.language, transcript);
  try {
    const analysis = parseCustomerAnalysis(await llm.json({ requestId: `${requestId}:analysis`, prompt, systemPrompt, schema: CustomerAnalysis }, signal));
    if (!session.leadId) return;
    // The model's reading is one more piece of evidence, not the last word on the archetype.
    const current = getSession(db, session.id);
    const evidence = addEvidence(sessionEvidence(db, session.id), modelEvidence(analysis.archetype, analysis.archetype_confidence), []);
    const decision = decideArchetype(evidence, current.archetype);
    recordArchetype(db, current, { ...evidence, messages: evidence.messages - 1 }, decision);
    const question = inLanguage(analysis.next_best_question, session.language) ? analysis.next_best_question : templateQuestion(session.language);
    const profile = saveProfile(db, session.leadId, session.id, { ...analysis, archetype: decision.archetype, archetype_confidence: decision.confidence, next_best_question: question }, 'model');
    deps.events.emit('coaching:analysis', { sessionId: session.id, leadId: session.leadId, profile, error: null });
  } catch (error) {
    if (signal.aborted) return;
    const reason = error instanceof Error ? error.message : String(error);
    deps.log(`[coach] analysis ${requestId} rejected: ${reason}`);
    deps.events.emit('coaching:analysis', { sessionId: session.id, leadId: session.leadId, profile: null, error: reason.slice(0, 300) });
  }
}

/** A model's text is kept unless it is empty or reads clearly as the other language. */
function inLanguage(text: string, language: CoachLanguage): boolean {
  const detected = detectLanguage(text);
  return text.trim().length > 0 && (detected === language || (detected !== 'pl' && detected !== 'en'));
}

function requireModel(deps: CoachDeps): CoachLlm {
  const llm = deps.llm();
  if (!llm) throw new AppError('UNAVAILABLE', 'No model is loaded, so there is no model answer to regenerate; the fallback suggestions are already shown.');
  return llm;
}

/** Replaces the last model answer with a new one for the same client message. */
export function regenerate(deps: CoachDeps, input: { sessionId: string; requestId: string }, op: ReplyOperation = untracked): { requestId: string; clientMessage: Message } {
  const llm = requireModel(deps);
  const session = getSession(deps.db, input.sessionId);
  const all = listMessages(deps.db, session.id);
  const client = [...all].reverse().find((m) => m.role === 'client');
  if (!client) throw new AppError('VALIDATION', 'There is no client message to answer yet.');
  for (const answer of all.filter((m) => m.seq > client.seq && m.role === 'assistant')) removeMessage(deps.db, answer.id);
  const knowledge = citedKnowledge(
    deps.db,
    listSuggestions(deps.db, session.id).filter((s) => s.messageId === client.id && s.source === 'fallback'),
  );
  op.continueWith(modelReply(deps, llm, session, client, knowledge, input.requestId, op.signal));
  return { requestId: input.requestId, clientMessage: client };
}

/** Replaces a client or salesperson message (and everything after it) with new text, and answers again. */
export function editAndResend(deps: CoachDeps, input: { sessionId: string; messageId: string; text: string; requestId: string }, op: ReplyOperation = untracked): SendResult {
  const message = getMessage(deps.db, input.messageId);
  if (message.sessionId !== input.sessionId) throw new AppError('VALIDATION', 'This message belongs to another session.');
  if (message.role !== 'client' && message.role !== 'salesperson') throw new AppError('VALIDATION', 'Only what the client or the salesperson said can be edited.');
  removeMessagesFrom(deps.db, input.sessionId, message.seq);
  return sendMessage(deps, { sessionId: input.sessionId, text: input.text, role: message.role, requestId: input.requestId }, op);
}
