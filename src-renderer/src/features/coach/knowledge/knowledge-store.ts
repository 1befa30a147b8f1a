import { create } from 'zustand';
import type { RequestOutput } from '@shared/contract';
import type { Archetype, CoachLanguage, KnowledgeKind, ObjectionCategory } from '@shared/coaching/keys';
import type { KnowledgeEntry, KnowledgeFields, SearchHit } from '@shared/coaching/types';
import { call, on } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';

export interface KnowledgeFilters {
  kind: KnowledgeKind | null;
  language: CoachLanguage | null;
  category: ObjectionCategory | null;
  archetype: Archetype | null;
}

export type ImportReport = RequestOutput<'knowledge:import'>;
export type ExportFile = RequestOutput<'knowledge:export'>;

export const PAGE_SIZE = 25;

interface KnowledgeState {
  filters: KnowledgeFilters;
  page: number;
  entries: KnowledgeEntry[];
  total: number;
  loading: boolean;
  error: UiError | null;
  query: string;
  hits: SearchHit[] | null;
  elapsedMs: number | null;
  searching: boolean;
  searchError: UiError | null;

  setFilter<K extends keyof KnowledgeFilters>(key: K, value: KnowledgeFilters[K]): void;
  setPage(page: number): void;
  load(): Promise<void>;
  search(query: string): Promise<void>;
  save(id: string | null, fields: KnowledgeFields): Promise<KnowledgeEntry>;
  remove(id: string): Promise<void>;
  importData(format: 'json' | 'xlsx', data: string, fileName: string): Promise<ImportReport>;
  exportData(format: 'json' | 'xlsx'): Promise<ExportFile>;
}

const optional = <T>(value: T | null): T | undefined => value ?? undefined;

export const useKnowledgeStore = create<KnowledgeState>((set, get) => ({
  filters: { kind: null, language: null, category: null, archetype: null },
  page: 1,
  entries: [],
  total: 0,
  loading: false,
  error: null,
  query: '',
  hits: null,
  elapsedMs: null,
  searching: false,
  searchError: null,

  setFilter(key, value) {
    set((s) => ({ filters: { ...s.filters, [key]: value }, page: 1 }));
    void get().load();
    if (get().query.trim()) void get().search(get().query);
  },

  setPage(page) {
    set({ page });
    void get().load();
  },

  async load() {
    const { filters, page } = get();
    set({ loading: true });
    try {
      const result = await call('knowledge:list', {
        kind: optional(filters.kind),
        language: optional(filters.language),
        category: optional(filters.category),
        archetype: optional(filters.archetype),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      // A slower, older answer must not overwrite a newer filter's.
      if (get().filters === filters && get().page === page) set({ entries: result.entries, total: result.total, error: null });
    } catch (error) {
      set({ error: toUiError(error) });
    } finally {
      set({ loading: false });
    }
  },

  async search(query) {
    set({ query });
    if (!query.trim()) {
      set({ hits: null, elapsedMs: null, searchError: null });
      return;
    }
    const { filters } = get();
    set({ searching: true });
    try {
      const result = await call('knowledge:search', {
        query,
        language: optional(filters.language),
        kinds: filters.kind ? [filters.kind] : undefined,
        category: optional(filters.category),
        limit: 20,
      });
      if (get().query === query) set({ hits: result.hits, elapsedMs: result.elapsedMs, searchError: null });
    } catch (error) {
      if (get().query === query) set({ searchError: toUiError(error) });
    } finally {
      if (get().query === query) set({ searching: false });
    }
  },

  async save(id, fields) {
    const entry = id ? await call('knowledge:update', { id, patch: fields }) : await call('knowledge:create', fields);
    await get().load();
    return entry;
  },

  async remove(id) {
    await call('knowledge:delete', { id });
    await get().load();
  },

  async importData(format, data, fileName) {
    const report = await call('knowledge:import', { format, data, fileName });
    await get().load();
    return report;
  },

  exportData(format) {
    const { filters } = get();
    return call('knowledge:export', { format, language: optional(filters.language), kind: optional(filters.kind) });
  },
}));

on('knowledge:changed', () => {
  const state = useKnowledgeStore.getState();
  void state.load();
  if (state.query.trim()) void state.search(state.query);
});
