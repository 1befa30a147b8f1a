import { create } from 'zustand';
import type { CoachingDashboard } from '@shared/coaching/types';
import { call } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

interface DashboardState {
  days: number;
  data: CoachingDashboard | null;
  loading: boolean;
  error: UiError | null;
  load(days?: number): Promise<void>;
}

/** Coaching KPIs; days split at the viewer's local midnight. */
export const useCoachingDashboardStore = create<DashboardState>((set, get) => ({
  days: 30,
  data: null,
  loading: false,
  error: null,
  async load(days) {
    const wanted = days ?? get().days;
    set({ days: wanted, loading: true });
    try {
      const data = await call('coaching:dashboard', { days: wanted, tzOffsetMinutes: -new Date().getTimezoneOffset() });
      if (get().days === wanted) set({ data, error: null });
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ loading: false });
    }
  },
}));
