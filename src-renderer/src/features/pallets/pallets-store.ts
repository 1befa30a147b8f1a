import { create } from 'zustand';
import type { EventPayload, RequestInput, RequestOutput } from '@shared/contract';
import type { AnalysisSummary, LineFilter, LineRow } from '@shared/contract/pallets';
import { call, newRequestId, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { CHUNK_BYTES } from './files';
import { base64ToBytes, downloadBlob, XLSX_MIME } from '@renderer/lib/files';

export type { LineFilter, LineRow, AnalysisSummary };
export type PalletsTab = 'analyses' | 'rules';
export type AnalysisView = 'lines' | 'pallets' | 'charts' | 'suggestions';
export type AnalysisInfo = RequestOutput<'pallets:analysis'>;
export type LineDetail = RequestOutput<'pallets:line'>;
export type LineSort = NonNullable<RequestInput<'pallets:lines'>['sort']>;
export type SortBy = LineSort['by'];
export type Progress = EventPayload<'pallets:progress'>;

/** Lines per window fetched for the virtualised table. */
export const PAGE_SIZE = 200;
/** Windows kept in memory; the ones farthest from the viewport are dropped first. */
const MAX_PAGES = 120;

interface TableCache {
  /** Identifies analysis + filter + sort + generation: answers for another key are dropped. */
  key: string;
  total: number | null;
  pages: Record<number, LineRow[]>;
  /** Windows from before a re-score, shown until their fresh copy arrives (no flashing placeholders). */
  stale: Record<number, LineRow[]>;
  error: UiError | null;
}

export interface ExportState {
  requestId: string;
  phase: 'writing' | 'downloading';
  done: number;
  total: number | null;
}

interface PalletsState {
  tab: PalletsTab;
  analyses: AnalysisSummary[];
  analysesLoaded: boolean;
  analysesLoading: boolean;
  analysesError: UiError | null;

  openId: string | null;
  view: AnalysisView;
  analysis: AnalysisInfo | null;
  analysisLoading: boolean;
  analysisError: UiError | null;
  filter: LineFilter;
  sort: LineSort;
  table: TableCache;
  selectedIndex: number | null;
  scrollOffset: number;

  detailId: string | null;
  detail: LineDetail | null;
  detailLoading: boolean;
  detailError: UiError | null;

  exporting: ExportState | null;
  exportError: UiError | null;

  setTab(tab: PalletsTab): void;
  setView(view: AnalysisView): void;
  loadAnalyses(quiet?: boolean): Promise<void>;
  openAnalysis(id: string, filter?: LineFilter): Promise<void>;
  closeAnalysis(): void;
  refreshOpen(): Promise<void>;
  setFilter(patch: Partial<LineFilter>): void;
  clearFilter(): void;
  setSort(by: SortBy): void;
  ensureRows(start: number, end: number): void;
  rowAt(index: number): LineRow | undefined;
  select(index: number | null): void;
  setScrollOffset(offset: number): void;
  openDetail(lineId: string): Promise<void>;
  closeDetail(): void;
  rename(id: string, name: string): Promise<void>;
  /** Changes the open analysis's valuation assumptions; the core re-values it at once. */
  setAssumptions(id: string, valuation: NonNullable<RequestInput<'pallets:update'>['patch']['valuation']>): Promise<void>;
  remove(id: string): Promise<void>;
  exportOpen(): Promise<string | null>;
}

const inflight = new Set<string>();
let generation = 0;

const tableKey = (openId: string | null, filter: LineFilter, sort: LineSort) => JSON.stringify([openId, filter, sort, generation]);
const emptyTable = (key: string): TableCache => ({ key, total: null, pages: {}, stale: {}, error: null });

/** Drops empty values so `{category: ''}` and `{}` are the same filter (and the same cache key). */
function cleanFilter(filter: LineFilter): LineFilter {
  const out: LineFilter = {};
  if (filter.status && filter.status.length > 0) out.status = [...filter.status].sort();
  if (filter.category) out.category = filter.category;
  if (filter.palletId) out.palletId = filter.palletId;
  if (filter.ruleId) out.ruleId = filter.ruleId;
  if (filter.search?.trim()) out.search = filter.search.trim();
  return out;
}

function evict(pages: Record<number, LineRow[]>, keep: number): Record<number, LineRow[]> {
  const indexes = Object.keys(pages).map(Number);
  if (indexes.length <= MAX_PAGES) return pages;
  const drop = indexes.sort((a, b) => Math.abs(b - keep) - Math.abs(a - keep)).slice(0, indexes.length - MAX_PAGES);
  const next = { ...pages };
  for (const i of drop) delete next[i];
  return next;
}

/** Progress events of long operations, routed to whoever started the operation. */
const progressWatchers = new Map<string, (progress: Progress) => void>();
export function watchProgress(requestId: string, listener: (progress: Progress) => void): () => void {
  progressWatchers.set(requestId, listener);
  return () => progressWatchers.delete(requestId);
}

export const usePalletsStore = create<PalletsState>((set, get) => {
  const resetTable = (patch: Partial<Pick<PalletsState, 'openId' | 'filter' | 'sort'>>, keepStale: boolean) => {
    const s = { ...get(), ...patch };
    const key = tableKey(s.openId, s.filter, s.sort);
    const old = get().table;
    const table: TableCache = keepStale ? { key, total: old.total, pages: {}, stale: { ...old.stale, ...old.pages }, error: null } : emptyTable(key);
    set({ ...patch, table });
  };

  const fetchPage = async (page: number) => {
    const { openId, filter, sort, table } = get();
    if (!openId) return;
    const key = table.key;
    const flight = `${key}#${page}`;
    if (inflight.has(flight)) return;
    inflight.add(flight);
    try {
      const result = await call('pallets:lines', { analysisId: openId, offset: page * PAGE_SIZE, limit: PAGE_SIZE, filter, sort });
      set((s) => {
        if (s.table.key !== key) return {};
        const stale = { ...s.table.stale };
        delete stale[page];
        return { table: { ...s.table, total: result.total, pages: evict({ ...s.table.pages, [page]: result.lines }, page), stale, error: null } };
      });
    } catch (error) {
      set((s) => (s.table.key === key ? { table: { ...s.table, error: toUiError(error) } } : {}));
    } finally {
      inflight.delete(flight);
    }
  };

  return {
    tab: 'analyses',
    analyses: [],
    analysesLoaded: false,
    analysesLoading: false,
    analysesError: null,
    openId: null,
    view: 'lines',
    analysis: null,
    analysisLoading: false,
    analysisError: null,
    filter: {},
    sort: { by: 'row', dir: 'asc' },
    table: emptyTable(''),
    selectedIndex: null,
    scrollOffset: 0,
    detailId: null,
    detail: null,
    detailLoading: false,
    detailError: null,
    exporting: null,
    exportError: null,

    setTab: (tab) => set({ tab }),
    setView: (view) => set({ view }),

    async loadAnalyses(quiet = false) {
      if (!quiet) set({ analysesLoading: true });
      try {
        const { analyses } = await call('pallets:analyses', {});
        set({ analyses, analysesLoaded: true, analysesError: null });
      } catch (error) {
        set({ analysesError: toUiError(error) });
      } finally {
        set({ analysesLoading: false });
      }
    },

    async openAnalysis(id, filter) {
      const same = get().openId === id;
      set({ tab: 'analyses', selectedIndex: null, detailId: null, detail: null, detailError: null, exportError: null });
      if (!same || filter !== undefined) {
        resetTable({ openId: id, filter: cleanFilter(filter ?? {}), sort: same ? get().sort : { by: 'row', dir: 'asc' } }, false);
        set({ scrollOffset: 0, view: 'lines' });
      }
      if (!same) set({ analysis: null });
      set({ analysisLoading: true, analysisError: null });
      try {
        const analysis = await call('pallets:analysis', { analysisId: id });
        if (get().openId === id) set({ analysis });
      } catch (error) {
        if (get().openId === id) set({ analysisError: toUiError(error) });
      } finally {
        set({ analysisLoading: false });
      }
    },

    closeAnalysis() {
      resetTable({ openId: null, filter: {} }, false);
      set({ analysis: null, analysisError: null, selectedIndex: null, detailId: null, detail: null, scrollOffset: 0, exportError: null });
    },

    async refreshOpen() {
      const id = get().openId;
      if (!id) return;
      generation++;
      resetTable({}, true);
      try {
        const analysis = await call('pallets:analysis', { analysisId: id });
        if (get().openId === id) set({ analysis, analysisError: null });
      } catch (error) {
        if (get().openId === id) set({ analysisError: toUiError(error) });
      }
      const detailId = get().detailId;
      if (detailId) void get().openDetail(detailId);
    },

    setFilter(patch) {
      resetTable({ filter: cleanFilter({ ...get().filter, ...patch }) }, false);
      set({ selectedIndex: null, scrollOffset: 0 });
    },
    clearFilter() {
      resetTable({ filter: {} }, false);
      set({ selectedIndex: null, scrollOffset: 0 });
    },
    setSort(by) {
      const current = get().sort;
      const dir = current.by === by ? (current.dir === 'asc' ? 'desc' : 'asc') : by === 'score' || by === 'retailPrice' || by === 'priceNet' ? 'desc' : 'asc';
      resetTable({ sort: { by, dir } }, false);
      set({ selectedIndex: null, scrollOffset: 0 });
    },

    ensureRows(start, end) {
      const { table, openId } = get();
      if (!openId) return;
      const first = Math.max(0, Math.floor(start / PAGE_SIZE));
      const last = Math.max(first, Math.floor(Math.max(start, end) / PAGE_SIZE));
      for (let page = first; page <= last; page++) {
        if (table.total !== null && page * PAGE_SIZE >= table.total && page > 0) break;
        if (!table.pages[page]) void fetchPage(page);
      }
    },
    rowAt(index) {
      const { pages, stale } = get().table;
      const page = Math.floor(index / PAGE_SIZE);
      return pages[page]?.[index % PAGE_SIZE] ?? stale[page]?.[index % PAGE_SIZE];
    },
    select: (index) => set({ selectedIndex: index }),
    setScrollOffset: (scrollOffset) => set({ scrollOffset }),

    async openDetail(lineId) {
      const keep = get().detailId === lineId;
      set({ detailId: lineId, detailLoading: true, detailError: null, ...(keep ? {} : { detail: null }) });
      try {
        const detail = await call('pallets:line', { lineId });
        if (get().detailId === lineId) set({ detail });
      } catch (error) {
        if (get().detailId === lineId) set({ detailError: toUiError(error) });
      } finally {
        if (get().detailId === lineId) set({ detailLoading: false });
      }
    },
    closeDetail: () => set({ detailId: null, detail: null, detailError: null, detailLoading: false }),

    async rename(id, name) {
      const updated = await call('pallets:update', { analysisId: id, patch: { name } });
      set((s) => ({
        analyses: s.analyses.map((a) => (a.id === id ? updated : a)),
        analysis: s.analysis && s.analysis.analysis.id === id ? { ...s.analysis, analysis: updated } : s.analysis,
      }));
    },

    async setAssumptions(id, valuation) {
      await call('pallets:update', { analysisId: id, patch: { valuation } });
      const analysis = await call('pallets:analysis', { analysisId: id });
      if (get().openId === id) set({ analysis });
    },

    async remove(id) {
      await call('pallets:delete', { analysisId: id });
      set((s) => ({ analyses: s.analyses.filter((a) => a.id !== id) }));
      if (get().openId === id) get().closeAnalysis();
    },

    async exportOpen() {
      const analysisId = get().openId;
      if (!analysisId || get().exporting) return null;
      const requestId = newRequestId();
      set({ exporting: { requestId, phase: 'writing', done: 0, total: null }, exportError: null });
      const stop = watchProgress(requestId, (p) => set((s) => (s.exporting?.requestId === requestId ? { exporting: { ...s.exporting, done: p.done, total: p.total } } : {})));
      try {
        const written = await call('pallets:export', { requestId, analysisId });
        const parts: Uint8Array<ArrayBuffer>[] = [];
        let offset = 0;
        set({ exporting: { requestId, phase: 'downloading', done: 0, total: written.size } });
        for (;;) {
          const chunk = await call('files:downloadChunk', { downloadId: written.downloadId, offset, length: CHUNK_BYTES });
          parts.push(base64ToBytes(chunk.data));
          offset += chunk.bytes;
          set({ exporting: { requestId, phase: 'downloading', done: offset, total: chunk.size } });
          if (chunk.done || chunk.bytes === 0) break;
        }
        downloadBlob(written.fileName, new Blob(parts, { type: XLSX_MIME }));
        return written.fileName;
      } catch (error) {
        set({ exportError: toUiError(error) });
        return null;
      } finally {
        stop();
        set({ exporting: null });
      }
    },
  };
});

/**
 * Opens an analysis on the pallet page with its lines filtered (status / category / pallet / rule):
 * the dashboard links into the table through this. The caller navigates to the pallet page.
 */
export function openAnalysisWithFilter(analysisId: string, filter: LineFilter): void {
  void usePalletsStore.getState().openAnalysis(analysisId, filter);
}

on('pallets:progress', (progress) => progressWatchers.get(progress.requestId)?.(progress));

// Re-scores and rule edits arrive in bursts (one per analysis): coalesce them into one refresh.
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
on('pallets:changed', ({ analysisId, reason }) => {
  const s = usePalletsStore.getState();
  if (s.analysesLoaded) void s.loadAnalyses(true);
  if (!s.openId || (analysisId !== null && analysisId !== s.openId)) return;
  if (reason === 'deleted' && analysisId === s.openId) {
    s.closeAnalysis();
    return;
  }
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void usePalletsStore.getState().refreshOpen();
  }, 120);
});
