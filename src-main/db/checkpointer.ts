import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './open';

/*
 * WAL checkpoints off the main thread. By default SQLite checkpoints in the connection that commits
 * (wal_autocheckpoint): after a large transaction, e.g. a re-score of 100k lines that writes ~70 MB of
 * WAL, that commit also copies every page into the database file and syncs it (~80 ms of the main
 * thread's time). SQLite's documented alternative (https://www.sqlite.org/wal.html, "application-initiated
 * checkpoints"): turn the automatic checkpoint off and run PASSIVE checkpoints from another thread. A
 * PASSIVE checkpoint never waits for and never blocks readers or writers; it copies what it can.
 *
 * The worker is a few lines of CommonJS run with `eval` (no build entry, no TypeScript loader): it opens
 * its own connection with the same better-sqlite3 the app uses and checkpoints when nudged and on a timer.
 * Until it reports that its connection is open, and again once it has stopped or failed, the main
 * connection keeps its automatic checkpoint, so the WAL never grows unchecked.
 */

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ failed: String(error && error.message ? error.message : error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') checkpoint();
  else if (message === 'stop') {
    clearInterval(timer);
    checkpoint();
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage('ready');
`;

/** SQLite's default threshold, restored whenever the worker is not running. */
const AUTOCHECKPOINT_PAGES = 1000;

export interface Checkpointer {
  /** Settles when the worker runs (true) or could not start (false: the main connection checkpoints itself). */
  ready: Promise<boolean>;
  /** Asks for a checkpoint now (after a large commit); a no-op once stopped. */
  nudge(): void;
  /** Stops the worker after a last checkpoint; the main connection checkpoints itself again. */
  stop(): Promise<void>;
}

const running = new WeakMap<Db['$client'], Checkpointer>();

/**
 * Starts background checkpoints for `db` (a file database in WAL mode). `log` hears of a failed start or
 * checkpoint (the main connection then simply keeps checkpointing itself).
 */
export function startCheckpointer(db: Db, options: { intervalMs?: number; log?: (message: string) => void } = {}): Checkpointer {
  const client = db.$client;
  const existing = running.get(client);
  if (existing) return existing;
  const log = options.log ?? (() => {});
  if (client.memory || client.readonly || String(client.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') {
    log('[db] background checkpoints need a writable database file in WAL mode');
    return { ready: Promise.resolve(false), nudge() {}, stop: async () => {} };
  }
  let state: 'starting' | 'running' | 'stopped' = 'starting';
  const restore = () => {
    if (client.open) client.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file: client.name, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: options.intervalMs ?? 1000 },
    stdout: false,
    stderr: false,
  });
  // Never keeps the process alive on its own.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let started: (ok: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (started = resolve));
  void exited.then(() => started(false));
  worker.on('message', (message: unknown) => {
    if (message === 'ready' && state === 'starting' && client.open) {
      state = 'running';
      client.pragma('wal_autocheckpoint = 0');
      started(true);
    } else if (message && typeof message === 'object' && 'failed' in message) log(`[db] background checkpoint failed: ${String((message as { failed: unknown }).failed)}`);
  });
  worker.on('error', (error) => log(`[db] background checkpoints unavailable: ${error.message}`));
  void exited.then(() => {
    state = 'stopped';
    running.delete(client);
    restore();
  });
  const checkpointer: Checkpointer = {
    ready,
    nudge() {
      if (state === 'running') worker.postMessage('checkpoint');
    },
    async stop() {
      if (state !== 'stopped') {
        state = 'stopped';
        restore();
        // Keeps the process alive until the worker has closed its connection.
        worker.ref();
        worker.postMessage('stop');
      }
      await exited;
    },
  };
  running.set(client, checkpointer);
  return checkpointer;
}

/** Nudges `db`'s background checkpointer after a large write (nothing when none runs: SQLite checkpoints itself). */
export function checkpointSoon(db: Db): void {
  running.get(db.$client)?.nudge();
}
