import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, makePrivate, PRIVATE_FILE_MODE } from './private-files';

export type Log = (line: string) => void;

/**
 * Appends timestamped lines to the log file (and echoes them when asked). Electron's glue uses
 * electron-log instead; this is the same shape for the headless host and the CLI.
 */
export function fileLogger(file: string, echo = false): Log {
  preparePrivateLog(file);
  return (line) => {
    const stamped = `${new Date().toISOString()} ${line}\n`;
    try {
      fs.appendFileSync(file, stamped, { mode: PRIVATE_FILE_MODE });
    } catch {
      // Logging must never take the app down (disk full, permissions).
    }
    if (echo) process.stderr.write(stamped);
  };
}

/** Logs name customers and files: the folder is owner-only and an existing log is tightened too. */
export function preparePrivateLog(file: string): void {
  ensurePrivateDir(path.dirname(file));
  makePrivate(file);
}
