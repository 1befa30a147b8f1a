import i18next from 'i18next';
import { create } from 'zustand';
import type { RequestOutput } from '@shared/contract';
import type { Archetype, CoachLanguage } from '@shared/coaching/keys';
import type { KnowledgeEntry, Message, Notice, Session } from '@shared/coaching/types';
import { ROLEPLAY_LIMITS } from '@shared/contract/limits';
import { call, newRequestId, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

export type DrillResult = RequestOutput<'roleplay:drillAnswer'>;

interface DrillState {
  objection: KnowledgeEntry | null;
  recommendedCount: number;
  answer: string;
  result: DrillResult | null;
  seen: string[];
  loading: boolean;
  error: UiError | null;
}

/** A customer line in flight: the streamed text so far, under its request id. */
interface Pending {
  requestId: string;
  text: string;
  stopping: boolean;
}

interface PracticeState {
  archetype: Archetype;
  /** Null: the app's language. */
  language: CoachLanguage | null;
  starting: boolean;
  error: UiError | null;
  /** Set when roleplay said it cannot run (no model): the notice and the objections to drill. */
  notice: Notice | null;
  objections: KnowledgeEntry[];
  session: Session | null;
  messages: Message[];
  pending: Pending | null;
  draft: string;
  ending: boolean;
  /** The scorecard being generated: its request (for ops:cancel) and how much has arrived (progress). */
  scoring: { requestId: string; chars: number; stopping: boolean } | null;
  stopScoring(): Promise<void>;
  /** The objection drill is shown (no model, or chosen directly). */
  drillOpen: boolean;
  drill: DrillState;

  configure(patch: { archetype?: Archetype; language?: CoachLanguage }): void;
  start(): Promise<void>;
  reply(): Promise<void>;
  stop(): Promise<void>;
  end(): Promise<void>;
  reset(): void;
  openDrill(): Promise<void>;
  setDraft(text: string): void;
  nextDrill(): Promise<void>;
  setDrillAnswer(answer: string): void;
  answerDrill(): Promise<void>;
}

export const appLanguage = (): CoachLanguage => (i18next.language === 'pl' ? 'pl' : 'en');

const EMPTY_DRILL: DrillState = { objection: null, recommendedCount: 0, answer: '', result: null, seen: [], loading: false, error: null };

export const usePracticeStore = create<PracticeState>((set, get) => ({
  archetype: 'skeptic',
  language: null,
  starting: false,
  error: null,
  notice: null,
  objections: [],
  session: null,
  messages: [],
  pending: null,
  draft: '',
  ending: false,
  scoring: null,
  drillOpen: false,
  drill: EMPTY_DRILL,

  configure(patch) {
    set(patch);
  },

  async start() {
    const { archetype } = get();
    const language = get().language ?? appLanguage();
    const requestId = newRequestId();
    set({ starting: true, error: null, notice: null, session: null, messages: [], pending: { requestId, text: '', stopping: false }, drill: EMPTY_DRILL, drillOpen: false });
    try {
      const result = await call('roleplay:start', { requestId, archetype, language });
      set({ notice: result.notice, objections: result.objections, session: result.session, messages: result.opening ? [result.opening] : [] });
      if (!result.available) await get().openDrill();
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ starting: false, pending: null });
    }
  },

  async reply() {
    const { session, draft, pending } = get();
    if (!session || pending || !draft.trim()) return;
    const requestId = newRequestId();
    set({ pending: { requestId, text: '', stopping: false }, error: null });
    try {
      const result = await call('roleplay:reply', { requestId, sessionId: session.id, text: draft });
      set((s) => ({ draft: '', messages: [...s.messages, result.message, ...(result.reply ? [result.reply] : [])] }));
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ pending: null });
    }
  },

  async stop() {
    const pending = get().pending;
    if (!pending) return;
    set({ pending: { ...pending, stopping: true } });
    try {
      await call('ops:cancel', { requestId: pending.requestId });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  async end() {
    const session = get().session;
    if (!session) return;
    const requestId = newRequestId();
    set({ ending: true, error: null, scoring: { requestId, chars: 0, stopping: false } });
    try {
      set({ session: await call('roleplay:end', { requestId, sessionId: session.id }) });
    } catch (error) {
      // Stopped on purpose: the practice simply goes on, nothing to report.
      if (!get().scoring?.stopping) set({ error: toUiError(error) });
    } finally {
      set({ ending: false, scoring: null });
    }
  },

  async stopScoring() {
    const scoring = get().scoring;
    if (!scoring) return;
    set({ scoring: { ...scoring, stopping: true } });
    try {
      await call('ops:cancel', { requestId: scoring.requestId });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },

  reset() {
    set({ notice: null, objections: [], session: null, messages: [], pending: null, draft: '', error: null, drill: EMPTY_DRILL, drillOpen: false });
  },

  async openDrill() {
    set({ drillOpen: true });
    if (!get().drill.objection) await get().nextDrill();
  },

  setDraft: (draft) => set({ draft }),

  async nextDrill() {
    const { archetype, drill } = get();
    const language = get().language ?? appLanguage();
    set({ drill: { ...drill, loading: true, error: null } });
    try {
      const next = await call('roleplay:drillNext', { language, archetype, excludeIds: drill.seen.slice(-ROLEPLAY_LIMITS.drillExcludedIds) });
      set((s) => ({
        drill: { ...s.drill, objection: next.objection, recommendedCount: next.recommendedCount, result: null, answer: '', seen: [...s.drill.seen, next.objection.id], loading: false },
      }));
    } catch (error) {
      set((s) => ({ drill: { ...s.drill, loading: false, error: toUiError(error) } }));
    }
  },

  setDrillAnswer: (answer) => set((s) => ({ drill: { ...s.drill, answer } })),

  async answerDrill() {
    const { drill } = get();
    if (!drill.objection) return;
    set({ drill: { ...drill, loading: true, error: null } });
    try {
      const result = await call('roleplay:drillAnswer', { objectionId: drill.objection.id, answer: drill.answer });
      set((s) => ({ drill: { ...s.drill, result, loading: false } }));
    } catch (error) {
      set((s) => ({ drill: { ...s.drill, loading: false, error: toUiError(error) } }));
    }
  },
}));

on('coaching:delta', ({ requestId, text }) => {
  const pending = usePracticeStore.getState().pending;
  if (pending?.requestId === requestId) usePracticeStore.setState({ pending: { ...pending, text: pending.text + text } });
  const scoring = usePracticeStore.getState().scoring;
  if (scoring?.requestId === requestId) usePracticeStore.setState({ scoring: { ...scoring, chars: scoring.chars + text.length } });
});
