import fs from 'node:fs';
import path from 'node:path';

/** The folders that hold copies of picked files (uploads) and finished exports. */
export interface TransferDirs {
  uploads: string;
  exports: string;
}

/**
 * Uploads (copies of the manifests people picked) and exports (analysis results) are only needed for
 * a moment, but they hold customer and pricing data: anything older than a day goes, and each folder
 * stays under a size cap (oldest first). Swept at start-up and whenever an upload starts or a download
 * finishes.
 */
export const TRANSFER_MAX_AGE_MS = 24 * 60 * 60 * 1000;
export const TRANSFER_MAX_BYTES = 1024 * 1024 * 1024;

interface Entry {
  path: string;
  bytes: number;
  /** Newest modification inside the entry: an upload in progress stays fresh while chunks arrive. */
  mtimeMs: number;
}

function measure(target: string): { bytes: number; mtimeMs: number } {
  const stat = fs.lstatSync(target);
  if (!stat.isDirectory()) return { bytes: stat.size, mtimeMs: stat.mtimeMs };
  let bytes = 0;
  let mtimeMs = stat.mtimeMs;
  for (const name of fs.readdirSync(target)) {
    const inner = measure(path.join(target, name));
    bytes += inner.bytes;
    mtimeMs = Math.max(mtimeMs, inner.mtimeMs);
  }
  return { bytes, mtimeMs };
}

function entries(dir: string): Entry[] {
  if (!fs.existsSync(dir)) return [];
  const found: Entry[] = [];
  for (const name of fs.readdirSync(dir)) {
    try {
      found.push({ path: path.join(dir, name), ...measure(path.join(dir, name)) });
    } catch {
      // Removed while we looked: nothing to sweep.
    }
  }
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs);
}

export interface CleanupOptions {
  now?: number;
  maxAgeMs?: number;
  maxBytes?: number;
}

/** Removes what is too old, then the oldest until the folder fits; the newest entry is always kept. */
export function cleanFolder(dir: string, options: CleanupOptions = {}): string[] {
  const now = options.now ?? Date.now();
  const maxAgeMs = options.maxAgeMs ?? TRANSFER_MAX_AGE_MS;
  const maxBytes = options.maxBytes ?? TRANSFER_MAX_BYTES;
  const all = entries(dir);
  let total = all.reduce((sum, e) => sum + e.bytes, 0);
  const removed: string[] = [];
  all.forEach((entry, index) => {
    const newest = index === all.length - 1;
    if (now - entry.mtimeMs <= maxAgeMs && (total <= maxBytes || newest)) return;
    fs.rmSync(entry.path, { recursive: true, force: true });
    total -= entry.bytes;
    removed.push(entry.path);
  });
  return removed;
}

/** Sweeps both transfer folders; a failure here must never fail the upload or download around it. */
export function cleanTransferDirs(dirs: TransferDirs, options: CleanupOptions = {}): string[] {
  const removed: string[] = [];
  for (const dir of [dirs.uploads, dirs.exports]) {
    try {
      removed.push(...cleanFolder(dir, options));
    } catch {
      // Permissions or a file in use (Windows): the next sweep tries again.
    }
  }
  return removed;
}
