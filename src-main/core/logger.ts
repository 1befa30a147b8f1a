import fs from 'node:fs';
import path from 'node:path';

export type Log = (line: string) => void;

/**
 * Appends timestamped lines to the log file (and echoes them when asked). Electron's glue uses
 * electron-log instead; this is the same shape for the headless host and the CLI.
 */
export function fileLogger(file: string, echo = false): Log {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return (line) => {
    const stamped = `${new Date().toISOString()} ${line}\n`;
    try {
      fs.appendFileSync(file, stamped);
    } catch {
      // Logging must never take the app down (disk full, permissions).
    }
    if (echo) process.stderr.write(stamped);
  };
}
