import { create } from 'zustand';
import type { StoreHealth } from '@shared/contract/system';
import { call } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

interface HealthState {
  health: StoreHealth | null;
  error: UiError | null;
  busy: 'backup' | 'check' | null;
  lastBackupFile: string | null;
  refresh(): Promise<void>;
  backupNow(): Promise<void>;
  checkNow(): Promise<void>;
}

export const useHealthStore = create<HealthState>((set, get) => ({
  health: null,
  error: null,
  busy: null,
  lastBackupFile: null,
  async refresh() {
    try {
      set({ health: await call('system:health', {}), error: null });
    } catch (error) {
      set({ error: toUiError(error) });
    }
  },
  async backupNow() {
    set({ busy: 'backup', error: null });
    try {
      const done = await call('system:backupNow', {});
      set({ lastBackupFile: done.file });
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ busy: null });
      await get().refresh();
    }
  },
  async checkNow() {
    set({ busy: 'check', error: null });
    try {
      await call('system:checkIntegrity', {});
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ busy: null });
      await get().refresh();
    }
  },
}));
