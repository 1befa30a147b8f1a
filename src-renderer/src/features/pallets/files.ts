import { FILE_LIMITS, PALLET_LIMITS } from '@shared/contract/limits';

/** Pallet import/export file rules (byte helpers are shared in lib/files.ts). */

/** Bytes per upload chunk and download window: the contract's maximum (a multiple of 3, so no chunk but the last carries base64 padding). */
export const CHUNK_BYTES = FILE_LIMITS.chunkBytes;

export const ACCEPTED_EXTENSIONS = ['.xlsx', '.xlsm', '.xls', '.ods', '.csv'] as const;

/** What the file picker offers; drag-and-drop is checked by extension as well (some systems send no type). */
export const ACCEPT: Record<string, string[]> = {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/vnd.ms-excel.sheet.macroEnabled.12': ['.xlsm'],
  'application/vnd.ms-excel': ['.xls'],
  'application/vnd.oasis.opendocument.spreadsheet': ['.ods'],
  'text/csv': ['.csv'],
};

export function hasAcceptedExtension(fileName: string): boolean {
  const lower = fileName.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The file name without its extension, as a default analysis name. */
export function baseName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot > 0 ? fileName.slice(0, dot) : fileName).slice(0, PALLET_LIMITS.analysisNameChars);
}
