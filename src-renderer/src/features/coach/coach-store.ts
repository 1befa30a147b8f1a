import { create } from 'zustand';
import type { RequestOutput } from '@shared/contract';
import type { ClientProfile, InstantCoaching, KnowledgeEntry, Lead, LeadFields, Message, Session, Suggestion } from '@shared/coaching/types';
import { KNOWLEDGE_LIMITS } from '@shared/contract/limits';
import { call, newRequestId, on } from '@renderer/api/client';
import { loadDrafts, loadLastOpen, persistDrafts, persistLastOpen, type Draft } from './persistence';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

export type { Draft, Speaker } from './persistence';
export type CoachTab = 'coach' | 'knowledge' | 'practice' | 'insights';

/** A model reply in flight, keyed by the caller-chosen request id. */
export interface ReplyStream {
  requestId: string;
  sessionId: string;
  /** The client message it answers (unknown for a moment while `coaching:send` is still resolving). */
  forMessageId: string | null;
  text: string;
  stopping: boolean;
}

/** What a reply ended with when it left no message: stopped before any text, or failed. */
export interface ReplyOutcome {
  stopped: boolean;
  error: string | null;
}

export interface Citation {
  title: string;
  kind: KnowledgeEntry['kind'];
  category: KnowledgeEntry['category'];
}

type CoachStatus = RequestOutput<'coaching:status'>;

interface CoachState {
  tab: CoachTab;
  status: CoachStatus | null;
  leads: Lead[];
  leadQuery: string;
  leadsLoading: boolean;
  leadsError: UiError | null;
  leadId: string | null;
  sessions: Session[];
  sessionsLoading: boolean;
  sessionsError: UiError | null;
  sessionId: string | null;
  session: Session | null;
  messages: Message[];
  suggestions: Suggestion[];
  profile: ClientProfile | null;
  profileError: string | null;
  chatLoading: boolean;
  chatError: UiError | null;
  /** Instant coaching of the client messages sent in this run, by message id. */
  instant: Record<string, InstantCoaching>;
  replies: Record<string, ReplyStream>;
  outcomes: Record<string, ReplyOutcome>;
  drafts: Record<string, Draft>;
  sending: boolean;
  sendError: UiError | null;
  citations: Record<string, Citation>;

  setTab(tab: CoachTab): void;
  /** Opens the lead and session that were open before a reload (once; later calls do nothing). */
  restore(): Promise<void>;
  refreshStatus(): Promise<void>;
  loadCitations(): Promise<void>;
  loadLeads(query?: string): Promise<void>;
  saveLead(id: string | null, fields: LeadFields): Promise<Lead>;
  deleteLead(id: string): Promise<void>;
  selectLead(id: string | null): Promise<void>;
  startSession(): Promise<void>;
  selectSession(id: string | null): Promise<void>;
  setDraft(sessionId: string, draft: Partial<Draft>): void;
  send(): Promise<boolean>;
  stop(requestId: string): Promise<void>;
  regenerate(): Promise<void>;
  editAndResend(messageId: string, text: string): Promise<boolean>;
  rate(suggestionId: string, rating: number, comment?: string | null): Promise<void>;
  clearSendError(): void;
}

const bySeq = (a: Message, b: Message) => a.seq - b.seq;
const without = <T>(record: Record<string, T>, key: string): Record<string, T> => {
  const next = { ...record };
  delete next[key];
  return next;
};

let restored = false;

export const useCoachStore = create<CoachState>((set, get) => {
  /** Leaves only what still belongs to the open session (a late answer to a session left behind is dropped). */
  const isOpen = (sessionId: string) => get().sessionId === sessionId;

  const applySend = (result: RequestOutput<'coaching:send'>, requestId: string) => {
    set((s) => {
      if (!isOpen(result.message.sessionId)) return {};
      const messages = [...s.messages.filter((m) => m.id !== result.message.id), result.message].sort(bySeq);
      const fresh = result.instant?.suggestions ?? [];
      const suggestions = [...s.suggestions.filter((x) => !fresh.some((f) => f.id === x.id)), ...fresh];
      const stream = s.replies[requestId];
      const replies = result.model === 'unavailable' || !stream ? without(s.replies, requestId) : { ...s.replies, [requestId]: { ...stream, forMessageId: result.message.id } };
      const modelReady = result.message.role === 'client' ? result.model === 'streaming' : (s.status?.modelReady ?? false);
      return {
        messages,
        suggestions,
        replies,
        instant: result.instant ? { ...s.instant, [result.message.id]: result.instant } : s.instant,
        status: s.status ? { ...s.status, modelReady } : s.status,
        sessions: s.sessions.map((x) => (x.id === result.message.sessionId ? { ...x, messageCount: messages.length, updatedAt: Date.now() } : x)),
      };
    });
  };

  return {
    tab: 'coach',
    status: null,
    leads: [],
    leadQuery: '',
    leadsLoading: false,
    leadsError: null,
    leadId: null,
    sessions: [],
    sessionsLoading: false,
    sessionsError: null,
    sessionId: null,
    session: null,
    messages: [],
    suggestions: [],
    profile: null,
    profileError: null,
    chatLoading: false,
    chatError: null,
    instant: {},
    replies: {},
    outcomes: {},
    drafts: loadDrafts(),
    sending: false,
    sendError: null,
    citations: {},

    setTab: (tab) => set({ tab }),

    async restore() {
      if (restored) return;
      restored = true;
      const last = loadLastOpen();
      if (!last.leadId || get().leadId) return;
      await get().selectLead(last.leadId);
      if (last.sessionId && get().sessions.some((x) => x.id === last.sessionId)) await get().selectSession(last.sessionId);
    },

    async refreshStatus() {
      try {
        set({ status: await call('coaching:status', {}) });
      } catch {
        // The status badge simply stays as it was; the next call reports the problem.
      }
    },

    async loadCitations() {
      try {
        const { entries } = await call('knowledge:list', { limit: KNOWLEDGE_LIMITS.listRows });
        set({ citations: Object.fromEntries(entries.map((e) => [e.id, { title: e.title, kind: e.kind, category: e.category }])) });
      } catch {
        // Citations then show as short ids; nothing else depends on them.
      }
    },

    async loadLeads(query) {
      const leadQuery = query ?? get().leadQuery;
      set({ leadQuery, leadsLoading: true });
      try {
        const { leads } = await call('leads:list', { query: leadQuery.trim() || undefined, limit: 200 });
        if (get().leadQuery === leadQuery) set({ leads, leadsError: null });
      } catch (error) {
        set({ leadsError: toUiError(error) });
      } finally {
        set({ leadsLoading: false });
      }
    },

    async saveLead(id, fields) {
      const lead = id ? await call('leads:update', { id, patch: fields }) : await call('leads:create', fields);
      set((s) => ({ leads: [lead, ...s.leads.filter((l) => l.id !== lead.id)] }));
      if (!id) await get().selectLead(lead.id);
      return lead;
    },

    async deleteLead(id) {
      await call('leads:delete', { id });
      set((s) => ({ leads: s.leads.filter((l) => l.id !== id) }));
      if (get().leadId === id) await get().selectLead(null);
    },

    async selectLead(id) {
      set({ leadId: id, sessions: [], sessionsError: null });
      if (!id) return get().selectSession(null);
      set({ sessionsLoading: true });
      try {
        const { sessions } = await call('coaching:sessions', { leadId: id, mode: 'coach', limit: 200 });
        if (get().leadId !== id) return;
        set({ sessions });
        const keep = sessions.some((x) => x.id === get().sessionId);
        if (!keep) await get().selectSession(sessions[0]?.id ?? null);
      } catch (error) {
        set({ sessionsError: toUiError(error) });
      } finally {
        set({ sessionsLoading: false });
      }
    },

    async startSession() {
      const leadId = get().leadId;
      const lead = get().leads.find((l) => l.id === leadId);
      try {
        const session = await call('coaching:startSession', { leadId: leadId ?? undefined, language: lead?.language });
        set((s) => ({ sessions: [session, ...s.sessions], sessionsError: null }));
        if (!leadId && session.leadId) {
          await get().loadLeads();
          set({ leadId: session.leadId, sessions: [session] });
        }
        await get().selectSession(session.id);
      } catch (error) {
        set({ sessionsError: toUiError(error) });
      }
    },

    async selectSession(id) {
      set({ sessionId: id, session: null, messages: [], suggestions: [], profile: null, profileError: null, chatError: null, sendError: null, outcomes: {} });
      if (!id) return;
      set({ chatLoading: true });
      try {
        const data = await call('coaching:messages', { sessionId: id });
        if (!isOpen(id)) return;
        set({ session: data.session, messages: [...data.messages].sort(bySeq), suggestions: data.suggestions, profile: data.profile });
      } catch (error) {
        if (isOpen(id)) set({ chatError: toUiError(error) });
      } finally {
        if (isOpen(id)) set({ chatLoading: false });
      }
    },

    setDraft(sessionId, draft) {
      set((s) => {
        const current = s.drafts[sessionId] ?? { text: '', role: 'client' };
        return { drafts: { ...s.drafts, [sessionId]: { ...current, ...draft } } };
      });
    },

    async send() {
      const { sessionId, drafts, sending } = get();
      if (!sessionId || sending) return false;
      const draft = drafts[sessionId];
      if (!draft) return false;
      const requestId = newRequestId();
      // Registered before the call: the first delta may arrive before the call resolves.
      set((s) => ({ sending: true, sendError: null, replies: draft.role === 'client' ? { ...s.replies, [requestId]: { requestId, sessionId, forMessageId: null, text: '', stopping: false } } : s.replies }));
      try {
        const result = await call('coaching:send', { requestId, sessionId, text: draft.text, role: draft.role });
        applySend(result, requestId);
        // The draft is cleared only once the message is safely stored.
        set((s) => ({ drafts: { ...s.drafts, [sessionId]: { text: '', role: draft.role } } }));
        return true;
      } catch (error) {
        set((s) => ({ sendError: toUiError(error), replies: without(s.replies, requestId) }));
        return false;
      } finally {
        set({ sending: false });
      }
    },

    async stop(requestId) {
      const stream = get().replies[requestId];
      if (!stream) return;
      set((s) => ({ replies: { ...s.replies, [requestId]: { ...stream, stopping: true } } }));
      try {
        const { cancelled } = await call('ops:cancel', { requestId });
        // Nothing to stop: the reply finished meanwhile and its coaching:done is on the way (or lost).
        if (!cancelled) set((s) => ({ replies: without(s.replies, requestId) }));
      } catch (error) {
        set({ sendError: toUiError(error) });
      }
    },

    async regenerate() {
      const { sessionId, messages } = get();
      if (!sessionId) return;
      const client = [...messages].reverse().find((m) => m.role === 'client');
      if (!client) return;
      const replaced = new Set(messages.filter((m) => m.seq > client.seq && m.role === 'assistant').map((m) => m.id));
      const requestId = newRequestId();
      set((s) => ({ sendError: null, replies: { ...s.replies, [requestId]: { requestId, sessionId, forMessageId: client.id, text: '', stopping: false } } }));
      try {
        await call('coaching:regenerate', { requestId, sessionId });
        set((s) => ({
          messages: s.messages.filter((m) => !replaced.has(m.id)),
          suggestions: s.suggestions.filter((x) => !x.messageId || !replaced.has(x.messageId)),
          outcomes: without(s.outcomes, client.id),
        }));
      } catch (error) {
        set((s) => ({ sendError: toUiError(error), replies: without(s.replies, requestId) }));
      }
    },

    async editAndResend(messageId, text) {
      const { sessionId, messages } = get();
      const original = messages.find((m) => m.id === messageId);
      if (!sessionId || !original || (original.role !== 'client' && original.role !== 'salesperson')) return false;
      const replaced = new Set(messages.filter((m) => m.seq >= original.seq).map((m) => m.id));
      const requestId = newRequestId();
      set((s) => ({
        sending: true,
        sendError: null,
        replies: original.role === 'client' ? { ...s.replies, [requestId]: { requestId, sessionId, forMessageId: null, text: '', stopping: false } } : s.replies,
      }));
      try {
        const result = await call('coaching:editAndResend', { requestId, sessionId, messageId, text });
        set((s) => ({
          messages: s.messages.filter((m) => !replaced.has(m.id)),
          suggestions: s.suggestions.filter((x) => !x.messageId || !replaced.has(x.messageId)),
          instant: Object.fromEntries(Object.entries(s.instant).filter(([id]) => !replaced.has(id))),
          outcomes: Object.fromEntries(Object.entries(s.outcomes).filter(([id]) => !replaced.has(id))),
        }));
        applySend(result, requestId);
        return true;
      } catch (error) {
        set((s) => ({ sendError: toUiError(error), replies: without(s.replies, requestId) }));
        return false;
      } finally {
        set({ sending: false });
      }
    },

    /** Throws on failure: the card that was rated says so where the person is looking. */
    async rate(suggestionId, rating, comment) {
      const updated = await call('coaching:rate', { suggestionId, rating, comment: comment ?? null });
      set((s) => ({ suggestions: s.suggestions.map((x) => (x.id === updated.id ? updated : x)) }));
    },

    clearSendError: () => set({ sendError: null }),
  };
});

on('coaching:delta', ({ requestId, text }) => {
  const stream = useCoachStore.getState().replies[requestId];
  if (stream) useCoachStore.setState((s) => ({ replies: { ...s.replies, [requestId]: { ...stream, text: stream.text + text } } }));
});

on('coaching:done', (done) => {
  const state = useCoachStore.getState();
  const stream = state.replies[done.requestId];
  if (!stream) return;
  useCoachStore.setState((s) => {
    const open = s.sessionId === done.sessionId;
    const messages = open && done.message ? [...s.messages.filter((m) => m.id !== done.message?.id), done.message].sort(bySeq) : s.messages;
    const suggestions = open && done.suggestion ? [...s.suggestions.filter((x) => x.id !== done.suggestion?.id), done.suggestion] : s.suggestions;
    const target = stream.forMessageId;
    const outcomes = target && !done.message && (done.cancelled || done.error) ? { ...s.outcomes, [target]: { stopped: done.cancelled, error: done.error } } : s.outcomes;
    return { replies: without(s.replies, done.requestId), messages, suggestions, outcomes };
  });
});

on('coaching:analysis', (event) => {
  const { sessionId, leadId } = useCoachStore.getState();
  if (event.sessionId !== sessionId && event.leadId !== leadId) return;
  if (event.profile) useCoachStore.setState({ profile: event.profile, profileError: null });
  else if (event.error) useCoachStore.setState({ profileError: event.error });
});

on('knowledge:changed', () => void useCoachStore.getState().loadCitations());

persistDrafts(useCoachStore);
persistLastOpen(useCoachStore);
