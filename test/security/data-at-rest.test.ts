import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '@main/composition/create-core';
import { fileLogger } from '@main/core/logger';
import { writeBackup } from '@main/db/backups';
import { transferDirs } from '@main/files/file-transfer';
import { cleanFolder } from '@main/files/transfer-cleanup';
import { createTempCore, tempDir } from '../helpers/temp-core';

const opened: Core[] = [];
afterEach(async () => {
  for (const core of opened.splice(0)) await core.close();
});

function open(dataDir: string): Core {
  const core = createTempCore({ dataDir });
  opened.push(core);
  return core;
}

const mode = (target: string) => fs.statSync(target).mode & 0o777;
const DAY = 24 * 60 * 60 * 1000;

function age(target: string, ms: number): void {
  const at = new Date(Date.now() - ms);
  for (const inner of fs.statSync(target).isDirectory() ? fs.readdirSync(target).map((n) => path.join(target, n)) : []) fs.utimesSync(inner, at, at);
  fs.utimesSync(target, at, at);
}

function put(file: string, bytes: number, ageMs = 0): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.alloc(bytes, 1));
  age(path.dirname(file), ageMs);
  return path.dirname(file);
}

describe('the data folder is owner-only', () => {
  it('a new data folder, store, WAL, backups, logs and uploads are 0700 / 0600', async () => {
    const dataDir = path.join(tempDir(), 'Fieldmate');
    const core = open(dataDir);
    await core.call('leads:create', { name: 'Private client' });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(core.paths.dbFile)).toBe(0o600);
    expect(mode(`${core.paths.dbFile}-wal`)).toBe(0o600);
    const backup = await writeBackup(core.db, core.paths.dbFile);
    expect(mode(path.dirname(backup.file))).toBe(0o700);
    expect(mode(backup.file)).toBe(0o600);
    fileLogger(core.paths.logFile)('a line that names a client');
    expect(mode(path.dirname(core.paths.logFile))).toBe(0o700);
    expect(mode(core.paths.logFile)).toBe(0o600);
    const upload = await core.call('files:uploadChunk', { uploadId: 'upload-perm-1', fileName: 'lot.csv', index: 0, total: 1, data: Buffer.from('a;b\n').toString('base64') });
    expect(upload).toMatchObject({ ok: true });
    const dirs = transferDirs(dataDir);
    expect(mode(dirs.uploads)).toBe(0o700);
    expect(mode(path.join(dirs.uploads, 'upload-perm-1'))).toBe(0o700);
    expect(mode(path.join(dirs.uploads, 'upload-perm-1', 'lot.csv'))).toBe(0o600);
  });

  it('an existing world-readable store and folder are tightened when opened', async () => {
    const dataDir = tempDir();
    const first = createTempCore({ dataDir });
    const dbFile = first.paths.dbFile;
    const logFile = first.paths.logFile;
    await first.close();
    fs.chmodSync(dataDir, 0o755);
    fs.chmodSync(dbFile, 0o644);
    fs.mkdirSync(path.dirname(logFile), { recursive: true, mode: 0o755 });
    fs.writeFileSync(logFile, 'old line\n', { mode: 0o644 });
    open(dataDir);
    fileLogger(logFile);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(dbFile)).toBe(0o600);
    expect(mode(logFile)).toBe(0o600);
  });
});

describe('uploads and exports do not pile up', () => {
  it('drops entries older than the age limit and the oldest beyond the size cap, never the newest', () => {
    const dir = tempDir();
    const old = put(path.join(dir, 'old', 'a.xlsx'), 10, 2 * DAY);
    const a = put(path.join(dir, 'a', 'a.xlsx'), 1000, 3000);
    const b = put(path.join(dir, 'b', 'b.xlsx'), 1000, 2000);
    const c = put(path.join(dir, 'c', 'c.xlsx'), 1000, 1000);
    expect(cleanFolder(dir, { maxBytes: 2500 })).toEqual([old, a]);
    expect(fs.readdirSync(dir).sort()).toEqual(['b', 'c']);
    expect(cleanFolder(dir, { maxBytes: 10 })).toEqual([b]);
    expect(fs.existsSync(c)).toBe(true);
  });

  it('are swept at start-up, when an upload starts and when a download finishes', async () => {
    const dataDir = tempDir();
    const dirs = transferDirs(dataDir);
    const staleUpload = put(path.join(dirs.uploads, 'upload-old-1', 'lot.xlsx'), 100, 2 * DAY);
    const freshUpload = put(path.join(dirs.uploads, 'upload-new-1', 'lot.xlsx'), 100);
    const core = open(dataDir);
    expect(fs.existsSync(staleUpload)).toBe(false);
    expect(fs.existsSync(freshUpload)).toBe(true);

    const staleExport = put(path.join(dirs.exports, 'analysis-old', 'lot.xlsx'), 100, 2 * DAY);
    await core.call('files:uploadChunk', { uploadId: 'upload-new-2', fileName: 'b.csv', index: 0, total: 2, data: Buffer.from('x').toString('base64') });
    expect(fs.existsSync(staleExport)).toBe(false);

    const anotherStale = put(path.join(dirs.exports, 'analysis-old-2', 'lot.xlsx'), 100, 2 * DAY);
    put(path.join(dirs.exports, 'analysis-new', 'lot.xlsx'), 100);
    const read = await core.call('files:downloadChunk', { downloadId: 'analysis-new/lot.xlsx', offset: 0, length: 1000 });
    expect(read).toMatchObject({ ok: true, value: { done: true } });
    expect(fs.existsSync(anotherStale)).toBe(false);
    expect(fs.existsSync(path.join(dirs.exports, 'analysis-new', 'lot.xlsx'))).toBe(true);
  });
});
