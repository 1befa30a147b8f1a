import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { inspectGguf } from '@main/models/gguf-inspect';
import { scanModels } from '@main/models/model-catalog';

/*
 * Hostile GGUF headers in the models folder (issue 13 item 5). Before the bounded header walk, a
 * 41-byte file with an absurd key count made models:list never answer and a 73-byte one took 2.4 GB:
 * node-llama-cpp's reader trusts every count and length. Each file here must be listed as broken with
 * a reason, and the listing must end (the vitest timeout is the bound; no timing assertion).
 */

const dir = mkdtempSync(join(tmpdir(), 'fm-gguf-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Little-endian GGUF pieces. */
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};
const str = (s: string) => Buffer.concat([u64(BigInt(Buffer.byteLength(s))), Buffer.from(s)]);
const header = (tensors: bigint, keys: bigint) => Buffer.concat([Buffer.from('GGUF'), u32(3), u64(tensors), u64(keys)]);
const pad = (b: Buffer, size: number) => Buffer.concat([b, Buffer.alloc(Math.max(0, size - b.length))]);

/** An array value (item type, count, items) nested `depth` levels deep, one item per level, ending in a uint8. */
function nested(depth: number): Buffer {
  if (depth === 1) return Buffer.concat([u32(0), u64(1n), Buffer.from([7])]);
  return Buffer.concat([u32(9), u64(1n), nested(depth - 1)]);
}

const hostile: Record<string, Buffer> = {
  // 41 bytes: 2^62 keys.
  'absurd-key-count.gguf': pad(header(0n, 1n << 62n), 41),
  // A key count that fits in memory but not in the file.
  'key-count-past-end.gguf': pad(header(0n, 1_000n), 73),
  'absurd-tensor-count.gguf': pad(header(1n << 40n, 0n), 73),
  // A key whose length is 2^40 bytes.
  'absurd-key-length.gguf': pad(Buffer.concat([header(0n, 1n), u64(1n << 40n)]), 73),
  // A string value of 1 TB in a 73-byte file.
  'absurd-string-length.gguf': pad(Buffer.concat([header(0n, 1n), str('general.name'), u32(8), u64(1n << 40n)]), 73),
  // 2^34 uint8 items: a reader that builds a JS array of them takes gigabytes.
  'absurd-array-length.gguf': pad(Buffer.concat([header(0n, 1n), str('a'), u32(9), u32(0), u64(1n << 34n)]), 73),
  // 2^28 empty strings would be 2 GB of file; the file has 73 bytes.
  'absurd-string-array.gguf': pad(Buffer.concat([header(0n, 1n), str('a'), u32(9), u32(8), u64(1n << 28n)]), 73),
  'nested-arrays.gguf': Buffer.concat([header(0n, 1n), str('a'), u32(9), nested(64)]),
  'unknown-value-type.gguf': pad(Buffer.concat([header(0n, 1n), str('a'), u32(99)]), 73),
  'zero-alignment.gguf': Buffer.concat([header(0n, 1n), str('general.alignment'), u32(4), u32(0), Buffer.alloc(64)]),
  'absurd-dimensions.gguf': Buffer.concat([header(1n, 0n), str('t'), u32(0x7fffffff), Buffer.alloc(64)]),
  'huge-tensor.gguf': Buffer.concat([header(1n, 0n), str('t'), u32(2), u64(1n << 40n), u64(1n << 40n), u32(0), u64(0n), Buffer.alloc(64)]),
  'version-9.gguf': pad(Buffer.concat([Buffer.from('GGUF'), u32(9)]), 41),
  'only-magic.gguf': Buffer.from('GGUF'),
};

describe('hostile GGUF headers', () => {
  for (const [name, bytes] of Object.entries(hostile)) writeFileSync(join(dir, name), bytes);
  const valid = writeTestGguf(join(dir, 'valid.gguf'), { nEmbd: 64, nLayers: 1, vocabSize: 300, contextLength: 256 });
  const whole = writeTestGguf(join(dir, 'cut-source.bin'), { nEmbd: 64, nLayers: 1, vocabSize: 300 });
  // Cut inside the vocabulary: the header promises strings the file no longer has.
  writeFileSync(join(dir, 'truncated.gguf'), readFileSync(whole.path).subarray(0, 600));

  it.each(Object.keys(hostile))('%s is refused with a reason', { timeout: 20_000 }, async (name) => {
    const error = await inspectGguf(join(dir, name)).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(new RegExp(`^${name.replace('.', '\\.')} (has an unreadable GGUF header|is not a GGUF model file|is truncated)`));
  });

  it('lists the folder: the valid model is loadable, every hostile file is broken with a reason', { timeout: 20_000 }, async () => {
    const entries = await scanModels({ folders: [{ path: dir, source: 'user' }] });
    const byName = new Map(entries.map((e) => [e.fileName, e]));
    expect(byName.get('valid.gguf')?.summary?.loadable).toBe(true);
    expect(byName.get('valid.gguf')?.summary?.vocabSize).toBe(valid.vocabSize);
    for (const name of [...Object.keys(hostile), 'truncated.gguf']) {
      const entry = byName.get(name);
      expect(entry?.summary, name).toBeNull();
      expect(entry?.error, name).toMatch(/unreadable GGUF header|not a GGUF model file|truncated/);
    }
    expect(byName.get('absurd-key-count.gguf')?.error).toMatch(/key count is above 2\^53, more than the 65,536 allowed/);
    expect(byName.get('absurd-string-length.gguf')?.error).toMatch(/general\.name is 1,099,511,627,776 bytes long/);
    expect(byName.get('absurd-array-length.gguf')?.error).toMatch(/length of a is 17,179,869,184/);
    expect(byName.get('nested-arrays.gguf')?.error).toMatch(/nests arrays more than 3 deep/);
    expect(byName.get('only-magic.gguf')?.error).toBe('only-magic.gguf is truncated: its header describes 8 bytes but the file has 4. Download it again.');
  });
});
