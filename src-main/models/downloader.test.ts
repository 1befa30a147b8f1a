import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { AppError } from '@shared/contract/errors';
import { modelsEvents, modelsRequests, PartialDownload, type DownloadProgress } from '@shared/contract/models';
import { resolveDownload } from './download-url';
import { DOWNLOAD_PAUSE, ModelDownloader } from './downloader';
import type { HttpRequest } from './downloader-http';

const root = mkdtempSync(join(tmpdir(), 'fm-download-'));
let model: Buffer;
let modelSha: string;
let server: Server;
let base: string;
const seen: { path: string; range: string | null; ifRange: string | null }[] = [];
/** Per path: cut the connection after this many body bytes of the next response. */
const cutNext = new Map<string, number>();
let slow = false;

function serveFile(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const etag = '"v1"';
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  let start = 0;
  if (range && (!ifRange || ifRange === etag)) {
    start = Number(range[1]);
    if (start >= body.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Content-Length': body.length - start, ETag: etag, 'Accept-Ranges': 'bytes' });
  } else {
    res.writeHead(200, { 'Content-Length': body.length, ETag: etag, 'Accept-Ranges': 'bytes' });
  }
  const rest = body.subarray(start);
  const cut = cutNext.get(req.url ?? '');
  cutNext.delete(req.url ?? '');
  if (cut !== undefined) {
    // Send part of the body, then drop the connection like a flaky network.
    res.write(rest.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
    return;
  }
  if (!slow) {
    res.end(rest);
    return;
  }
  let offset = 0;
  const tick = (): void => {
    if (res.destroyed) return;
    const chunk = rest.subarray(offset, offset + 8192);
    offset += chunk.length;
    if (offset >= rest.length) res.end(chunk);
    else res.write(chunk, () => setTimeout(tick, 5));
  };
  tick();
}

beforeAll(async () => {
  const path = writeTestGguf(join(root, 'source.gguf'), { nEmbd: 128, nLayers: 2, vocabSize: 512 }).path;
  model = readFileSync(path);
  modelSha = createHash('sha256').update(model).digest('hex');
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', range: req.headers.range ?? null, ifRange: (req.headers['if-range'] as string | undefined) ?? null });
    const url = req.url ?? '';
    if (url.startsWith('/files/model.gguf') || url.startsWith('/acme/sales-GGUF/resolve/main/sales-Q8_0.gguf')) serveFile(req, res, model);
    else if (url === '/files/login.gguf') serveFile(req, res, Buffer.from('<html>Please log in</html>'));
    else if (url === '/v2/acme/sales-GGUF/manifests/Q8_0') res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ggufFile: { rfilename: 'sales-Q8_0.gguf' } }));
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(root, { recursive: true, force: true });
});

let modelsDir: string;
let testIndex = 0;
beforeEach(() => {
  modelsDir = join(root, `models-${++testIndex}`);
  mkdirSync(modelsDir);
  seen.length = 0;
  cutNext.clear();
  slow = false;
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('ModelDownloader', () => {
  it('downloads with progress, verifies size and sha256, and moves the file into place', async () => {
    const downloader = new ModelDownloader({ modelsDir, progressIntervalMs: 0 });
    const events: DownloadProgress[] = [];
    downloader.onProgress((p) => events.push(p));
    const result = await downloader.download({ requestId: 'd1', url: `${base}/files/model.gguf`, sha256: modelSha, sizeBytes: model.length });
    expect(result).toMatchObject({ state: 'completed', fileName: 'model.gguf', receivedBytes: model.length, sha256: modelSha });
    expect(readFileSync(join(modelsDir, 'model.gguf')).equals(model)).toBe(true);
    expect(existsSync(join(modelsDir, 'model.gguf.partial'))).toBe(false);
    expect(existsSync(join(modelsDir, 'model.gguf.partial.json'))).toBe(false);
    expect(events.map((e) => e.state)).toEqual(expect.arrayContaining(['starting', 'downloading', 'verifying', 'completed']));
    expect(events.at(-1)).toMatchObject({ requestId: 'd1', receivedBytes: model.length, totalBytes: model.length });
    for (const e of events) modelsEvents['models:downloadProgress'].payload.parse(e);
    modelsRequests['models:download'].output.parse(result);
  });

  it('keeps the partial file when the connection drops, and a new instance (app restart) resumes with a Range request', async () => {
    const half = Math.floor(model.length / 2);
    cutNext.set('/files/model.gguf', half);
    const first = new ModelDownloader({ modelsDir, retries: 0 });
    const error = await failure(first.download({ requestId: 'r1', url: `${base}/files/model.gguf`, sha256: modelSha }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/interrupted .* the partial download is kept/);
    const partialSize = statSync(join(modelsDir, 'model.gguf.partial')).size;
    // Whatever arrived before the cut is kept (bytes in flight may be lost with the socket).
    expect(partialSize).toBeGreaterThan(0);
    expect(partialSize).toBeLessThanOrEqual(half);
    const sidecar = JSON.parse(readFileSync(join(modelsDir, 'model.gguf.partial.json'), 'utf8')) as { state: string; totalBytes: number };
    expect(sidecar).toMatchObject({ state: 'interrupted', totalBytes: model.length });

    const restarted = new ModelDownloader({ modelsDir, retries: 0 });
    const partials = await restarted.listPartial();
    expect(partials).toEqual([expect.objectContaining({ fileName: 'model.gguf', receivedBytes: partialSize, totalBytes: model.length, state: 'interrupted' })]);
    for (const p of partials) PartialDownload.parse(p);
    const result = await restarted.download({ requestId: 'r2', url: `${base}/files/model.gguf`, sha256: modelSha });
    expect(result).toMatchObject({ state: 'completed', sha256: modelSha });
    expect(seen.at(-1)).toMatchObject({ range: `bytes=${partialSize}-`, ifRange: '"v1"' });
    expect(readFileSync(join(modelsDir, 'model.gguf')).equals(model)).toBe(true);
    expect(await restarted.listPartial()).toEqual([]);
  });

  it('resumes by itself after a dropped connection when retries are allowed', async () => {
    cutNext.set('/files/model.gguf', 1000);
    const downloader = new ModelDownloader({ modelsDir, retries: 2, retryDelayMs: 10 });
    const result = await downloader.download({ requestId: 'a1', url: `${base}/files/model.gguf` });
    expect(result.sha256).toBe(modelSha);
    expect(seen.map((s) => s.range)).toEqual([null, expect.stringMatching(/^bytes=[1-9]\d*-$/)]);
  });

  it('pauses and cancels without deleting the partial file, then resumes', async () => {
    slow = true;
    const downloader = new ModelDownloader({ modelsDir, progressIntervalMs: 0 });
    const pauseP1 = new AbortController();
    const cancelP2 = new AbortController();
    const off = downloader.onProgress((p) => {
      if (p.requestId === 'p1' && p.receivedBytes > 20_000) pauseP1.abort(DOWNLOAD_PAUSE);
      if (p.requestId === 'p2' && p.receivedBytes > 60_000) cancelP2.abort();
    });
    const paused = await downloader.download({ requestId: 'p1', url: `${base}/files/model.gguf` }, { signal: pauseP1.signal });
    expect(paused.state).toBe('paused');
    const afterPause = statSync(join(modelsDir, 'model.gguf.partial')).size;
    expect(afterPause).toBeGreaterThan(20_000);
    expect(afterPause).toBeLessThan(model.length);
    const cancelled = await downloader.download({ requestId: 'p2', url: `${base}/files/model.gguf` }, { signal: cancelP2.signal });
    expect(cancelled.state).toBe('cancelled');
    expect(statSync(join(modelsDir, 'model.gguf.partial')).size).toBeGreaterThan(afterPause);
    expect((await downloader.listPartial())[0]?.state).toBe('cancelled');
    off();
    slow = false;
    const done = await downloader.download({ requestId: 'p3', url: `${base}/files/model.gguf`, sha256: modelSha });
    expect(done.state).toBe('completed');
  });

  it('rejects a checksum mismatch and discards the useless file', async () => {
    const downloader = new ModelDownloader({ modelsDir });
    const error = await failure(downloader.download({ requestId: 'c1', url: `${base}/files/model.gguf`, sha256: 'ab'.repeat(32) }));
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toMatch(/^Checksum mismatch for model\.gguf: expected sha256 abab.*, got [0-9a-f]{64}\. The download was discarded\.$/);
    expect(existsSync(join(modelsDir, 'model.gguf'))).toBe(false);
    expect(existsSync(join(modelsDir, 'model.gguf.partial'))).toBe(false);
  });

  it('gives clear errors: 404, offline, disk full, not a GGUF, plain http', async () => {
    const downloader = new ModelDownloader({ modelsDir });
    expect((await failure(downloader.download({ requestId: 'e1', url: `${base}/files/nothing.gguf` }))).code).toBe('NOT_FOUND');
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    // A host that does not answer is that host's problem while the computer is online; "offline" only when it is.
    const online = new ModelDownloader({ modelsDir, isOnline: () => true });
    const refused = await failure(online.download({ requestId: 'e2', url: `http://127.0.0.1:${deadPort}/model.gguf` }));
    expect(refused.message).toMatch(/^127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\): it does not answer from this network\. The download can be resumed later\.$/);
    const offlineDownloader = new ModelDownloader({ modelsDir, isOnline: () => false });
    const offline = await failure(offlineDownloader.download({ requestId: 'e2b', url: `http://127.0.0.1:${deadPort}/model.gguf` }));
    expect(offline.message).toMatch(/cannot be reached \(ECONNREFUSED\): this computer is offline/);
    const full = new ModelDownloader({ modelsDir, freeSpace: async () => 1024 });
    expect((await failure(full.download({ requestId: 'e3', url: `${base}/files/model.gguf` }))).message).toMatch(/^Not enough disk space for model\.gguf/);
    expect((await failure(downloader.download({ requestId: 'e4', url: `${base}/files/login.gguf` }))).message).toMatch(/login\.gguf is not a GGUF model file/);
    expect((await failure(downloader.download({ requestId: 'e5', url: 'http://example.com/model.gguf' }))).message).toMatch(/Only https:\/\//);
  });

  it('resolves Hugging Face URIs like node-llama-cpp (file form offline, tag form through the manifest API)', async () => {
    await expect(resolveDownload('hf:acme/sales-GGUF/q8/sales-Q8_0.gguf#dev')).resolves.toEqual({
      url: 'https://huggingface.co/acme/sales-GGUF/resolve/dev/q8/sales-Q8_0.gguf?download=true',
      fileName: 'sales-Q8_0.gguf',
      source: 'hf:acme/sales-GGUF/q8/sales-Q8_0.gguf#dev',
    });
    const offlineRequest: HttpRequest = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND huggingface.co'), { code: 'ENOTFOUND' }));
    // A DNS failure for one host while online is that host's problem, not "you are offline".
    const unresolved = await failure(resolveDownload('hf:acme/sales-GGUF:Q8_0', { request: offlineRequest, isOnline: () => true }));
    expect(unresolved.message).toMatch(/^Resolving hf:acme\/sales-GGUF:Q8_0 needs the Hugging Face API: huggingface\.co cannot be found \(ENOTFOUND\): its name does not resolve from this network/);
    expect(unresolved.message).not.toMatch(/offline/);
    const offline = await failure(resolveDownload('hf:acme/sales-GGUF:Q8_0', { request: offlineRequest, isOnline: () => false }));
    expect(offline.message).toMatch(/huggingface\.co cannot be reached \(ENOTFOUND\): this computer is offline/);
    const downloader = new ModelDownloader({ modelsDir, hfEndpoint: `${base}/` });
    const result = await downloader.download({ requestId: 'hf1', url: 'hf:acme/sales-GGUF:Q8_0', sha256: modelSha });
    expect(result).toMatchObject({ state: 'completed', fileName: 'sales-Q8_0.gguf' });
  });
});
