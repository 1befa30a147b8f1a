import { basename } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AppError } from '@shared/contract/errors';
import { workerEntry, type WorkerEntry } from '@main/core/worker-entry';
import type { CellValue } from '@shared/pallets/fields';
import type { MergeRange } from '@shared/pallets/header-detect';
import type { FileInfo, ImportLimits, ImportProgress } from '@shared/pallets/schemas';
import { DEFAULT_LIMITS, type FromWorker, type ToWorker } from './worker-protocol';

export type { WorkerEntry };

export function defaultWorkerEntry(): WorkerEntry {
  return workerEntry('spreadsheet-worker', import.meta.url);
}

export interface WorkerOptions {
  worker?: WorkerEntry;
  /** V8 limits for the worker; an out-of-memory parse then fails the import instead of the app. */
  resourceLimits?: ResourceLimits;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Lines for the app's log (which reader read the file, and why the fast one declined). */
  onLog?: (message: string) => void;
  /** Called when the worker thread has exited (after close, cancel or a crash): for logs and tests. */
  onWorkerExit?: (exitCode: number) => void;
}

export interface SheetHead {
  rows: CellValue[][];
  merges: MergeRange[];
  /** Rows in the sheet counted from row 1. */
  totalRows: number;
  width: number;
}

export interface RowChunk {
  /** 0-based sheet row of rows[0] (spreadsheet row number = start + 1). */
  start: number;
  rows: CellValue[][];
}

export interface SpreadsheetReader {
  readonly file: FileInfo;
  /** Which parser read the file: the fast .xlsx reader or SheetJS. */
  readonly reader: 'sheetjs' | 'fast';
  head(sheet: string, rows: number): Promise<SheetHead>;
  /**
   * Rows from `from` (0-based) to the end, in chunks; at most two chunks wait in memory. `release`
   * frees the sheet in the worker as it streams (lower peak memory; the sheet cannot be read again).
   */
  rows(sheet: string, from: number, options?: { chunkRows?: number; release?: boolean }): AsyncIterable<RowChunk>;
  close(): Promise<void>;
}

export const CANCELLED_MESSAGE = 'The import was cancelled.';

/**
 * The worker's V8 heap, so a file that gets past the readers' caps fails its import ("too large to
 * read in the memory available") instead of taking the machine's memory: about 1.2 GB in all with the
 * file's buffer. A 300,000-line manifest read by the streaming reader fits.
 */
export const SPREADSHEET_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 64 };

/**
 * A worker thread speaking the spreadsheet protocol, one operation at a time. Abort terminates the
 * thread (SheetJS parsing is synchronous and cannot be interrupted any other way).
 */
export class WorkerLink {
  private readonly worker: Worker;
  private listener: ((msg: FromWorker) => void) | null = null;
  private failure: ((err: AppError) => void) | null = null;
  private dead: AppError | null = null;
  private readonly onAbort = () => this.kill(new AppError('CANCELLED', CANCELLED_MESSAGE));

  constructor(private readonly options: WorkerOptions) {
    const entry = options.worker ?? defaultWorkerEntry();
    this.worker = new Worker(entry.url, { execArgv: entry.execArgv ?? [], resourceLimits: options.resourceLimits ?? SPREADSHEET_RESOURCE_LIMITS, stdout: false, stderr: false });
    this.worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'progress') options.onProgress?.({ phase: msg.phase, done: msg.done, total: msg.total });
      else if (msg.type === 'log') options.onLog?.(msg.message);
      else this.listener?.(msg);
    });
    this.worker.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.kill(new AppError('IMPORT_ERROR', oom ? 'The spreadsheet is too large to read in the memory available.' : 'The spreadsheet reader stopped unexpectedly.'));
    });
    this.worker.on('exit', (code) => {
      this.kill(new AppError('IMPORT_ERROR', 'The spreadsheet reader stopped unexpectedly.'));
      options.onWorkerExit?.(code);
    });
    if (options.signal?.aborted) this.onAbort();
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private kill(err: AppError): void {
    if (this.dead) return;
    this.dead = err;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    void this.worker.terminate();
    this.failure?.(err);
  }

  send(msg: ToWorker): void {
    if (this.dead) throw this.dead;
    this.worker.postMessage(msg);
  }

  /** Send, then feed replies to `onReply` until it returns a value (not undefined). */
  request<T>(msg: ToWorker | null, onReply: (reply: FromWorker) => T | undefined): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.listener) return Promise.reject(new AppError('CONFLICT', 'The spreadsheet reader is busy with another operation.'));
    return new Promise<T>((resolve, reject) => {
      const done = () => {
        this.listener = null;
        this.failure = null;
      };
      this.failure = (err) => {
        done();
        reject(err);
      };
      this.listener = (reply) => {
        if (reply.type === 'error') {
          done();
          reject(new AppError(reply.code, reply.message));
          return;
        }
        let value: T | undefined;
        try {
          value = onReply(reply);
        } catch (err) {
          done();
          reject(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      if (msg) {
        try {
          this.send(msg);
        } catch (err) {
          done();
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    });
  }

  get closed(): boolean {
    return this.dead !== null;
  }

  async close(): Promise<void> {
    if (this.dead) return;
    this.dead = new AppError('CANCELLED', 'The spreadsheet reader was closed.');
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.failure?.(this.dead);
    await this.worker.terminate();
  }
}

export interface OpenOptions extends WorkerOptions {
  limits?: Partial<ImportLimits>;
  /** Parse only this sheet (faster for a one-shot import of a known sheet). */
  onlySheet?: string | null;
  /** The file's bytes, already in memory: read instead of `path`, which then only names the file. */
  bytes?: Uint8Array;
}

/** Open a spreadsheet in a worker: read, hash, sniff, parse; then head/rows on demand until close(). */
export async function openSpreadsheet(path: string, options: OpenOptions = {}): Promise<SpreadsheetReader> {
  const limits: ImportLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const link = new WorkerLink(options);
  let opened: Extract<FromWorker, { type: 'opened' }>;
  try {
    opened = await link.request({ type: 'open', path, limits, sheet: options.onlySheet ?? null, ...(options.bytes ? { bytes: options.bytes } : {}) }, (r) => (r.type === 'opened' ? r : undefined));
  } catch (err) {
    await link.close();
    throw err;
  }
  const file: FileInfo = { fileName: basename(path), fileSize: opened.size, fileHash: opened.hash, format: opened.format, sheets: opened.sheets };
  return {
    file,
    reader: opened.reader,
    head: (sheet, rows) =>
      link.request({ type: 'head', sheet, rows }, (r) => (r.type === 'head' ? { rows: r.rows, merges: r.merges, totalRows: r.totalRows, width: r.width } : undefined)),
    rows: (sheet, from, o = {}) => streamRows(link, sheet, from, o.chunkRows ?? 1000, o.release ?? false),
    close: () => link.close(),
  };
}

const decoder = new TextDecoder();

/**
 * Pull-based row stream: one credit goes back to the worker per chunk consumed; chunks are decoded
 * only when the consumer asks for them. With `release` the worker drains the sheet and is ended as
 * soon as the last chunk arrives, so its memory is returned while the queue is still processed.
 */
async function* streamRows(link: WorkerLink, sheet: string, from: number, chunkRows: number, release: boolean): AsyncGenerator<RowChunk> {
  const queue: { start: number; json: Uint8Array }[] = [];
  let finished = false;
  let wake: (() => void) | null = null;
  const ended = link.request({ type: 'stream', sheet, from, chunkRows, credit: 2, release }, (r) => {
    if (r.type === 'chunk') queue.push({ start: r.start, json: r.json });
    else if (r.type === 'end') finished = true;
    wake?.();
    wake = null;
    return r.type === 'end' ? true : undefined;
  });
  if (release) void ended.then(() => link.close(), () => undefined);
  let error: unknown = null;
  ended.catch((err: unknown) => {
    error = err;
    wake?.();
    wake = null;
  });
  try {
    while (true) {
      if (error) throw error;
      // Draining: wait for the worker to finish and exit before decoding anything, so its
      // workbook and our decoded rows are never in memory at the same time.
      const next = release && !finished ? undefined : queue.shift();
      if (next) {
        yield { start: next.start, rows: JSON.parse(decoder.decode(next.json)) as CellValue[][] };
        if (!finished && !link.closed) link.send({ type: 'credit', n: 1 });
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    // A consumer that stops early leaves the worker mid-stream; it cannot be reused, so end it.
    if (!finished || release) await link.close();
  }
}
