import type { ErrorCode } from '@shared/contract/errors';
import type { CellValue } from '@shared/pallets/fields';
import type { MergeRange } from '@shared/pallets/header-detect';
import type { ImportLimits, ImportPhase, SheetInfo, SpreadsheetFormat } from '@shared/pallets/schemas';

/** Messages between the main thread and the spreadsheet worker. One operation at a time per worker. */
export type ToWorker =
  /** `bytes`, when given, are the file (the knowledge import has them in memory); `path` then only names it. */
  | { type: 'open'; path: string; limits: ImportLimits; sheet: string | null; bytes?: Uint8Array }
  | { type: 'head'; sheet: string; rows: number }
  | { type: 'stream'; sheet: string; from: number; chunkRows: number; credit: number; release: boolean }
  | { type: 'credit'; n: number }
  | { type: 'export-begin'; sheetName: string; header: CellValue[] }
  | { type: 'export-rows'; rows: CellValue[][] }
  | { type: 'export-finish'; path: string; summary: CellValue[][] | null };

export type FromWorker =
  | { type: 'progress'; phase: ImportPhase; done: number; total: number | null }
  | { type: 'opened'; size: number; hash: string; format: SpreadsheetFormat; sheets: SheetInfo[]; reader: 'sheetjs' | 'fast' }
  /** A line for the app's log (e.g. why the fast reader declined a file). */
  | { type: 'log'; message: string }
  | { type: 'head'; rows: CellValue[][]; merges: MergeRange[]; totalRows: number; width: number }
  /** Rows as UTF-8 JSON (CellValue[][]) in a transferred buffer: no copy, off the heap until decoded. */
  | { type: 'chunk'; start: number; count: number; json: Uint8Array }
  | { type: 'end'; rows: number }
  | { type: 'ack' }
  | { type: 'exported'; rows: number; bytes: number }
  | { type: 'error'; code: ErrorCode; message: string };

export const DEFAULT_LIMITS: ImportLimits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxRows: 300_000,
  maxColumns: 500,
  // Excel's own cap on a cell's text.
  maxCellLength: 32_767,
};
