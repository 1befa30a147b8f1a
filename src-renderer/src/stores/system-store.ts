import { create } from 'zustand';
import type { SystemInfo, SystemStatus } from '@shared/contract/system';
import { call, on } from '../api/client';

interface SystemState {
  status: SystemStatus | null;
  info: SystemInfo | null;
  error: string | null;
  refresh(): Promise<void>;
}

export const useSystemStore = create<SystemState>((set) => ({
  status: null,
  info: null,
  error: null,
  async refresh() {
    try {
      const [status, info] = await Promise.all([call('system:status', {}), call('system:info', {})]);
      set({ status, info, error: null });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
}));

on('system:status', (status) => useSystemStore.setState({ status }));

/** The browser knows about connectivity changes first; ask main for the full status then. */
window.addEventListener('online', () => void useSystemStore.getState().refresh());
window.addEventListener('offline', () => void useSystemStore.getState().refresh());
