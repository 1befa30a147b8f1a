/**
 * Decide what a file is from its bytes before SheetJS sees it. SheetJS reads almost anything as CSV
 * (a PDF becomes a sheet of garbage), so the guard is ours: containers are recognised by signature
 * and directory, text by encoding, everything else is "not a spreadsheet".
 */

export type Sniffed =
  | { kind: 'zip'; format: 'xlsx' | 'xlsm' | 'xlsb' | 'ods' }
  | { kind: 'cfb' }
  | { kind: 'text'; text: string; markup: boolean }
  | { kind: 'reject'; reason: 'empty' | 'not-spreadsheet' | 'corrupt' | 'encrypted'; message: string };

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const KNOWN_BINARIES: ReadonlyArray<readonly [readonly number[], string]> = [
  [ascii('%PDF'), 'a PDF document'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [ascii('GIF8'), 'a GIF image'],
  [ascii('RIFF'), 'a media file'],
  [ascii('ID3'), 'an audio file'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [ascii('7z'), 'a 7-Zip archive'],
  [ascii('Rar!'), 'a RAR archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a program'],
];

function notSpreadsheet(what: string): Sniffed {
  return { kind: 'reject', reason: 'not-spreadsheet', message: `The file is ${what}, not a spreadsheet.` };
}

export function corrupt(detail = ''): Sniffed & { kind: 'reject' } {
  return { kind: 'reject', reason: 'corrupt', message: `The file is damaged and cannot be read as a spreadsheet${detail}.` };
}

export const ENCRYPTED_MESSAGE = 'The file is password-protected; save it without a password and import it again.';

/** Classify a file's bytes. */
export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return { kind: 'reject', reason: 'empty', message: 'The file is empty.' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return sniffZip(bytes);
  if (startsWith(bytes, CFB_MAGIC)) return { kind: 'cfb' };
  for (const [sig, what] of KNOWN_BINARIES) if (startsWith(bytes, sig)) return notSpreadsheet(what);
  const text = decodeText(bytes);
  if (text === null) return notSpreadsheet('a binary file');
  if (text.trim() === '') return { kind: 'reject', reason: 'empty', message: 'The file is empty.' };
  return { kind: 'text', text, markup: /^\s*</.test(text) };
}

/** Names in a ZIP central directory (no decompression), or null when the archive is incomplete. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const min = Math.max(0, bytes.length - 65_557);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= min; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return null;
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    if (p + 46 + nameLen > bytes.length) return null;
    names.push(decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen)));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

function sniffZip(bytes: Uint8Array): Sniffed {
  const names = zipEntryNames(bytes);
  if (names === null) return corrupt(' (the ZIP container is incomplete)');
  const has = (name: string) => names.some((n) => n.toLowerCase() === name);
  if (has('xl/workbook.xml')) return { kind: 'zip', format: has('xl/vbaproject.bin') ? 'xlsm' : 'xlsx' };
  if (has('xl/workbook.bin')) return { kind: 'zip', format: 'xlsb' };
  if (has('content.xml') && has('mimetype')) {
    const mime = readStoredMimetype(bytes);
    if (mime === null || mime.includes('spreadsheet')) return { kind: 'zip', format: 'ods' };
    return notSpreadsheet('an OpenDocument file of another kind');
  }
  if (has('word/document.xml')) return notSpreadsheet('a Word document');
  if (names.some((n) => n.startsWith('ppt/'))) return notSpreadsheet('a PowerPoint presentation');
  if (has('[content_types].xml')) return corrupt(' (the workbook part is missing)');
  return notSpreadsheet('a ZIP archive');
}

/** ODF stores "mimetype" first and uncompressed; read it straight from the local header. */
function readStoredMimetype(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 30 || view.getUint32(0, true) !== 0x04034b50) return null;
  const nameLen = view.getUint16(26, true);
  const extraLen = view.getUint16(28, true);
  const size = view.getUint32(18, true);
  const name = new TextDecoder().decode(bytes.subarray(30, 30 + nameLen));
  if (name !== 'mimetype' || view.getUint16(8, true) !== 0) return null;
  const start = 30 + nameLen + extraLen;
  return new TextDecoder().decode(bytes.subarray(start, start + Math.min(size, 200)));
}

/**
 * Text with its encoding resolved: BOMs (UTF-8, UTF-16), then strict UTF-8, then windows-1250 (what
 * Polish Excel writes to CSV). Null for binary content (NUL bytes or many control characters).
 */
export function decodeText(bytes: Uint8Array): string | null {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const probe = bytes.subarray(0, 65_536);
  let control = 0;
  for (const b of probe) {
    if (b === 0) return null;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (control > probe.length * 0.01) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1250').decode(bytes);
  }
}

/** CSV delimiter from the first lines: the candidate that splits most lines into the same number of cells. */
export function sniffDelimiter(text: string): string {
  const lines = text
    .slice(0, 65_536)
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, 30)
    .map((l) => l.replace(/"[^"]*"/g, '""'));
  let best = ',';
  let bestScore = 0;
  for (const sep of ['\t', ';', ',', '|']) {
    const counts = lines.map((l) => l.split(sep).length - 1).filter((n) => n > 0);
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const n of counts) freq.set(n, (freq.get(n) ?? 0) + 1);
    const [mode, lines_] = [...freq].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [0, 0];
    const score = lines_ * Math.min(mode, 50);
    if (score > bestScore) {
      best = sep;
      bestScore = score;
    }
  }
  return best;
}
