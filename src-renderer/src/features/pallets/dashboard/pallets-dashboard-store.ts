import { create } from 'zustand';
import type { PalletDashboard } from '@shared/contract/pallets';
import { call, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

/** `all` = every analysis together; otherwise one analysis id. */
export type DashboardScope = 'all' | string;

interface DashboardState {
  /** The scope the selector shows; null until the user (or the newest analysis) picks one. */
  scope: DashboardScope | null;
  data: PalletDashboard | null;
  dataScope: DashboardScope | null;
  loading: boolean;
  error: UiError | null;
  setScope(scope: DashboardScope): void;
  load(scope: DashboardScope): Promise<void>;
}

let seq = 0;

export const usePalletDashboardStore = create<DashboardState>((set, get) => ({
  scope: null,
  data: null,
  dataScope: null,
  loading: false,
  error: null,
  setScope(scope) {
    set({ scope });
    void get().load(scope);
  },
  async load(scope) {
    const mine = ++seq;
    set({ loading: true, error: null });
    try {
      const data = await call('pallets:dashboard', scope === 'all' ? {} : { analysisId: scope });
      if (mine === seq) set({ data, dataScope: scope });
    } catch (error) {
      if (mine === seq) set({ error: toUiError(error) });
    } finally {
      if (mine === seq) set({ loading: false });
    }
  },
}));

let timer: ReturnType<typeof setTimeout> | null = null;
on('pallets:changed', ({ analysisId, reason }) => {
  const s = usePalletDashboardStore.getState();
  if (reason === 'deleted' && analysisId !== null && s.scope === analysisId) usePalletDashboardStore.setState({ scope: null, data: null, dataScope: null });
  else if (s.dataScope === null) return;
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = null;
    const scope = usePalletDashboardStore.getState().scope;
    if (scope) void usePalletDashboardStore.getState().load(scope);
  }, 200);
});
