import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';

/** The platform's "open with the default program" command, when this machine has it. */
function opener(): { command: string; args: (target: string) => string[] } | null {
  if (process.platform === 'win32') return { command: 'explorer.exe', args: (target) => [target] };
  const name = process.platform === 'darwin' ? 'open' : 'xdg-open';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, name))) return { command: path.join(dir, name), args: (target) => [target] };
  }
  return null;
}

/**
 * Opens a local folder or file with the system (the desktop app may pass Electron's shell.openPath
 * instead). Where there is no desktop to open it on, says where it is instead.
 */
export async function openWithSystem(target: string): Promise<void> {
  if (!fs.existsSync(target)) throw new AppError('NOT_FOUND', `${target} does not exist yet.`);
  const found = opener();
  if (!found) throw new AppError('UNAVAILABLE', `This computer has no program to open it with; it is at ${target}.`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(found.command, found.args(target), { stdio: 'ignore', detached: true });
    child.once('error', () => reject(new AppError('UNAVAILABLE', `It could not be opened; it is at ${target}.`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
