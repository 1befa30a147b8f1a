import { AppError } from '@shared/contract/errors';
import { OBJECTION_CATEGORIES, type Archetype, type CoachLanguage, type ObjectionCategory } from '@shared/coaching/keys';
import { parseScorecard, Scorecard } from '@shared/coaching/scorecard';
import type { KnowledgeEntry, Message, Notice, Session } from '@shared/coaching/types';
import {
  addMessage,
  createSession,
  estimateTokens,
  getSession,
  listMessages,
  loadCueSet,
  prepareInput,
  roleplayOpening,
  roleplaySystemPrompt,
  scorecardPrompt,
  summariseTurns,
  trimTurns,
  updateSession,
  type CoachChatTurn,
  type CoachDeps,
  type CoachLlm,
} from '../coaching';
import { rankedByFeedback } from '../knowledge';

const REPLY_TOKENS = 200;
/** A scorecard is a few scores and short lists: this bounds its generation on a slow CPU. */
export const SCORECARD_TOKENS = 700;
const OBJECTIONS_PER_ROLEPLAY = 3;

export interface RoleplayStart {
  available: boolean;
  session: Session | null;
  opening: Message | null;
  objections: KnowledgeEntry[];
  notice: Notice | null;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The archetype's typical objections first, then others, one pack objection per category. */
export function pickObjections(deps: CoachDeps, language: CoachLanguage, archetype: Archetype, categories: readonly ObjectionCategory[] | undefined, random = Math.random): KnowledgeEntry[] {
  const affinity = [...(loadCueSet(deps.db, language).archetypes.get(archetype)?.affinity ?? [])];
  const order = categories && categories.length > 0 ? [...categories] : [...shuffle(affinity, random), ...shuffle(OBJECTION_CATEGORIES.filter((c) => !affinity.includes(c)), random)];
  const picked: KnowledgeEntry[] = [];
  for (const category of order) {
    const options = rankedByFeedback(deps.db, { language, kind: 'objection', category }, 10);
    const choice = options[Math.floor(random() * options.length)];
    if (choice) picked.push(choice.entry);
    if (picked.length >= OBJECTIONS_PER_ROLEPLAY) break;
  }
  return picked;
}

function roleplayTurns(history: readonly Message[]): { system: string; turns: CoachChatTurn[] } {
  const system = history.find((m) => m.role === 'system')?.content ?? '';
  const turns: CoachChatTurn[] = [];
  for (const m of history) {
    if (m.role === 'system' || m.role === 'assistant') continue;
    // The model plays the client, so the client's lines are the model's own turns.
    const role = m.role === 'client' ? 'assistant' : 'user';
    const last = turns.at(-1);
    if (last && last.role === role) last.text = `${last.text}\n${m.content}`;
    else turns.push({ role, text: m.content });
  }
  return { system, turns };
}

/** One customer turn, under the request's own operation: `ops:cancel {requestId}` (or the caller going away) stops it. */
async function customerSays(deps: CoachDeps, llm: CoachLlm, session: Session, requestId: string, signal: AbortSignal): Promise<{ message: Message | null; cancelled: boolean }> {
  const { system, turns } = roleplayTurns(listMessages(deps.db, session.id));
  const current = turns.pop();
  if (!current || current.role !== 'user') throw new AppError('VALIDATION', 'It is the customer\'s turn already.');
  const budget = Math.max(256, llm.contextTokens()) - REPLY_TOKENS - estimateTokens(system) - estimateTokens(current.text) - 128;
  const trimmed = trimTurns(turns, budget, (dropped) => summariseTurns(session.language, dropped));
  try {
    const result = await llm.chat(
      { requestId, conversationId: session.id, systemPrompt: trimmed.summary ? `${system}\n\n${trimmed.summary}` : system, history: trimmed.turns, message: current.text, maxTokens: REPLY_TOKENS, task: 'roleplay' },
      (text) => deps.events.emit('coaching:delta', { requestId, text }),
      signal,
    );
    const cancelled = result.cancelled || signal.aborted;
    const text = result.text.trim();
    return { message: text ? addMessage(deps.db, session.id, 'client', text, 'model') : null, cancelled };
  } catch (error) {
    if (signal.aborted) return { message: null, cancelled: true };
    deps.log(`[roleplay] ${requestId} failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new AppError('MODEL_ERROR', 'The model could not play the customer this time; try again or use the objection drill.');
  }
}

/** Starts a practice conversation, or says why it cannot (no model) and points to the drill. */
export async function startRoleplay(
  deps: CoachDeps,
  input: { archetype: Archetype; language?: CoachLanguage; leadId?: string; categories?: ObjectionCategory[]; requestId: string },
  signal: AbortSignal,
  random = Math.random,
): Promise<RoleplayStart> {
  const language = input.language ?? deps.defaultLanguage();
  const objections = pickObjections(deps, language, input.archetype, input.categories, random);
  const llm = deps.llm();
  if (!llm) {
    return {
      available: false,
      session: null,
      opening: null,
      objections,
      notice: { code: 'model_unavailable', message: 'Roleplay needs a loaded model. Meanwhile, practise these objections with the objection drill.' },
    };
  }
  const archetypeEntry = rankedByFeedback(deps.db, { language, kind: 'archetype', archetype: input.archetype }, 1)[0]?.entry ?? null;
  const title = `${language === 'pl' ? 'Ćwiczenie' : 'Roleplay'}: ${archetypeEntry?.title ?? input.archetype}`;
  const session = createSession(deps.db, { leadId: input.leadId ?? null, mode: 'roleplay', title, language, archetype: input.archetype });
  // The scenario is stored as the session's system message: every turn replays the same prompt (cache reuse).
  addMessage(deps.db, session.id, 'system', roleplaySystemPrompt(language, archetypeEntry, input.archetype, objections));
  addMessage(deps.db, session.id, 'salesperson', roleplayOpening(language));
  const { message } = await customerSays(deps, llm, session, input.requestId, signal);
  return { available: true, session: getSession(deps.db, session.id), opening: message, objections, notice: null };
}

export async function replyRoleplay(deps: CoachDeps, input: { sessionId: string; text: string; requestId: string }, signal: AbortSignal): Promise<{ message: Message; reply: Message | null; cancelled: boolean }> {
  const session = getSession(deps.db, input.sessionId);
  if (session.mode !== 'roleplay') throw new AppError('VALIDATION', 'This is not a roleplay session.');
  if (session.endedAt !== null) throw new AppError('CONFLICT', 'This roleplay has ended; start a new one to practise again.');
  const llm = deps.llm();
  if (!llm) throw new AppError('UNAVAILABLE', 'No model is loaded, so the customer cannot answer; the objection drill works without one.');
  const prepared = prepareInput(input.text, session.language, session.language);
  const message = addMessage(deps.db, session.id, 'salesperson', prepared.text);
  const { message: reply, cancelled } = await customerSays(deps, llm, session, input.requestId, signal);
  return { message, reply, cancelled };
}

/** Ends the practice with a schema-validated scorecard stored on the session. */
export async function endRoleplay(deps: CoachDeps, input: { sessionId: string; requestId: string }, signal: AbortSignal): Promise<Session> {
  const session = getSession(deps.db, input.sessionId);
  if (session.mode !== 'roleplay') throw new AppError('VALIDATION', 'This is not a roleplay session.');
  const llm = deps.llm();
  if (!llm) throw new AppError('UNAVAILABLE', 'Scoring a roleplay needs a loaded model.');
  const lines = listMessages(deps.db, session.id)
    .filter((m) => m.role === 'client' || m.role === 'salesperson')
    .map((m) => `${m.role === 'client' ? (session.language === 'pl' ? 'Klient' : 'Customer') : session.language === 'pl' ? 'Handlowiec' : 'Salesperson'}: ${m.content.slice(0, 1500)}`);
  if (lines.length < 2) throw new AppError('VALIDATION', 'Say something to the customer before asking for a score.');
  const { systemPrompt, prompt } = scorecardPrompt(session.language, lines.slice(-40).join('\n'));
  // Streamed as progress (coaching:delta under the request's id); ops:cancel {requestId} stops it.
  const onDelta = (text: string) => deps.events.emit('coaching:delta', { requestId: input.requestId, text });
  const scorecard = parseScorecard(await llm.json({ requestId: input.requestId, prompt, systemPrompt, schema: Scorecard, task: 'roleplay', maxTokens: SCORECARD_TOKENS, onDelta }, signal));
  return updateSession(deps.db, session.id, { scorecard, endedAt: Date.now() });
}
