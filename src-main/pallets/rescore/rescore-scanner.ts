import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { AppError } from '@shared/contract/errors';
import { workerEntry, type WorkerEntry } from '@main/core/worker-entry';
import type { Db } from '@main/db/open';
import type { ScoreChanges } from '../store/lines-repo';
import type { ScannerWorkerData, ScanReply, ScanRequest } from './rescore-protocol';
import type { ScorePassResult } from '../rules/score-pass';

/*
 * A re-score of 100k lines is half reading and scoring, half SQLite writing the changed rows (B-tree and
 * index work that no statement shape avoids). On two cores the halves can overlap: a worker thread with
 * its own read-only connection scans and scores (rescore-worker.ts) while the main thread writes each
 * page it sends, in the one transaction that also records the outbox entry and the analysis.
 *
 * The main thread stays inside that transaction, synchronously, until the scan ends: it reads replies
 * with receiveMessageOnPort and sleeps on a shared counter (Atomics.wait) between them. Nothing else can
 * run on the main connection meanwhile, so no other write slips into the transaction and the worker's
 * snapshot (taken as the scan starts) is exactly the state the changes are computed from. The price: the
 * pass cannot be cancelled once it has started (it is checked just before), as the write phase never could.
 */

/** No reply for this long means the scanner thread is stuck or gone: the re-score fails and rolls back. */
const STALL_MS = 15_000;
/** How long one wait sleeps before looking again (the counter wakes it sooner). */
const WAIT_SLICE_MS = 250;

type State = { kind: 'idle' } | { kind: 'starting'; ready: Promise<boolean> } | { kind: 'running'; worker: Worker; port: MessagePort; counter: Int32Array } | { kind: 'closed' };

export class RescoreScanner {
  private state: State = { kind: 'idle' };
  /** The thread started last: an older one that exits late changes nothing. */
  private current: Worker | null = null;
  private nextRequest = 1;

  constructor(
    private readonly file: string,
    private readonly options: { entry?: WorkerEntry; log?: (message: string) => void; stallMs?: number } = {},
  ) {}

  /** Starts the thread if needed (asynchronously: the caller may still be cancelled); false if it cannot run. */
  ready(): Promise<boolean> {
    const state = this.state;
    if (state.kind === 'running') return Promise.resolve(true);
    if (state.kind === 'starting') return state.ready;
    if (state.kind === 'closed') return Promise.resolve(false);
    const ready = this.start();
    this.state = { kind: 'starting', ready };
    return ready;
  }

  private start(): Promise<boolean> {
    const entry = this.options.entry ?? workerEntry('rescore-worker', import.meta.url);
    const channel = new MessageChannel();
    const signal = new SharedArrayBuffer(4);
    const data: ScannerWorkerData = { port: channel.port2, signal };
    return new Promise<boolean>((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(entry.url, { execArgv: entry.execArgv ?? [], workerData: data, transferList: [channel.port2], stdout: false, stderr: false });
      } catch (error) {
        this.fail(`could not start: ${error instanceof Error ? error.message : String(error)}`);
        resolve(false);
        return;
      }
      this.current = worker;
      // Neither keeps the process alive: a CLI re-score exits when it is done.
      worker.unref();
      channel.port1.unref();
      worker.once('message', (message: unknown) => {
        if (message !== 'ready' || this.state.kind !== 'starting') return;
        this.state = { kind: 'running', worker, port: channel.port1, counter: new Int32Array(signal) };
        resolve(true);
      });
      worker.on('error', (error) => this.options.log?.(`[pallets] re-score scanner failed: ${error.message}`));
      worker.once('exit', () => {
        channel.port1.close();
        resolve(false);
        if (this.current !== worker) return;
        this.current = null;
        if (this.state.kind !== 'closed') this.state = { kind: 'idle' };
      });
    });
  }

  private fail(message: string): void {
    this.options.log?.(`[pallets] re-score scanner ${message}; re-scoring in the main thread`);
  }

  /**
   * Scans, scores and values an analysis in the thread, calling `onPage` (synchronously, on this thread)
   * with each page's changed lines as they come. Blocks until the scan ends; throws when it fails.
   */
  scanSync(request: Omit<ScanRequest, 'type' | 'requestId' | 'file'>, onPage: (changes: ScoreChanges, done: number) => void): ScorePassResult {
    const state = this.state;
    if (state.kind !== 'running') throw new AppError('INTERNAL', 'The re-score scanner is not running.');
    const requestId = this.nextRequest++;
    const full: ScanRequest = { ...request, type: 'scan', requestId, file: this.file };
    state.port.postMessage(full);
    const stallMs = this.options.stallMs ?? STALL_MS;
    let heard = performance.now();
    for (;;) {
      // Read the counter before draining: a reply posted after the drain has changed it, so the wait
      // below returns at once instead of sleeping through it.
      const seen = Atomics.load(state.counter, 0);
      for (let got = receiveMessageOnPort(state.port); got; got = receiveMessageOnPort(state.port)) {
        const reply = got.message as ScanReply;
        heard = performance.now();
        if (reply.requestId !== requestId) continue;
        if (reply.type === 'page') onPage(reply.changes, reply.done);
        else if (reply.type === 'done') return reply.result;
        else throw new AppError('INTERNAL', `The re-score could not read the lines: ${reply.message}`);
      }
      if (performance.now() - heard > stallMs) {
        this.kill();
        throw new AppError('INTERNAL', 'The re-score stopped: its scanner thread did not answer.');
      }
      Atomics.wait(state.counter, 0, seen, WAIT_SLICE_MS);
    }
  }

  private kill(): void {
    const state = this.state;
    if (state.kind === 'running') void state.worker.terminate();
    this.current = null;
    this.state = { kind: 'idle' };
  }

  async close(): Promise<void> {
    const state = this.state;
    this.state = { kind: 'closed' };
    if (state.kind === 'starting') await state.ready;
    if (state.kind === 'running') await state.worker.terminate();
  }
}

const scanners = new WeakMap<Db['$client'], RescoreScanner>();

/**
 * The scanner of `db` (one per connection, started on first use), or null when another connection cannot
 * read alongside this one's write: an in-memory or read-only store, or one not in WAL mode.
 */
export function rescoreScanner(db: Db, options: { log?: (message: string) => void } = {}): RescoreScanner | null {
  const client = db.$client;
  const existing = scanners.get(client);
  if (existing) return existing;
  if (client.memory || client.readonly || String(client.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return null;
  const scanner = new RescoreScanner(client.name, options);
  scanners.set(client, scanner);
  return scanner;
}

/** Stops `db`'s scanner thread, if one was started (before the store closes). */
export async function closeRescoreScanner(db: Db): Promise<void> {
  const scanner = scanners.get(db.$client);
  scanners.delete(db.$client);
  await scanner?.close();
}
