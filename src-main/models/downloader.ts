/**
 * Resumable model downloads into the models folder. Bytes go to `<name>.partial`; a small sidecar
 * `<name>.partial.json` remembers the source, size, checksum and validators (ETag / Last-Modified), so
 * a download resumes with a Range request after a pause, a dropped connection, or an app restart (a new
 * downloader instance). The partial file is never deleted on pause or cancel — only when it can never
 * become the right file (checksum or size mismatch, not a GGUF) or when the user discards it.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@shared/contract/errors';
import type { DownloadInput, DownloadProgress, DownloadResult, DownloadState, PartialDownload } from '@shared/contract/models';
import { isOfflineError, machineHasNetwork, networkErrorCode, resolveDownload, unreachableReason } from './download-url';
import { type HttpRequest, type HttpResponse, nodeHttpRequest, readBody } from './downloader-http';

export interface DownloaderOptions {
  modelsDir: string;
  /** The HTTP transport (node:http / node:https by default; injectable for tests). */
  request?: HttpRequest;
  /** Whether this computer is online (default: it has a non-loopback network interface); errors blame it only when not. */
  isOnline?: () => boolean;
  /** Connecting / waiting for response headers, and the longest pause in the body, before the attempt fails. */
  timeoutMs?: number;
  /** Automatic resumes after a dropped connection before giving up (the partial stays either way). */
  retries?: number;
  retryDelayMs?: number;
  progressIntervalMs?: number;
  /** Free bytes on the models folder's disk (injectable to test the disk-full path). */
  freeSpace?: (dir: string) => Promise<number>;
  hfEndpoint?: string;
}

interface Sidecar {
  version: 1;
  source: string;
  url: string;
  fileName: string;
  totalBytes: number | null;
  sha256: string | null;
  etag: string | null;
  lastModified: string | null;
  state: DownloadState;
  updatedAt: string;
}

interface Active {
  controller: AbortController;
  stop: 'pause' | 'cancel' | null;
  fileName: string;
}

const SPACE_MARGIN = 16 * 1024 * 1024;

class Interrupted extends Error {}

async function defaultFreeSpace(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

const fmt = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);

/**
 * The abort reason that pauses a download instead of cancelling it: both keep the partial file, but a
 * paused download is listed as paused (resume it) and a cancelled one as cancelled (discard it).
 */
export const DOWNLOAD_PAUSE = 'fieldmate:download-pause';

export class ModelDownloader {
  private readonly emitter = new EventEmitter();
  /** Downloads in flight, so one file is never written by two at once. */
  private readonly active = new Set<Active>();
  private readonly request: HttpRequest;

  constructor(private readonly options: DownloaderOptions) {
    this.request = options.request ?? nodeHttpRequest;
  }

  onProgress(listener: (progress: DownloadProgress) => void): () => void {
    this.emitter.on('progress', listener);
    return () => this.emitter.off('progress', listener);
  }


  private paths(fileName: string) {
    const final = join(this.options.modelsDir, fileName);
    return { final, partial: `${final}.partial`, sidecar: `${final}.partial.json` };
  }

  private async readSidecar(path: string): Promise<Sidecar | null> {
    try {
      const data = JSON.parse(await readFile(path, 'utf8')) as Sidecar;
      return data.version === 1 && typeof data.url === 'string' ? data : null;
    } catch {
      return null;
    }
  }

  private async writeSidecar(path: string, sidecar: Sidecar): Promise<void> {
    const tmp = `${path}.tmp`;
    await writeFile(tmp, JSON.stringify({ ...sidecar, updatedAt: new Date().toISOString() }, null, 2));
    await rename(tmp, path);
  }

  /** Resumable downloads found on disk (also those from before an app restart). */
  async listPartial(): Promise<PartialDownload[]> {
    const names = await readdir(this.options.modelsDir).catch(() => [] as string[]);
    const result: PartialDownload[] = [];
    for (const name of names.filter((n) => n.endsWith('.gguf.partial'))) {
      const fileName = name.slice(0, -'.partial'.length);
      const { partial, sidecar } = this.paths(fileName);
      const info = await this.readSidecar(sidecar);
      const size = (await stat(partial).catch(() => null))?.size ?? 0;
      result.push({
        fileName,
        url: info?.source ?? '',
        receivedBytes: size,
        totalBytes: info?.totalBytes ?? null,
        sha256: info?.sha256 ?? null,
        state: [...this.active].some((a) => a.fileName === fileName)
          ? 'downloading'
          : info && ['paused', 'cancelled', 'failed'].includes(info.state) ? info.state : 'interrupted',
        updatedAt: info?.updatedAt ?? new Date(0).toISOString(),
      });
    }
    return result;
  }

  async discardPartial(fileName: string): Promise<void> {
    if ([...this.active].some((a) => a.fileName === fileName)) throw new AppError('CONFLICT', `${fileName} is still downloading; pause or cancel it first.`);
    const { partial, sidecar } = this.paths(fileName);
    await rm(partial, { force: true });
    await rm(sidecar, { force: true });
  }

  async download(input: DownloadInput, opts: { signal?: AbortSignal } = {}): Promise<DownloadResult> {
    const { requestId } = input;
    await mkdir(this.options.modelsDir, { recursive: true });
    const controller = new AbortController();
    const active: Active = { controller, stop: null, fileName: input.fileName ?? '' };
    // The caller's signal stops it: aborted with DOWNLOAD_PAUSE it pauses, otherwise it is cancelled.
    // Either way the partial file stays (discardPartial deletes it).
    const onOuterAbort = (): void => {
      active.stop ??= opts.signal?.reason === DOWNLOAD_PAUSE ? 'pause' : 'cancel';
      controller.abort();
    };
    this.active.add(active);
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      if (opts.signal?.aborted) onOuterAbort();
      // An existing partial of the same name remembers where it came from (resume after restart).
      const named = input.fileName ? await this.readSidecar(this.paths(input.fileName).sidecar) : null;
      const resolved = named?.source === input.url
        ? { url: named.url, fileName: named.fileName, source: named.source }
        : await resolveDownload(input.url, { fileName: input.fileName, hfEndpoint: this.options.hfEndpoint, request: this.request, signal: controller.signal, isOnline: this.options.isOnline });
      if ([...this.active].some((a) => a !== active && a.fileName === resolved.fileName)) {
        throw new AppError('CONFLICT', `${resolved.fileName} is already being downloaded.`);
      }
      active.fileName = resolved.fileName;
      return await this.run(requestId, active, resolved, input);
    } catch (error) {
      if (active.stop && !(error instanceof AppError && error.code !== 'CANCELLED')) {
        return { requestId, state: active.stop === 'pause' ? 'paused' : 'cancelled', fileName: active.fileName, path: null, receivedBytes: 0, totalBytes: null, sha256: null };
      }
      throw error;
    } finally {
      opts.signal?.removeEventListener('abort', onOuterAbort);
      this.active.delete(active);
    }
  }

  private async run(requestId: string, active: Active, resolved: { url: string; fileName: string; source: string }, input: DownloadInput): Promise<DownloadResult> {
    const paths = this.paths(resolved.fileName);
    if (await stat(paths.final).catch(() => null)) throw new AppError('CONFLICT', `${resolved.fileName} already exists in the models folder.`);
    const previous = await this.readSidecar(paths.sidecar);
    if (previous && previous.source !== resolved.source && (await stat(paths.partial).catch(() => null))) {
      throw new AppError('CONFLICT', `A partial download of ${resolved.fileName} from another source exists; discard it first.`);
    }
    const sidecar: Sidecar = {
      version: 1,
      source: resolved.source,
      url: resolved.url,
      fileName: resolved.fileName,
      totalBytes: input.sizeBytes ?? previous?.totalBytes ?? null,
      sha256: input.sha256?.toLowerCase() ?? previous?.sha256 ?? null,
      etag: previous?.etag ?? null,
      lastModified: previous?.lastModified ?? null,
      state: 'starting',
      updatedAt: '',
    };
    let received = (await stat(paths.partial).catch(() => null))?.size ?? 0;
    let lastEmit = 0;
    let windowStart = { at: performance.now(), bytes: received };
    const progress = (state: DownloadState, error: string | null = null, force = true): void => {
      const now = performance.now();
      if (!force && now - lastEmit < (this.options.progressIntervalMs ?? 250)) return;
      lastEmit = now;
      const seconds = (now - windowStart.at) / 1000;
      this.emitter.emit('progress', {
        requestId, fileName: resolved.fileName, url: resolved.source, state, receivedBytes: received, totalBytes: sidecar.totalBytes,
        bytesPerSecond: seconds > 0 ? Math.max(0, (received - windowStart.bytes) / seconds) : 0, error,
      } satisfies DownloadProgress);
    };
    const stopped = async (): Promise<DownloadResult> => {
      const state = active.stop === 'pause' ? 'paused' : 'cancelled';
      if (await stat(paths.partial).catch(() => null)) await this.writeSidecar(paths.sidecar, { ...sidecar, state });
      progress(state);
      return { requestId, state, fileName: resolved.fileName, path: null, receivedBytes: received, totalBytes: sidecar.totalBytes, sha256: null };
    };
    progress('starting');
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      if (active.stop) return stopped();
      if (sidecar.totalBytes !== null && received === sidecar.totalBytes) break;
      windowStart = { at: performance.now(), bytes: received };
      try {
        const done = await this.attempt(active, sidecar, paths, received, (n) => {
          received = n;
          progress('downloading', null, false);
        });
        received = done;
        if (sidecar.totalBytes === null || received >= sidecar.totalBytes) break;
        throw new Interrupted('the server closed the connection early');
      } catch (error) {
        if (active.stop) return stopped();
        received = (await stat(paths.partial).catch(() => null))?.size ?? 0;
        if (!(error instanceof Interrupted)) {
          await this.writeSidecar(paths.sidecar, { ...sidecar, state: 'failed' }).catch(() => undefined);
          progress('failed', error instanceof Error ? error.message : String(error));
          throw error;
        }
        if (attempt >= retries) {
          await this.writeSidecar(paths.sidecar, { ...sidecar, state: 'interrupted' });
          const of = sidecar.totalBytes !== null ? ` of ${fmt(sidecar.totalBytes)}` : '';
          const message = `The connection was interrupted after ${fmt(received)}${of}; the partial download is kept and resumes where it stopped.`;
          progress('interrupted', message);
          throw new AppError('UNAVAILABLE', message);
        }
        await new Promise((done) => setTimeout(done, this.options.retryDelayMs ?? 1000));
      }
    }
    progress('verifying');
    const sha256 = await this.verify(paths, sidecar, input.sizeBytes ?? null);
    await rename(paths.partial, paths.final);
    await rm(paths.sidecar, { force: true });
    progress('completed');
    return { requestId, state: 'completed', fileName: resolved.fileName, path: paths.final, receivedBytes: received, totalBytes: sidecar.totalBytes, sha256 };
  }

  /** One HTTP request from `from` to the end (or until the connection drops). Returns the new size. */
  private async attempt(active: Active, sidecar: Sidecar, paths: { partial: string; sidecar: string }, from: number, onBytes: (n: number) => void): Promise<number> {
    const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
    if (from > 0) {
      headers.Range = `bytes=${from}-`;
      // If the file changed on the server, If-Range makes it answer 200 with the whole new file.
      const validator = sidecar.etag && !sidecar.etag.startsWith('W/') ? sidecar.etag : sidecar.lastModified;
      if (validator) headers['If-Range'] = validator;
    }
    let response: HttpResponse;
    try {
      response = await this.request(sidecar.url, { headers, signal: active.controller.signal, timeoutMs: this.options.timeoutMs });
    } catch (error) {
      if (active.stop || error instanceof AppError) throw error;
      if (isOfflineError(error)) {
        throw new AppError('UNAVAILABLE', `${unreachableReason(new URL(sidecar.url).host, error, (this.options.isOnline ?? machineHasNetwork)())}. The download can be resumed later.`);
      }
      throw new Interrupted(networkErrorCode(error));
    }
    try {
      return await this.receive(active, sidecar, paths, from, response, onBytes);
    } finally {
      // Unread (error answers, early exits) or fully read: either way the connection is done with.
      response.body.destroy();
    }
  }

  private async receive(active: Active, sidecar: Sidecar, paths: { partial: string; sidecar: string }, from: number, response: HttpResponse, onBytes: (n: number) => void): Promise<number> {
    let offset = from;
    if (response.status === 416 && from > 0) {
      if (sidecar.totalBytes !== null && from >= sidecar.totalBytes) return from;
      // The partial is longer than the file (it changed on the server): start again.
      await rm(paths.partial, { force: true });
      throw new Interrupted('range not satisfiable');
    }
    if (response.status === 404 || response.status === 410) throw new AppError('NOT_FOUND', `The server has no file at ${sidecar.url} (HTTP ${response.status}).`);
    if (response.status === 401 || response.status === 403) throw new AppError('FORBIDDEN', `The server refused the download (HTTP ${response.status}); the model may need a login or an access token.`);
    if (response.status >= 500) throw new Interrupted(`HTTP ${response.status}`);
    if (response.status !== 200 && response.status !== 206) throw new AppError('UNAVAILABLE', `The server answered HTTP ${response.status} for ${sidecar.url}.`);
    const length = Number(response.header('content-length') ?? Number.NaN);
    if (response.status === 206) {
      const range = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(response.header('content-range') ?? '');
      if (!range || Number(range[1]) !== from) throw new AppError('UNAVAILABLE', 'The server answered a resume request with the wrong byte range.');
      if (range[3] !== '*') sidecar.totalBytes ??= Number(range[3]);
    } else {
      // 200: the server sends the whole file (no range support, or the file changed).
      offset = 0;
      if (Number.isFinite(length)) sidecar.totalBytes = sidecar.totalBytes ?? length;
    }
    if (sidecar.totalBytes !== null && Number.isFinite(length) && offset + length !== sidecar.totalBytes) {
      throw new AppError('MODEL_ERROR', `The server's file is ${fmt(offset + length)} but ${fmt(sidecar.totalBytes)} was expected.`);
    }
    sidecar.etag = response.header('etag') ?? sidecar.etag;
    sidecar.lastModified = response.header('last-modified') ?? sidecar.lastModified;
    if (sidecar.totalBytes !== null) {
      const free = await (this.options.freeSpace ?? defaultFreeSpace)(this.options.modelsDir);
      const needed = sidecar.totalBytes - offset;
      if (needed + SPACE_MARGIN > free) {
        throw new AppError('UNAVAILABLE', `Not enough disk space for ${sidecar.fileName}: ${fmt(needed)} more is needed, ${fmt(free)} is free.`);
      }
    }
    await this.writeSidecar(paths.sidecar, { ...sidecar, state: 'downloading' });
    const file = await open(paths.partial, offset === 0 ? 'w' : 'r+');
    let position = offset;
    try {
      await readBody(response.body, async (chunk) => {
        await file.write(chunk, 0, chunk.length, position);
        position += chunk.length;
        onBytes(position);
      }, this.options.timeoutMs);
    } catch (error) {
      if (active.stop || error instanceof AppError) throw error;
      if ((error as { code?: unknown }).code === 'ENOSPC') throw new AppError('UNAVAILABLE', `The disk is full; ${sidecar.fileName} stopped at ${fmt(position)} (the partial file is kept).`);
      throw new Interrupted(networkErrorCode(error));
    } finally {
      await file.truncate(position).catch(() => undefined);
      await file.close();
    }
    return position;
  }

  private async verify(paths: { partial: string; sidecar: string }, sidecar: Sidecar, expectedSize: number | null): Promise<string> {
    const discard = async (message: string): Promise<never> => {
      await rm(paths.partial, { force: true });
      await rm(paths.sidecar, { force: true });
      throw new AppError('MODEL_ERROR', `${message} The download was discarded.`);
    };
    const size = (await stat(paths.partial)).size;
    const expected = expectedSize ?? sidecar.totalBytes;
    if (expected !== null && size !== expected) await discard(`${sidecar.fileName} is ${size} bytes but ${expected} were expected.`);
    const hash = createHash('sha256');
    let head: Buffer | null = null;
    for await (const chunk of createReadStream(paths.partial, { highWaterMark: 1 << 20 })) {
      const buffer = chunk as Buffer;
      head ??= buffer.subarray(0, 4);
      hash.update(buffer);
    }
    const sha256 = hash.digest('hex');
    if (sidecar.sha256 && sidecar.sha256 !== sha256) await discard(`Checksum mismatch for ${sidecar.fileName}: expected sha256 ${sidecar.sha256}, got ${sha256}.`);
    if (head?.toString('latin1') !== 'GGUF') await discard(`${sidecar.fileName} is not a GGUF model file (the server sent something else, such as a web page).`);
    return sha256;
  }
}
