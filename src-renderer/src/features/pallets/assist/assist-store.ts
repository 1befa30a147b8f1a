import { create } from 'zustand';
import type { AssistProgress, AssistResult, LineSuggestion } from '@shared/contract/pallets';
import { call, newRequestId, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

interface AssistState {
  analysisId: string | null;
  suggestions: LineSuggestion[];
  pending: number;
  truncated: boolean;
  loading: boolean;
  error: UiError | null;
  /** The run this window started, with its latest progress event. */
  running: { requestId: string; progress: AssistProgress | null; stopping: boolean } | null;
  lastResult: AssistResult | null;
  /** Suggestions being decided (their buttons wait). */
  deciding: string[];

  load(analysisId: string): Promise<void>;
  run(analysisId: string): Promise<void>;
  stop(): Promise<void>;
  /** `ids` absent: every pending suggestion of the analysis. Resolves to how many were accepted. */
  decide(decision: 'accept' | 'reject', ids?: string[]): Promise<number>;
}

/** Model suggestions for one analysis's lines: run (progress, stop via ops:cancel) and decide. */
export const useAssistStore = create<AssistState>((set, get) => ({
  analysisId: null,
  suggestions: [],
  pending: 0,
  truncated: false,
  loading: false,
  error: null,
  running: null,
  lastResult: null,
  deciding: [],

  async load(analysisId) {
    if (get().analysisId !== analysisId) set({ analysisId, suggestions: [], pending: 0, lastResult: null, error: null });
    set({ loading: true });
    try {
      const { suggestions, pending, truncated } = await call('pallets:suggestions', { analysisId });
      if (get().analysisId === analysisId) set({ suggestions, pending, truncated, error: null });
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ loading: false });
    }
  },

  async run(analysisId) {
    const requestId = newRequestId();
    set({ running: { requestId, progress: null, stopping: false }, error: null, lastResult: null });
    try {
      const result = await call('pallets:assist', { requestId, analysisId });
      set({ lastResult: result });
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ running: null });
      await get().load(analysisId);
    }
  },

  async stop() {
    const running = get().running;
    if (!running) return;
    set({ running: { ...running, stopping: true } });
    await call('ops:cancel', { requestId: running.requestId });
  },

  async decide(decision, ids) {
    const analysisId = get().analysisId;
    if (!analysisId) return 0;
    const marked = ids ?? get().suggestions.map((s) => s.id);
    set((s) => ({ deciding: [...s.deciding, ...marked] }));
    try {
      const result = await call('pallets:decideSuggestions', { analysisId, decision, ...(ids ? { ids } : {}) });
      return result.accepted;
    } catch (error) {
      set({ error: toUiError(error) });
      return 0;
    } finally {
      set((s) => ({ deciding: s.deciding.filter((id) => !marked.includes(id)) }));
      await get().load(analysisId);
    }
  },
}));

on('pallets:assistProgress', (progress) => {
  const running = useAssistStore.getState().running;
  if (running?.requestId === progress.requestId) useAssistStore.setState({ running: { ...running, progress } });
});
