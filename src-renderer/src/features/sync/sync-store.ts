import { create } from 'zustand';
import type { RequestInput, RequestOutput } from '@shared/contract';
import type { RecordSyncState, SyncConfig, SyncConfigPatch, SyncRunSummary, SyncStatus, TestConnectionResult } from '@shared/contract/sync';
import { call, newRequestId, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { useNavStore } from '@renderer/stores/nav-store';

export interface RecordState {
  state: RecordSyncState;
  reason: string | null;
}

/** A "Sync now" this window started, with the latest `ops:progress` for its request id. */
export interface ManualRun {
  requestId: string;
  phase: string;
  done: number;
  total: number | null;
}

export type Rejections = RequestOutput<'sync:rejections'>;
export type TestInput = RequestInput<'sync:testConnection'>;

interface SyncState {
  status: SyncStatus | null;
  statusError: UiError | null;
  config: SyncConfig | null;
  configError: UiError | null;
  rejections: Rejections | null;
  rejectionsError: UiError | null;
  manual: ManualRun | null;
  manualResult: SyncRunSummary | null;
  manualError: UiError | null;
  /** Per-record states of the records on screen: table → id → state. */
  records: Record<string, Record<string, RecordState>>;
  /** A settings tab someone asked to open (the status badge asks for `sync`); the page clears it. */
  settingsTabRequest: string | null;

  loadStatus(): Promise<void>;
  loadConfig(): Promise<void>;
  /** Throws the ApiError: the form shows it next to the fields. */
  saveConfig(patch: SyncConfigPatch): Promise<SyncConfig>;
  testConnection(input: TestInput): Promise<TestConnectionResult>;
  syncNow(): Promise<SyncRunSummary | null>;
  loadRejections(): Promise<void>;
  clearManualOutcome(): void;
  /** Starts following one record's state; returns the function that stops it. */
  watchRecord(table: string, id: string): () => void;
  openSyncSettings(): void;
  clearSettingsTabRequest(): void;
}

const REJECTIONS_LIMIT = 100;

export const useSyncStore = create<SyncState>((set, get) => ({
  status: null,
  statusError: null,
  config: null,
  configError: null,
  rejections: null,
  rejectionsError: null,
  manual: null,
  manualResult: null,
  manualError: null,
  records: {},
  settingsTabRequest: null,

  async loadStatus() {
    try {
      applyStatus(await call('sync:status', {}));
    } catch (error) {
      set({ statusError: toUiError(error) });
    }
  },

  async loadConfig() {
    try {
      set({ config: await call('sync:getConfig', {}), configError: null });
    } catch (error) {
      set({ configError: toUiError(error) });
    }
  },

  async saveConfig(patch) {
    const config = await call('sync:configure', patch);
    set({ config, configError: null });
    return config;
  },

  testConnection: (input) => call('sync:testConnection', input),

  async syncNow() {
    if (get().manual) return null;
    const requestId = newRequestId();
    // Registered before the call: the first progress event may arrive before the call resolves.
    set({ manual: { requestId, phase: 'start', done: 0, total: null }, manualResult: null, manualError: null });
    try {
      const result = await call('sync:now', { requestId });
      set({ manualResult: result });
      return result;
    } catch (error) {
      set({ manualError: toUiError(error) });
      return null;
    } finally {
      set({ manual: null });
      void get().loadStatus();
    }
  },

  async loadRejections() {
    try {
      set({ rejections: await call('sync:rejections', { limit: REJECTIONS_LIMIT }), rejectionsError: null });
    } catch (error) {
      set({ rejectionsError: toUiError(error) });
    }
  },

  clearManualOutcome: () => set({ manualResult: null, manualError: null }),

  watchRecord(table, id) {
    const ids = watched.get(table) ?? new Map<string, number>();
    watched.set(table, ids);
    ids.set(id, (ids.get(id) ?? 0) + 1);
    enqueue(table, [id]);
    return () => {
      const count = (ids.get(id) ?? 1) - 1;
      if (count > 0) return void ids.set(id, count);
      ids.delete(id);
      // Off screen: forget it, so a long list scrolled through does not keep every state forever.
      set((s) => {
        const states = s.records[table];
        if (!states || !(id in states)) return {};
        const rest = { ...states };
        delete rest[id];
        return { records: { ...s.records, [table]: rest } };
      });
    };
  },

  openSyncSettings() {
    set({ settingsTabRequest: 'sync' });
    useNavStore.getState().go('settings');
  },

  clearSettingsTabRequest: () => set({ settingsTabRequest: null }),
}));

// ---- Per-record states: many badges, few requests --------------------------------------------------

/** The contract's bound on ids per `sync:recordStates` request. */
const MAX_IDS = 1000;
/** Badges that mount in the same render (a list) share one request. */
const FLUSH_MS = 25;

const watched = new Map<string, Map<string, number>>();
const queued = new Map<string, Set<string>>();
/** Newest request number per `table\0id`: an older answer arriving late never overwrites a newer one. */
const latestAsk = new Map<string, number>();
let askCounter = 0;
let flushTimer: ReturnType<typeof setTimeout> | null = null;

const recordKey = (table: string, id: string) => `${table}\u0000${id}`;

function enqueue(table: string, ids: Iterable<string>): void {
  const set = queued.get(table) ?? new Set<string>();
  queued.set(table, set);
  for (const id of ids) set.add(id);
  flushTimer ??= setTimeout(() => void flush(), FLUSH_MS);
}

async function flush(): Promise<void> {
  flushTimer = null;
  const batches = [...queued.entries()];
  queued.clear();
  const requests: Promise<void>[] = [];
  for (const [table, idSet] of batches) {
    const ids = [...idSet].filter((id) => watched.get(table)?.has(id));
    for (let i = 0; i < ids.length; i += MAX_IDS) requests.push(ask(table, ids.slice(i, i + MAX_IDS)));
  }
  await Promise.all(requests);
}

async function ask(table: string, ids: string[]): Promise<void> {
  askCounter += 1;
  const ask = askCounter;
  for (const id of ids) latestAsk.set(recordKey(table, id), ask);
  try {
    const { states } = await call('sync:recordStates', { table, ids });
    const fresh = Object.entries(states).filter(([id]) => latestAsk.get(recordKey(table, id)) === ask && watched.get(table)?.has(id));
    if (fresh.length === 0) return;
    useSyncStore.setState((s) => ({ records: { ...s.records, [table]: { ...s.records[table], ...Object.fromEntries(fresh) } } }));
  } catch {
    // The badges keep their last state; the next status event asks again.
  }
}

function refreshWatched(): void {
  for (const [table, ids] of watched) if (ids.size > 0) enqueue(table, ids.keys());
}

// ---- Live status -----------------------------------------------------------------------------------

/** What can change a record's state or the rejections list; progress ticks alone change neither. */
let lastSignature = '';

function applyStatus(status: SyncStatus): void {
  const previous = useSyncStore.getState().status;
  useSyncStore.setState({ status, statusError: null });
  const signature = [status.running, status.pendingCount, status.rejectedCount, status.lastSuccessAt].join('|');
  if (signature !== lastSignature) {
    lastSignature = signature;
    refreshWatched();
  }
  const rejectionsShown = useSyncStore.getState().rejections !== null;
  if (rejectionsShown && previous && previous.rejectedCount !== status.rejectedCount) void useSyncStore.getState().loadRejections();
}

on('sync:status', applyStatus);

on('ops:progress', (progress) => {
  const manual = useSyncStore.getState().manual;
  if (manual?.requestId !== progress.requestId) return;
  useSyncStore.setState({ manual: { ...manual, phase: progress.phase, done: progress.done, total: progress.total } });
});
