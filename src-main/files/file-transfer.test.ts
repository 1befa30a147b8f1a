import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempCore } from '../../test/helpers/temp-core';
import { transferDirs } from './file-transfer';

const core = createTempCore();
afterAll(() => core.close());

describe('chunked file transfer through the contract', () => {
  it('reassembles an upload from ordered chunks and tolerates a retried chunk', async () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    const parts = [bytes.subarray(0, 1000), bytes.subarray(1000, 2000), bytes.subarray(2000)];
    const send = (index: number) =>
      core.call('files:uploadChunk', { uploadId: 'upload-0001', fileName: '../../evil.xlsx', index, total: 3, data: parts[index]!.toString('base64') });
    expect(await send(0)).toMatchObject({ ok: true, value: { received: 1, complete: false } });
    expect(await send(2)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await send(1)).toMatchObject({ ok: true, value: { received: 2 } });
    expect(await send(1)).toMatchObject({ ok: true, value: { received: 2, bytes: 2000 } }); // a retried chunk
    expect(await send(2)).toMatchObject({ ok: true, value: { received: 3, bytes: 3000, complete: true } });
    const stored = path.join(transferDirs(core.paths.dataDir).uploads, 'upload-0001', 'evil.xlsx');
    expect(fs.readFileSync(stored)).toEqual(bytes);
    expect(await core.call('files:discardUpload', { uploadId: 'upload-0001' })).toMatchObject({ ok: true });
    expect(fs.existsSync(stored)).toBe(false);
  });

  it('rejects bad ids and non-base64 data', async () => {
    expect(await core.call('files:uploadChunk', { uploadId: '../x', fileName: 'a', index: 0, total: 1, data: '' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await core.call('files:uploadChunk', { uploadId: 'upload-0002', fileName: 'a', index: 0, total: 1, data: '%%%' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('downloads only files under exports/, in chunks', async () => {
    const dirs = transferDirs(core.paths.dataDir);
    fs.mkdirSync(dirs.exports, { recursive: true });
    fs.writeFileSync(path.join(dirs.exports, 'report.xlsx'), 'abcdefghij');
    const first = await core.call('files:downloadChunk', { downloadId: 'report.xlsx', offset: 0, length: 6 });
    expect(first).toMatchObject({ ok: true, value: { bytes: 6, size: 10, done: false } });
    const rest = await core.call('files:downloadChunk', { downloadId: 'report.xlsx', offset: 6, length: 6 });
    expect(rest).toMatchObject({ ok: true, value: { bytes: 4, done: true } });
    if (first.ok && rest.ok) {
      const a = first.value as { data: string };
      const b = rest.value as { data: string };
      expect(Buffer.concat([Buffer.from(a.data, 'base64'), Buffer.from(b.data, 'base64')]).toString()).toBe('abcdefghij');
    }
    expect(await core.call('files:downloadChunk', { downloadId: '../fieldmate.sqlite', offset: 0, length: 10 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
