import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GgmlType, readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, describe, expect, it } from 'vitest';
import { CHATML_TEMPLATE, writeTestGguf } from './make-test-gguf';

const dir = mkdtempSync(join(tmpdir(), 'fm-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('writeTestGguf', () => {
  it('writes the same bytes for the same seed and different bytes for another seed', () => {
    const a = writeTestGguf(join(dir, 'a.gguf'), { seed: 7 });
    const b = writeTestGguf(join(dir, 'b.gguf'), { seed: 7 });
    const c = writeTestGguf(join(dir, 'c.gguf'), { seed: 8 });
    expect(sha(a.path)).toBe(sha(b.path));
    expect(sha(a.path)).not.toBe(sha(c.path));
    expect(statSync(a.path).size).toBe(a.bytes);
  });

  it('produces a GGUF v3 header node-llama-cpp reads: llama shape, tokenizer, ChatML template, aligned tensors', async () => {
    const summary = writeTestGguf(join(dir, 'shape.gguf'), { nEmbd: 64, nLayers: 3, nHeads: 4, nHeadsKv: 2, vocabSize: 600, contextLength: 1536 });
    const info = await readGgufFileInfo(summary.path, { logWarnings: false });
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe('llama');
    const arch = info.architectureMetadata;
    expect(arch.embedding_length).toBe(64);
    expect(arch.block_count).toBe(3);
    expect(arch.context_length).toBe(1536);
    expect(arch.attention?.head_count).toBe(4);
    expect(arch.attention?.head_count_kv).toBe(2);
    expect(arch.rope?.dimension_count).toBe(16);
    const tokenizer = info.metadata.tokenizer;
    expect(tokenizer.ggml.model).toBe('llama');
    expect(tokenizer.ggml.tokens).toHaveLength(600);
    expect(tokenizer.ggml.tokens).toContain('<0x0A>');
    expect(tokenizer.ggml.tokens).toContain('<|im_end|>');
    expect(tokenizer.chat_template).toBe(CHATML_TEMPLATE);
    expect(new Set(tokenizer.ggml.tokens).size).toBe(600);
    const tensors = info.tensorInfo ?? [];
    expect(tensors).toHaveLength(2 + 3 * 9 + 1);
    expect(tensors.find((t) => t.name === 'token_embd.weight')?.dimensions.map(Number)).toEqual([64, 600]);
    expect(tensors.find((t) => t.name === 'blk.0.attn_k.weight')?.dimensions.map(Number)).toEqual([64, 32]);
    expect(tensors.find((t) => t.name === 'blk.0.attn_q.weight')?.ggmlType).toBe(GgmlType.Q8_0);
    expect(tensors.find((t) => t.name === 'blk.0.attn_norm.weight')?.ggmlType).toBe(GgmlType.F32);
    for (const t of tensors) expect(Number(t.fileOffset) % 32).toBe(0);
  });

  it('writes F32 weights when asked', async () => {
    const summary = writeTestGguf(join(dir, 'f32.gguf'), { type: 'f32' });
    const info = await readGgufFileInfo(summary.path, { logWarnings: false });
    expect(new Set((info.tensorInfo ?? []).map((t) => t.ggmlType))).toEqual(new Set([GgmlType.F32]));
    expect(summary.bytes).toBeGreaterThan(summary.parameters * 4);
  });

  it('omits metadata keys and the chat template on request', async () => {
    const summary = writeTestGguf(join(dir, 'omit.gguf'), { omitKeys: ['llama.feed_forward_length'], chatTemplate: false });
    const info = await readGgufFileInfo(summary.path, { logWarnings: false });
    expect(info.architectureMetadata.feed_forward_length).toBeUndefined();
    expect(info.metadata.tokenizer.chat_template).toBeUndefined();
  });

  it('rejects shapes the runtime cannot use', () => {
    expect(() => writeTestGguf(join(dir, 'bad.gguf'), { nEmbd: 48, type: 'q8_0' })).toThrow(/divisible by 32/);
    expect(() => writeTestGguf(join(dir, 'bad.gguf'), { nEmbd: 64, nHeads: 5 })).toThrow(/divisible by nHeads/);
  });
});
