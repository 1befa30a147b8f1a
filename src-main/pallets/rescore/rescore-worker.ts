import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from '@main/db/open';
import { scanPage, type ScanRow } from '../store/lines-repo';
import type { ScannerWorkerData, ScanReply, ScanRequest } from './rescore-protocol';
import { scanNeeds } from '../rules/scan-needs';
import { createScorePass } from '../rules/score-pass';

/*
 * The re-score's scanner thread: reads an analysis's stored lines page by page in one read transaction
 * (one snapshot: what the main thread's lines were when the re-score began), scores and values them,
 * and sends each page's changed lines while the main thread writes the previous ones (rescore-scanner.ts).
 * Read-only: it never writes the store.
 */

const { port, signal } = workerData as ScannerWorkerData;
const counter = new Int32Array(signal);
const connections = new Map<string, Db>();

function reply(message: ScanReply): void {
  port.postMessage(message);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}

function connection(file: string): Db {
  let db = connections.get(file);
  if (!db) {
    db = openDatabase(file, { readonly: true });
    connections.set(file, db);
  }
  return db;
}

function scan(request: ScanRequest): void {
  const db = connection(request.file);
  const needs = scanNeeds(request.rules);
  const pass = createScorePass(request);
  db.$client.exec('BEGIN');
  try {
    let after = -1;
    let done = 0;
    for (;;) {
      const page = scanPage(db, request.analysisId, after, request.pageSize, needs);
      const changes = pass.scorePage(page);
      done += page.length;
      reply({ type: 'page', requestId: request.requestId, changes, done });
      if (page.length < request.pageSize) break;
      after = (page[page.length - 1] as ScanRow)[2];
    }
  } finally {
    db.$client.exec('COMMIT');
  }
  reply({ type: 'done', requestId: request.requestId, result: pass.finish() });
}

port.on('message', (request: ScanRequest) => {
  try {
    scan(request);
  } catch (error) {
    reply({ type: 'error', requestId: request.requestId, message: error instanceof Error ? error.message : String(error) });
  }
});

parentPort?.postMessage('ready');
