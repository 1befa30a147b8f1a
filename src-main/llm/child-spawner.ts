/**
 * How the host starts the model child. The default forks a Node process; Electron's main wires a
 * utilityProcess with the same three callbacks, e.g.
 *
 *   const spawner: ChildSpawner = (cb) => {
 *     const child = utilityProcess.fork(entry, [], { stdio: 'pipe', serviceName: 'Fieldmate model' });
 *     child.on('message', cb.onMessage);
 *     child.on('exit', (code) => cb.onExit(code, null));
 *     child.stderr?.on('data', (chunk) => cb.onStderr(String(chunk)));
 *     return { pid: child.pid, send: (m) => child.postMessage(m), kill: () => child.kill() };
 *   };
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HostToChild } from './llm-protocol';

export interface ChildCallbacks {
  onMessage(message: unknown): void;
  onExit(code: number | null, signal: string | null): void;
  onStderr(text: string): void;
}

export interface ChildHandle {
  readonly pid: number | undefined;
  send(message: HostToChild): void;
  kill(): void;
}

export type ChildSpawner = (callbacks: ChildCallbacks) => ChildHandle;

export interface ForkSpawnerOptions {
  /** The child entry: `llm-child.ts` (run through tsx) or the built `out/main/llm-child.js`. */
  entry?: string;
  /** Node flags for the child; defaults to `--import tsx` for a .ts entry, none for .js. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

function tsxImport(): string {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    return 'tsx';
  }
}

/** The child entry next to this module: the .ts source under tsx/vitest, the .js file when built. */
export function defaultChildEntry(): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) return { entry: join(dir, 'llm-child.ts'), execArgv: ['--import', tsxImport()] };
  return { entry: join(dir, 'llm-child.js'), execArgv: [] };
}

export function forkSpawner(options: ForkSpawnerOptions = {}): ChildSpawner {
  const fallback = defaultChildEntry();
  const entry = options.entry ?? fallback.entry;
  const execArgv = options.execArgv ?? (entry.endsWith('.ts') ? ['--import', tsxImport()] : []);
  return (callbacks) => {
    if (!existsSync(entry)) throw new Error(`The model child entry ${entry} does not exist (build the app or pass childEntry).`);
    const child = fork(entry, [], {
      execArgv,
      // No gdb backtrace on a native abort: it only delays the crash report by ~1 s.
      env: { GGML_NO_BACKTRACE: '1', ...(options.env ?? process.env) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    child.on('message', (message) => callbacks.onMessage(message));
    child.on('exit', (code, signal) => callbacks.onExit(code, signal));
    child.on('error', (error) => callbacks.onStderr(`${error.message}\n`));
    child.stderr?.on('data', (chunk: Buffer) => callbacks.onStderr(chunk.toString('utf8')));
    // The child's stdout is node-llama-cpp's chatter; drain it so the pipe never fills.
    child.stdout?.resume();
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
      },
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  };
}
