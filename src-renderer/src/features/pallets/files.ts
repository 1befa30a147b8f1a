/** Browser-side byte helpers for the chunked transfer (no Node in the renderer). */

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

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: spreading a megabyte into one call would overflow the argument limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Saves a Blob as a file through a temporary `<a download>`. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The file name without its extension, as a default analysis name. */
export function baseName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot > 0 ? fileName.slice(0, dot) : fileName).slice(0, 200);
}
