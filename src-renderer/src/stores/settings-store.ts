import { create } from 'zustand';
import type { Settings } from '@shared/contract/settings';
import { call, on } from '../api/client';

interface SettingsState {
  settings: Settings | null;
  error: string | null;
  load(): Promise<void>;
  update(patch: Partial<Settings>): Promise<void>;
}

export const useSettingsStore = create<SettingsState>((set) => ({
  settings: null,
  error: null,
  async load() {
    try {
      set({ settings: await call('settings:get', {}), error: null });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  async update(patch) {
    try {
      set({ settings: await call('settings:update', patch), error: null });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  },
}));

// Another window or the CLI may change settings: follow the main process's word.
on('settings:changed', (settings) => useSettingsStore.setState({ settings }));
