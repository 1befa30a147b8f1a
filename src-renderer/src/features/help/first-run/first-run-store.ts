import { create } from 'zustand';
import type { Settings } from '@shared/contract/settings';
import type { SampleState } from '@shared/contract/sample';
import { call, newRequestId, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

interface FirstRunState {
  /** The guide is showing (at the first start of an empty store, or reopened from Settings). */
  open: boolean;
  /** The guide opened itself once this run already (so a settings reload does not reopen it). */
  offered: boolean;
  sample: SampleState | null;
  sampleBusy: boolean;
  sampleError: UiError | null;
  show(): void;
  hide(): void;
  offerOnce(): void;
  loadSampleStatus(): Promise<void>;
  loadSample(language: Settings['language']): Promise<boolean>;
  removeSample(): Promise<number | null>;
}

export const useFirstRunStore = create<FirstRunState>((set, get) => ({
  open: false,
  offered: false,
  sample: null,
  sampleBusy: false,
  sampleError: null,
  show: () => set({ open: true, offered: true, sampleError: null }),
  hide: () => set({ open: false }),
  offerOnce() {
    if (!get().offered) set({ open: true, offered: true });
  },
  async loadSampleStatus() {
    try {
      set({ sample: await call('sample:status', {}) });
    } catch (error) {
      set({ sampleError: toUiError(error) });
    }
  },
  async loadSample(language) {
    set({ sampleBusy: true, sampleError: null });
    try {
      set({ sample: await call('sample:load', { requestId: newRequestId(), language }) });
      return true;
    } catch (error) {
      set({ sampleError: toUiError(error) });
      await get().loadSampleStatus();
      return false;
    } finally {
      set({ sampleBusy: false });
    }
  },
  async removeSample() {
    set({ sampleBusy: true, sampleError: null });
    try {
      const { removed } = await call('sample:remove', {});
      return removed;
    } catch (error) {
      set({ sampleError: toUiError(error) });
      return null;
    } finally {
      set({ sampleBusy: false });
      await get().loadSampleStatus();
    }
  },
}));

on('sample:changed', (sample) => useFirstRunStore.setState({ sample }));
