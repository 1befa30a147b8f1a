import type { MessagePort } from 'node:worker_threads';
import type { ScoreChanges } from '../store/lines-repo';
import type { ScorePassInput, ScorePassResult } from '../rules/score-pass';

/*
 * Messages between the re-score (main thread) and its scanner thread (rescore-worker.ts). The replies
 * travel on a MessagePort of their own that the main thread reads synchronously while it writes (see
 * rescore-scanner.ts); after each reply the worker bumps a shared counter and wakes the main thread.
 */

/** Given to the worker at start. */
export interface ScannerWorkerData {
  /** Where requests arrive and replies leave. */
  port: MessagePort;
  /** One Int32 counter, bumped after every reply. */
  signal: SharedArrayBuffer;
}

export interface ScanRequest extends ScorePassInput {
  type: 'scan';
  requestId: number;
  /** The database file (the worker opens it read-only: WAL lets it read while the main thread writes). */
  file: string;
  analysisId: string;
  pageSize: number;
}

export type ScanReply =
  | { type: 'page'; requestId: number; changes: ScoreChanges; done: number }
  | { type: 'done'; requestId: number; result: ScorePassResult }
  | { type: 'error'; requestId: number; message: string };
