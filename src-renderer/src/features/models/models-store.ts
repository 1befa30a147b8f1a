import { create } from 'zustand';
import type { RequestOutput } from '@shared/contract';
import type { DownloadInput, DownloadProgress, DownloadResult, ModelEntry, PartialDownload } from '@shared/contract/models';
import type { LlmStatus } from '@shared/contract/llm';
import { call, newRequestId, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { useNavStore } from '@renderer/stores/nav-store';

export type Inspection = RequestOutput<'models:inspect'>;
export type RecommendedList = RequestOutput<'models:recommended'>;

/** A download this window started (or resumed), with the latest progress event for its request id. */
export interface ActiveDownload {
  requestId: string;
  url: string;
  fileName: string | null;
  progress: DownloadProgress | null;
  pausing: boolean;
  cancelling: boolean;
}

interface ModelsState {
  models: ModelEntry[] | null;
  partials: PartialDownload[];
  listError: UiError | null;
  listing: boolean;
  status: LlmStatus | null;
  /** Downloads running from this window, by request id. */
  active: Record<string, ActiveDownload>;
  /** A settings tab someone asked to open (the status badge asks for `models`); the page clears it. */
  settingsTabRequest: string | null;
  recommended: RecommendedList | null;
  recommendedError: UiError | null;

  loadList(): Promise<void>;
  loadRecommended(): Promise<void>;
  /** A catalog model through the same resumable, verified downloader (URL and sha256 from the catalog). */
  downloadRecommended(id: string, fileName: string): Promise<DownloadResult>;
  loadStatus(): Promise<void>;
  inspect(path: string, contextSize: number): Promise<Inspection>;
  /** Throws the ApiError: the details panel shows it next to the button. */
  load(path: string, contextSize: number, gpuLayers: number | 'auto'): Promise<RequestOutput<'models:load'>>;
  unload(): Promise<void>;
  remove(path: string): Promise<void>;
  add(path: string, mode: 'copy' | 'link'): Promise<ModelEntry>;
  /** Resolves when the download completes, pauses or is cancelled; throws on failure. */
  download(input: Omit<DownloadInput, 'requestId'>): Promise<DownloadResult>;
  /** Deletes an unfinished download's partial file. */
  discard(fileName: string): Promise<void>;
  pause(requestId: string): Promise<void>;
  cancel(requestId: string): Promise<void>;
  openModelsSettings(): void;
  requestSettingsTab(tab: string): void;
  clearSettingsTabRequest(): void;
}

export const useModelsStore = create<ModelsState>((set, get) => ({
  models: null,
  partials: [],
  listError: null,
  listing: false,
  status: null,
  active: {},
  settingsTabRequest: null,
  recommended: null,
  recommendedError: null,

  async loadRecommended() {
    try {
      set({ recommended: await call('models:recommended', {}), recommendedError: null });
    } catch (error) {
      set({ recommendedError: toUiError(error) });
    }
  },

  async downloadRecommended(id, fileName) {
    const requestId = newRequestId();
    const entry: ActiveDownload = { requestId, url: id, fileName, progress: null, pausing: false, cancelling: false };
    set((s) => ({ active: { ...s.active, [requestId]: entry } }));
    try {
      return await call('models:downloadRecommended', { requestId, id });
    } finally {
      set((s) => {
        const rest = { ...s.active };
        delete rest[requestId];
        return { active: rest };
      });
      void get().loadList();
      void get().loadRecommended();
    }
  },

  async loadList() {
    set({ listing: true });
    try {
      const { models, downloads } = await call('models:list', {});
      set({ models, partials: downloads, listError: null });
    } catch (error) {
      set({ listError: toUiError(error) });
    } finally {
      set({ listing: false });
    }
  },

  async loadStatus() {
    try {
      set({ status: await call('llm:status', {}) });
    } catch {
      // The badge keeps its last state; the next llm:status event updates it.
    }
  },

  inspect: (path, contextSize) => call('models:inspect', { path, contextSize }),

  async load(path, contextSize, gpuLayers) {
    try {
      return await call('models:load', { path, contextSize, gpuLayers });
    } finally {
      void get().loadList();
      void get().loadStatus();
    }
  },

  async unload() {
    try {
      await call('models:unload', {});
    } finally {
      void get().loadList();
      void get().loadStatus();
    }
  },

  async remove(path) {
    await call('models:delete', { path });
    await get().loadList();
  },

  async add(path, mode) {
    const entry = await call('models:add', { path, mode });
    await get().loadList();
    return entry;
  },

  async download(input) {
    const requestId = newRequestId();
    // Registered before the call: the first progress event may arrive before the call resolves.
    const entry: ActiveDownload = { requestId, url: input.url, fileName: input.fileName ?? null, progress: null, pausing: false, cancelling: false };
    set((s) => ({ active: { ...s.active, [requestId]: entry } }));
    try {
      return await call('models:download', { ...input, requestId });
    } finally {
      set((s) => {
        const rest = { ...s.active };
        delete rest[requestId];
        return { active: rest };
      });
      void get().loadList();
    }
  },

  async discard(fileName) {
    try {
      await call('models:discardDownload', { fileName });
    } finally {
      await get().loadList();
    }
  },

  async pause(requestId) {
    patchActive(requestId, { pausing: true });
    try {
      await call('models:downloadPause', { requestId });
    } finally {
      patchActive(requestId, { pausing: false });
    }
  },

  async cancel(requestId) {
    patchActive(requestId, { cancelling: true });
    try {
      await call('ops:cancel', { requestId });
    } finally {
      patchActive(requestId, { cancelling: false });
    }
  },

  openModelsSettings() {
    get().requestSettingsTab('models');
  },

  requestSettingsTab(tab) {
    set({ settingsTabRequest: tab });
    useNavStore.getState().go('settings');
  },

  clearSettingsTabRequest: () => set({ settingsTabRequest: null }),
}));

function patchActive(requestId: string, patch: Partial<ActiveDownload>): void {
  useModelsStore.setState((s) => {
    const current = s.active[requestId];
    return current ? { active: { ...s.active, [requestId]: { ...current, ...patch } } } : {};
  });
}

on('llm:status', (status) => {
  const previous = useModelsStore.getState().status;
  useModelsStore.setState({ status });
  // The loaded flag and broken reasons in the list follow the model process.
  const changed = previous?.model?.path !== status.model?.path || previous?.broken.length !== status.broken.length;
  if (changed && useModelsStore.getState().models) void useModelsStore.getState().loadList();
});

on('models:downloadProgress', (progress) => {
  const current = useModelsStore.getState().active[progress.requestId];
  if (!current) return;
  patchActive(progress.requestId, { progress, fileName: progress.fileName });
});
