import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Where a worker thread's code is. Under tsx/vitest the .ts source runs through tsx; a build passes its .js. */
export interface WorkerEntry {
  url: URL;
  execArgv?: string[];
}

/**
 * The entry `name` next to the module at `here` (its import.meta.url): `name.ts` when that module runs
 * from source, else `name.js` (electron-vite builds each worker as an entry beside the main bundle).
 */
export function workerEntry(name: string, here: string): WorkerEntry {
  if (/\.ts$/.test(new URL(here).pathname)) return { url: new URL(`./${name}.ts`, here), execArgv: ['--import', tsxLoader()] };
  return { url: new URL(`./${name}.js`, here), execArgv: [] };
}

/** tsx's loader as a file URL, so the worker starts whatever the process's working directory is. */
function tsxLoader(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return 'tsx';
  }
}
