/**
 * Regression tests for the download transport against servers that close the connection themselves:
 * Python's http.server (HTTP/1.0, `Connection: close`, socket closed right after the body) while the
 * downloader consumes the body slowly crashed the whole process through undici's fetch
 * (nodejs/undici#5360, an uncatchable AssertionError), and a server that cuts the body midway.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, pbkdf2, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@shared/contract/errors';
import { ModelDownloader } from './downloader';

const root = mkdtempSync(join(tmpdir(), 'fm-download-transport-'));
// Big enough that the body outlives every socket and stream buffer while the writes are slow.
const body = Buffer.concat([Buffer.from('GGUF'), randomBytes(512 * 1024)]);
const bodySha = createHash('sha256').update(body).digest('hex');
let python: ChildProcess | null = null;
let pythonBase = '';

/**
 * A slow disk: file writes run on libuv's thread pool, so filling the pool with slow jobs makes the
 * downloader's next write wait (asynchronously, like a busy disk) while the server has long sent
 * everything and closed the socket.
 */
function slowDisk(): void {
  for (let i = 0; i < 4; i++) pbkdf2('fieldmate', 'slow-disk', 20_000, 32, 'sha256', () => undefined);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((done) => {
      const req = request(url, { method: 'HEAD' }, (res) => {
        res.resume();
        done(res.statusCode === 200);
      });
      req.on('error', () => done(false));
      req.end();
    });
    if (ok) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`${url} did not come up`);
}

beforeAll(async () => {
  const served = join(root, 'served');
  mkdirSync(served);
  writeFileSync(join(served, 'big.gguf'), body);
  const port = await freePort();
  python = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', served], { stdio: 'ignore' });
  pythonBase = `http://127.0.0.1:${port}`;
  await waitForHttp(`${pythonBase}/big.gguf`);
});

afterAll(() => {
  python?.kill();
  rmSync(root, { recursive: true, force: true });
});

let dirIndex = 0;
function modelsDir(): string {
  const dir = join(root, `models-${++dirIndex}`);
  mkdirSync(dir);
  return dir;
}

describe('download transport', () => {
  it('completes a download from python http.server (closes after the body) while writes are slow', async () => {
    const dir = modelsDir();
    const downloader = new ModelDownloader({ modelsDir: dir, progressIntervalMs: 0, retries: 0 });
    let writes = 0;
    downloader.onProgress((p) => {
      if (p.state !== 'downloading') return;
      writes++;
      slowDisk();
    });
    const result = await downloader.download({ requestId: 'py1', url: `${pythonBase}/big.gguf`, sha256: bodySha, sizeBytes: body.length });
    expect(result).toMatchObject({ state: 'completed', fileName: 'big.gguf', receivedBytes: body.length, sha256: bodySha });
    expect(writes).toBeGreaterThan(1);
    expect(readFileSync(join(dir, 'big.gguf')).equals(body)).toBe(true);
  });

  describe('a server that cuts the connection mid-body', () => {
    let server: Server;
    let base = '';
    let cut = true;
    const ranges: (string | null)[] = [];
    const half = Math.floor(body.length / 2);

    beforeAll(async () => {
      // A raw socket server: exact control over when the connection closes.
      server = createServer((socket: Socket) => {
        let head = '';
        socket.on('data', (data: Buffer) => {
          head += data.toString('latin1');
          if (!head.includes('\r\n\r\n')) return;
          const range = /^range: bytes=(\d+)-\r?$/im.exec(head);
          ranges.push(range ? `bytes=${range[1]}-` : null);
          const from = range ? Number(range[1]) : 0;
          const status = range ? '206 Partial Content' : '200 OK';
          const contentRange = range ? `Content-Range: bytes ${from}-${body.length - 1}/${body.length}\r\n` : '';
          socket.write(`HTTP/1.1 ${status}\r\nContent-Length: ${body.length - from}\r\nETag: "cut-v1"\r\nAccept-Ranges: bytes\r\n${contentRange}Connection: close\r\n\r\n`);
          if (cut) socket.end(body.subarray(from, half), () => socket.destroy());
          else socket.end(body.subarray(from), () => socket.destroy());
        });
        socket.on('error', () => undefined);
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((done) => server.close(done));
    });

    it('fails with a clear error, keeps the partial, and a re-run resumes it', async () => {
      const dir = modelsDir();
      const first = new ModelDownloader({ modelsDir: dir, progressIntervalMs: 0, retries: 0 });
      first.onProgress((p) => {
        if (p.state === 'downloading') slowDisk();
      });
      const error = await first.download({ requestId: 'cut1', url: `${base}/cut.gguf`, sha256: bodySha }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('UNAVAILABLE');
      expect((error as AppError).message).toMatch(/^The connection was interrupted after .* of 0\.5 MB; the partial download is kept and resumes where it stopped\.$/);
      const partial = join(dir, 'cut.gguf.partial');
      const kept = statSync(partial).size;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThanOrEqual(half);
      expect(readFileSync(partial).equals(body.subarray(0, kept))).toBe(true);

      cut = false;
      ranges.length = 0;
      const second = new ModelDownloader({ modelsDir: dir, retries: 0 });
      const result = await second.download({ requestId: 'cut2', url: `${base}/cut.gguf`, sha256: bodySha });
      expect(result).toMatchObject({ state: 'completed', sha256: bodySha, receivedBytes: body.length });
      expect(ranges).toEqual([`bytes=${kept}-`]);
      expect(readFileSync(join(dir, 'cut.gguf')).equals(body)).toBe(true);
      expect(existsSync(partial)).toBe(false);
    });
  });

  it('follows up to 5 redirects and refuses a 6th or a redirect to plain http off loopback', async () => {
    const server = createHttpServer((req, res) => {
      const hop = /^\/hop\/(\d+)\/model\.gguf$/.exec(req.url ?? '');
      if (req.url === '/away/model.gguf') res.writeHead(302, { Location: 'http://example.com/model.gguf' }).end();
      else if (hop && hop[1] !== '0') res.writeHead(hop[1] === '1' ? 307 : 302, { Location: `/hop/${Number(hop[1]) - 1}/model.gguf` }).end();
      else if (hop) res.writeHead(200, { 'Content-Length': body.length }).end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const result = await new ModelDownloader({ modelsDir: modelsDir(), retries: 0 }).download({ requestId: 'h5', url: `${base}/hop/5/model.gguf`, sha256: bodySha });
      expect(result).toMatchObject({ state: 'completed', sha256: bodySha });
      const downloader = new ModelDownloader({ modelsDir: modelsDir(), retries: 0 });
      const tooMany = await downloader.download({ requestId: 'h6', url: `${base}/hop/6/model.gguf` }).then(() => null, (e: unknown) => e);
      expect(tooMany).toBeInstanceOf(AppError);
      expect((tooMany as AppError).message).toBe(`The download of ${base}/hop/6/model.gguf was redirected more than 5 times.`);
      const insecure = await downloader.download({ requestId: 'h7', url: `${base}/away/model.gguf` }).then(() => null, (e: unknown) => e);
      expect(insecure).toBeInstanceOf(AppError);
      expect((insecure as AppError).message).toBe('The server redirected the download to http://example.com; only https:// URLs can be downloaded.');
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });

  it('gives up on a server that stops sending mid-body (idle timeout), keeping the partial', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': body.length });
      res.write(body.subarray(0, 64 * 1024));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dir = modelsDir();
      const downloader = new ModelDownloader({ modelsDir: dir, retries: 0, timeoutMs: 300 });
      const error = await downloader.download({ requestId: 't1', url: `${base}/stall.gguf` }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toMatch(/^The connection was interrupted after 0\.1 MB of 0\.5 MB; the partial download is kept/);
      expect(statSync(join(dir, 'stall.gguf.partial')).size).toBe(64 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});
