/** Pallet import/export file rules (byte helpers are shared in lib/files.ts). */

/** Bytes per upload chunk: 1.5 MB decoded, a multiple of 3 so no chunk but the last carries base64 padding. */
export const UPLOAD_CHUNK_BYTES = 1_500_000;
/** Bytes per download window (the contract's maximum). */
export const DOWNLOAD_CHUNK_BYTES = 1_500_000;

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
  return (dot > 0 ? fileName.slice(0, dot) : fileName).slice(0, 200);
}
