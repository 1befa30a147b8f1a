import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTestGguf } from '../../scripts/make-test-gguf';
import { AppError } from '@shared/contract/errors';
import { inspectGguf } from './gguf-inspect';

const dir = mkdtempSync(join(tmpdir(), 'fm-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('inspectGguf', () => {
  it('summarises a generated model without loading it', async () => {
    const model = writeTestGguf(join(dir, 'tiny.gguf'), { nEmbd: 64, nLayers: 2, vocabSize: 512, contextLength: 2048, name: 'tiny' });
    const summary = await inspectGguf(model.path);
    expect(summary).toMatchObject({
      fileName: 'tiny.gguf',
      sizeBytes: model.bytes,
      ggufVersion: 3,
      architecture: 'llama',
      name: 'tiny',
      parameterCount: model.parameters,
      quantisation: 'MOSTLY_Q8_0',
      contextLength: 2048,
      embeddingLength: 64,
      layers: 2,
      heads: 4,
      vocabSize: 512,
      chatTemplate: true,
      problems: [],
      loadable: true,
    });
  });

  it('reports no chat template and F32 quantisation when so', async () => {
    const model = writeTestGguf(join(dir, 'plain.gguf'), { type: 'f32', chatTemplate: false });
    const summary = await inspectGguf(model.path);
    expect(summary.chatTemplate).toBe(false);
    expect(summary.quantisation).toBe('ALL_F32');
  });

  it.each([
    ['llama.feed_forward_length'],
    ['llama.attention.head_count'],
    ['llama.embedding_length'],
    ['llama.context_length'],
  ])('flags a header without %s as not loadable, with the reason', async (key) => {
    const model = writeTestGguf(join(dir, `no-${key}.gguf`), { omitKeys: [key] });
    const summary = await inspectGguf(model.path);
    expect(summary.loadable).toBe(false);
    expect(summary.problems.join(' ')).toContain(key);
  });

  it('flags a rope dimension that does not match the head size', async () => {
    // 64-dim with 4 heads means head_dim 16; dropping the key is fine, a wrong value is not.
    const model = writeTestGguf(join(dir, 'rope.gguf'), { nEmbd: 64, nHeads: 2 });
    const bytes = readFileSync(model.path);
    const key = Buffer.from('llama.rope.dimension_count');
    const at = bytes.indexOf(key) + key.length + 4; // skip the value type
    bytes.writeUInt32LE(16, at);
    writeFileSync(join(dir, 'rope-bad.gguf'), bytes);
    const summary = await inspectGguf(join(dir, 'rope-bad.gguf'));
    expect(summary.problems.join(' ')).toMatch(/rope\.dimension_count \(16\) must equal the head dimension \(32\)/);
  });

  it('gives a clear error for a truncated file', async () => {
    const model = writeTestGguf(join(dir, 'whole.gguf'));
    const bytes = readFileSync(model.path);
    writeFileSync(join(dir, 'half.gguf'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    writeFileSync(join(dir, 'header-cut.gguf'), bytes.subarray(0, 200));
    const half = await errorOf(inspectGguf(join(dir, 'half.gguf')));
    expect(half.code).toBe('MODEL_ERROR');
    expect(half.message).toMatch(/half\.gguf is truncated/);
    expect((await errorOf(inspectGguf(join(dir, 'header-cut.gguf')))).message).toMatch(/truncated|unreadable/);
  });

  it('gives a clear error for files that are not GGUF, empty, missing or folders', async () => {
    writeFileSync(join(dir, 'notes.gguf'), 'these are meeting notes, not a model');
    writeFileSync(join(dir, 'empty.gguf'), '');
    expect((await errorOf(inspectGguf(join(dir, 'notes.gguf')))).message).toBe('notes.gguf is not a GGUF model file (it does not start with "GGUF").');
    expect((await errorOf(inspectGguf(join(dir, 'empty.gguf')))).message).toMatch(/empty/);
    expect((await errorOf(inspectGguf(join(dir, 'missing.gguf')))).code).toBe('NOT_FOUND');
    expect((await errorOf(inspectGguf(dir))).code).toBe('VALIDATION');
  });
});
