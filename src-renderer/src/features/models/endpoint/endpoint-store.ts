import { create } from 'zustand';
import type { EndpointPatch, EndpointTestResult, EndpointView, UsageRow } from '@shared/contract/endpoint';
import { call, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

interface EndpointState {
  view: EndpointView | null;
  loadError: UiError | null;
  usage: UsageRow[] | null;
  usageError: UiError | null;
  load(): Promise<void>;
  /** Throws the ApiError: the form shows it next to Save. */
  save(patch: EndpointPatch): Promise<EndpointView>;
  /** Throws the ApiError (no address yet); an unreachable endpoint is a result, not an error. */
  test(): Promise<EndpointTestResult>;
  loadUsage(days: number): Promise<void>;
}

export const useEndpointStore = create<EndpointState>((set) => ({
  view: null,
  loadError: null,
  usage: null,
  usageError: null,
  async load() {
    try {
      set({ view: await call('endpoint:get', {}), loadError: null });
    } catch (error) {
      set({ loadError: toUiError(error) });
    }
  },
  async save(patch) {
    const view = await call('endpoint:update', patch);
    set({ view });
    return view;
  },
  test: () => call('endpoint:test', {}),
  async loadUsage(days) {
    try {
      set({ usage: (await call('endpoint:usage', { days })).rows, usageError: null });
    } catch (error) {
      set({ usageError: toUiError(error) });
    }
  },
}));

// Health changes (the endpoint went down, came back) arrive from the main process.
on('endpoint:changed', (view) => useEndpointStore.setState({ view }));
