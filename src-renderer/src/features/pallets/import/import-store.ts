import { create } from 'zustand';
import type { RequestInput, RequestOutput } from '@shared/contract';
import type { CanonicalField } from '@shared/pallets/fields';
import { foldWords } from '@shared/pallets/text';
import { call, newRequestId } from '@renderer/api/client';
import { toUiError, type UiError } from '@renderer/errors/ui-error';
import { baseName, hasAcceptedExtension, CHUNK_BYTES } from '../files';
import { bytesToBase64 } from '@renderer/lib/files';
import { usePalletsStore, watchProgress, type Progress } from '../pallets-store';

export type OpenResult = RequestOutput<'pallets:open'>;
export type ImportPreview = RequestOutput<'pallets:preview'>;
export type ImportResult = RequestOutput<'pallets:import'>;
type MappingOverride = NonNullable<RequestInput<'pallets:preview'>['override']>;

export const IMPORT_STEPS = ['file', 'sheet', 'mapping', 'details', 'run'] as const;
export type ImportStep = (typeof IMPORT_STEPS)[number];

export interface Details {
  name: string;
  supplier: string;
  palletPrice: number | null;
  rememberMapping: boolean;
  /** A re-import of a file imported before: a new analysis, or replace this one. */
  replaceId: string | null;
}

interface ImportState {
  opened: boolean;
  step: ImportStep;
  fileName: string | null;
  fileSize: number;
  uploadId: string | null;
  /** Bytes sent so far (upload) — null when no upload runs. */
  uploaded: number | null;
  opening: Progress | null;
  open: OpenResult | null;
  fileError: UiError | null;
  /** A file refused before upload (wrong type, several files): translated by the screen. */
  rejection: { reason: 'type' | 'many'; fileName: string } | null;

  sheet: string | null;
  /** 0-based header row chosen by the user; null = detected. */
  headerRow: number | null;
  /** Fields the user chose, by column index (null = ignore the column). */
  overrides: Record<number, CanonicalField | null>;
  preview: ImportPreview | null;
  previewLoading: boolean;
  previewError: UiError | null;

  details: Details;
  /** The user changed something after choosing the file (sheet, header row, a column, a detail): closing asks first. */
  edited: boolean;
  running: { requestId: string; progress: Progress | null; cancelling: boolean } | null;
  runError: UiError | null;
  result: ImportResult | null;

  start(): void;
  close(): Promise<void>;
  /** Back to the first step once the closed wizard has faded out (so it never flashes while closing). */
  reset(): void;
  goTo(step: ImportStep): void;
  pickFile(file: File): Promise<void>;
  rejectFile(fileName: string, reason: 'type' | 'many'): void;
  setSheet(sheet: string): Promise<void>;
  setHeaderRow(row: number | null): Promise<void>;
  setField(index: number, field: CanonicalField | null): Promise<void>;
  setDetails(patch: Partial<Details>): void;
  run(): Promise<string | null>;
  cancel(): Promise<void>;
}

/** One preview at a time: a newer request makes an older answer irrelevant. */
let previewSeq = 0;

const freshDetails = (): Details => ({ name: '', supplier: '', palletPrice: null, rememberMapping: true, replaceId: null });

const initial = {
  step: 'file' as ImportStep,
  fileName: null,
  fileSize: 0,
  uploadId: null,
  uploaded: null,
  opening: null,
  open: null,
  fileError: null,
  rejection: null,
  sheet: null,
  headerRow: null,
  overrides: {},
  preview: null,
  previewLoading: false,
  previewError: null,
  details: freshDetails(),
  edited: false,
  running: null,
  runError: null,
  result: null,
};

export const useImportStore = create<ImportState>((set, get) => {
  /**
   * The override sent with a preview: every column the user changed, plus the other columns with the
   * same folded header (the mapper matches an override to columns by `foldWords(header)`, in order).
   */
  const override = (): MappingOverride | null => {
    const { preview, overrides } = get();
    if (!preview || Object.keys(overrides).length === 0) return null;
    const changed = new Set(preview.mapping.columns.filter((c) => c.index in overrides).map((c) => foldWords(c.header)));
    const columns = preview.mapping.columns
      .filter((c) => changed.has(foldWords(c.header)))
      .map((c) => ({ header: c.header, field: c.index in overrides ? (overrides[c.index] ?? null) : c.field }));
    return { signature: preview.mapping.signature, columns };
  };

  const releaseFile = async () => {
    const { open, uploadId } = get();
    // Best effort: the host also drops idle workbooks and stale uploads on its own.
    if (open) await call('pallets:close', { fileId: open.fileId }).catch(() => undefined);
    if (uploadId) await call('files:discardUpload', { uploadId }).catch(() => undefined);
  };

  const loadPreview = async (): Promise<void> => {
    const { open, sheet, headerRow, details } = get();
    if (!open) return;
    const seq = ++previewSeq;
    set({ previewLoading: true, previewError: null });
    try {
      const preview = await call('pallets:preview', {
        requestId: newRequestId(),
        fileId: open.fileId,
        sheet,
        headerRow,
        override: override(),
        supplier: details.supplier.trim() || null,
      });
      if (seq !== previewSeq) return;
      set({ preview, sheet: preview.sheet });
    } catch (error) {
      if (seq === previewSeq) set({ previewError: toUiError(error) });
    } finally {
      if (seq === previewSeq) set({ previewLoading: false });
    }
  };

  return {
    opened: false,
    ...initial,

    start() {
      if (get().running) return set({ opened: true });
      void releaseFile();
      set({ ...initial, details: freshDetails(), opened: true });
    },

    async close() {
      if (get().running) return;
      set({ opened: false });
      await releaseFile();
      set({ open: null, uploadId: null });
    },

    reset() {
      if (!get().opened && !get().running) set({ ...initial, details: freshDetails() });
    },

    goTo(step) {
      if (!get().running) set({ step });
    },

    rejectFile(fileName, reason) {
      set({ rejection: { reason, fileName }, fileError: null });
    },

    async pickFile(file) {
      if (!hasAcceptedExtension(file.name)) return get().rejectFile(file.name, 'type');
      await releaseFile();
      const uploadId = newRequestId();
      set({ ...initial, details: { ...freshDetails(), name: baseName(file.name) }, fileName: file.name, fileSize: file.size, uploadId, uploaded: 0 });
      try {
        const total = Math.max(1, Math.ceil(file.size / CHUNK_BYTES));
        // One chunk after another: the host appends them in order, and progress stays honest.
        for (let index = 0; index < total; index++) {
          const start = index * CHUNK_BYTES;
          const bytes = new Uint8Array(await file.slice(start, start + CHUNK_BYTES).arrayBuffer());
          await call('files:uploadChunk', { uploadId, fileName: file.name, index, total, data: bytesToBase64(bytes) });
          if (get().uploadId !== uploadId) return;
          set({ uploaded: Math.min(file.size, start + bytes.length) });
        }
        const requestId = newRequestId();
        set({ uploaded: null, opening: { requestId, phase: 'reading', done: 0, total: null } });
        const stop = watchProgress(requestId, (p) => set((s) => (s.uploadId === uploadId ? { opening: p } : {})));
        try {
          const open = await call('pallets:open', { requestId, source: { uploadId, fileName: file.name } });
          if (get().uploadId !== uploadId) {
            await call('pallets:close', { fileId: open.fileId }).catch(() => undefined);
            return;
          }
          const firstVisible = open.file.sheets.find((s) => !s.hidden) ?? open.file.sheets[0];
          set({ open, sheet: firstVisible?.name ?? null, opening: null, step: 'sheet' });
        } finally {
          stop();
        }
        await loadPreview();
      } catch (error) {
        if (get().uploadId === uploadId) set({ fileError: toUiError(error), uploaded: null, opening: null });
      }
    },

    async setSheet(sheet) {
      set({ sheet, headerRow: null, overrides: {}, preview: null, edited: true });
      await loadPreview();
    },

    async setHeaderRow(headerRow) {
      set({ headerRow, overrides: {}, edited: true });
      await loadPreview();
    },

    async setField(index, field) {
      set((s) => ({ overrides: { ...s.overrides, [index]: field }, edited: true }));
      await loadPreview();
    },

    setDetails(patch) {
      set((s) => {
        const changed = (Object.keys(patch) as (keyof Details)[]).some((key) => patch[key] !== s.details[key]);
        return { details: { ...s.details, ...patch }, edited: s.edited || changed };
      });
    },

    async run() {
      const { open, preview, sheet, headerRow, details } = get();
      if (!open || !preview || get().running) return null;
      const requestId = newRequestId();
      set({ running: { requestId, progress: null, cancelling: false }, runError: null, result: null, step: 'run' });
      const stop = watchProgress(requestId, (progress) => set((s) => (s.running?.requestId === requestId ? { running: { ...s.running, progress } } : {})));
      try {
        const result = await call('pallets:import', {
          requestId,
          fileId: open.fileId,
          sheet,
          headerRow,
          override: override(),
          supplier: details.supplier.trim() || null,
          mapping: preview.mapping,
          name: details.name.trim() || baseName(open.file.fileName),
          palletPrice: details.palletPrice,
          replaceAnalysisId: details.replaceId,
          rememberMapping: details.rememberMapping,
        });
        set({ result, running: null, opened: false });
        await releaseFile();
        set({ open: null, uploadId: null });
        const pallets = usePalletsStore.getState();
        void pallets.loadAnalyses(true);
        await pallets.openAnalysis(result.analysisId, {});
        return result.analysisId;
      } catch (error) {
        set({ running: null, runError: toUiError(error), step: 'details' });
        return null;
      } finally {
        stop();
      }
    },

    async cancel() {
      const running = get().running;
      if (!running || running.cancelling) return;
      set({ running: { ...running, cancelling: true } });
      await call('ops:cancel', { requestId: running.requestId }).catch(() => undefined);
    },
  };
});
