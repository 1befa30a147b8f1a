import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../core/private-files';
import { cleanTransferDirs, type TransferDirs } from './transfer-cleanup';

/** Decoded bytes per chunk the renderer may send; the contract bounds the base64 text accordingly. */
export const MAX_CHUNK_BYTES = 1_500_000;
/** Uploads larger than this are refused (the spreadsheet limit is 100 MB; leave room for other uses). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export type { TransferDirs } from './transfer-cleanup';

export function transferDirs(dataDir: string): TransferDirs {
  return { uploads: path.join(dataDir, 'uploads'), exports: path.join(dataDir, 'exports') };
}

/** Only the base name survives: an uploaded "../../x" cannot leave the uploads folder. */
export function safeFileName(name: string): string {
  const cleaned = Array.from(path.basename(name.replaceAll('\\', '/')), (ch) => (ch.charCodeAt(0) < 0x20 || '<>:"|?*'.includes(ch) ? '_' : ch)).join('');
  const base = cleaned.trim();
  return base === '' || base === '.' || base === '..' ? 'file' : base.slice(0, 200);
}

export function uploadPath(dirs: TransferDirs, uploadId: string, fileName: string): string {
  return path.join(dirs.uploads, uploadId, safeFileName(fileName));
}

/**
 * Appends chunk `index` of an upload. Chunks must arrive in order (the client sends them one after
 * another); a repeated chunk index restarts from that point so a retried request does not duplicate bytes.
 */
export function appendUploadChunk(dirs: TransferDirs, input: { uploadId: string; fileName: string; index: number; total: number; data: string }) {
  if (input.index >= input.total) throw new AppError('VALIDATION', 'Chunk index is past the end of the upload.');
  const bytes = Buffer.from(input.data, 'base64');
  if (bytes.length > MAX_CHUNK_BYTES) throw new AppError('VALIDATION', 'Upload chunk is too large.');
  const file = uploadPath(dirs, input.uploadId, input.fileName);
  // A new upload is the moment to drop old ones (and old exports): bounded by age and size.
  if (input.index === 0) cleanTransferDirs(dirs);
  ensurePrivateDir(dirs.uploads);
  ensurePrivateDir(path.dirname(file));
  const progressFile = `${file}.chunks`;
  // starts[i] = file size before chunk i, so a retried chunk can cut back exactly to where it began.
  const starts: number[] = input.index === 0 ? [] : fs.existsSync(progressFile) ? (JSON.parse(fs.readFileSync(progressFile, 'utf8')) as number[]) : [];
  if (input.index > starts.length) throw new AppError('CONFLICT', `Upload chunk ${input.index} arrived before chunk ${starts.length}.`);
  if (input.index === 0) fs.writeFileSync(file, bytes, { mode: PRIVATE_FILE_MODE });
  else {
    const retriedFrom = starts[input.index];
    if (retriedFrom !== undefined) fs.truncateSync(file, retriedFrom);
    fs.appendFileSync(file, bytes);
  }
  starts.length = input.index;
  starts.push(fs.statSync(file).size - bytes.length);
  const size = fs.statSync(file).size;
  if (size > MAX_UPLOAD_BYTES) {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    throw new AppError('VALIDATION', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  }
  const complete = input.index + 1 === input.total;
  if (complete) fs.rmSync(progressFile, { force: true });
  else fs.writeFileSync(progressFile, JSON.stringify(starts));
  return { received: input.index + 1, bytes: size, complete };
}

/** The completed upload's path, or a clear error if it is missing or still incomplete. */
export function completedUpload(dirs: TransferDirs, uploadId: string, fileName: string): string {
  const file = uploadPath(dirs, uploadId, fileName);
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', 'The uploaded file is no longer there; please pick it again.');
  if (fs.existsSync(`${file}.chunks`)) throw new AppError('CONFLICT', 'The file has not finished uploading.');
  return file;
}

export function discardUpload(dirs: TransferDirs, uploadId: string): void {
  fs.rmSync(path.join(dirs.uploads, uploadId), { recursive: true, force: true });
}

/** A download id is a path relative to the exports folder; anything resolving outside it is refused. */
export function exportFile(dirs: TransferDirs, downloadId: string): string {
  const file = path.resolve(dirs.exports, downloadId);
  if (!file.startsWith(path.resolve(dirs.exports) + path.sep)) throw new AppError('FORBIDDEN', 'That file cannot be downloaded.');
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw new AppError('NOT_FOUND', 'The exported file is no longer there; export again.');
  return file;
}

export function readDownloadChunk(dirs: TransferDirs, input: { downloadId: string; offset: number; length: number }) {
  const file = exportFile(dirs, input.downloadId);
  const size = fs.statSync(file).size;
  const length = Math.max(0, Math.min(input.length, size - input.offset));
  const buffer = Buffer.alloc(length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, buffer, 0, length, input.offset);
  } finally {
    fs.closeSync(fd);
  }
  const done = input.offset + length >= size;
  // A finished download is the other moment to sweep (this export stays: it is the newest).
  if (done) cleanTransferDirs(dirs);
  return { data: buffer.toString('base64'), offset: input.offset, bytes: length, size, done };
}
