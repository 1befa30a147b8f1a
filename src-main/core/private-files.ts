import fs from 'node:fs';

/**
 * The data folder holds the store, its backups, logs, uploads and exports: customer names, prices and
 * the sync login. It is made owner-only (folders 0700, files 0600) so other accounts on a shared machine
 * cannot read it. Windows ignores POSIX modes (its profile folders are already per-user).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and missing parents) owner-only, and tightens it if it already existed. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  restrictMode(dir, PRIVATE_DIR_MODE);
}

/** Tightens an existing file to owner-only; a missing file is fine. */
export function makePrivate(file: string): void {
  restrictMode(file, PRIVATE_FILE_MODE);
}

/** Creates an empty owner-only file if it is missing, so whatever opens it next inherits the mode. */
export function touchPrivate(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  makePrivate(file);
}

function restrictMode(target: string, mode: number): void {
  try {
    const stat = fs.statSync(target);
    // A shared sticky folder (/tmp given as --data-dir) is never ours to close.
    if (stat.isDirectory() && (stat.mode & 0o1000) !== 0) return;
    if ((stat.mode & 0o777) !== mode) fs.chmodSync(target, mode);
  } catch {
    // Missing, or a filesystem without POSIX modes: nothing to tighten.
  }
}
