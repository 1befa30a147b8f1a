/**
 * Deterministic writer of small, valid GGUF models (llama architecture, seeded random weights, an SPM
 * tokenizer with byte fallback tokens, ChatML special tokens and a ChatML chat template).
 *
 * No model can be downloaded on the development and CI machines, so tests and benchmarks make their own.
 * Speed depends on the shape, not on the weight values, so `benchModelShape` gives a realistically sized
 * (~0.4B parameters, Q8_0) model for the benchmark. Weights are written in large chunks straight from a
 * fast PRNG (Q8_0 blocks are generated directly, never quantised from floats).
 *
 * CLI: `npm run make:test-model` writes models/fieldmate-test.gguf; `-- --preset bench --out file.gguf`
 * writes the benchmark model; `--help` lists the shape options.
 */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export type TestGgufTensorType = 'f32' | 'q8_0';

export interface TestGgufOptions {
  /** PRNG seed: the same seed and shape always produce the same bytes. */
  seed?: number;
  nEmbd?: number;
  nLayers?: number;
  nHeads?: number;
  /** Grouped-query attention: must divide nHeads. Defaults to nHeads. */
  nHeadsKv?: number;
  /** Feed-forward width; defaults to 8/3 · nEmbd rounded up to a multiple of 32. */
  nFf?: number;
  vocabSize?: number;
  contextLength?: number;
  /** Type of the 2-D weight tensors (norms are always F32). Q8_0 needs nEmbd and nFf divisible by 32. */
  type?: TestGgufTensorType;
  name?: string;
  /** ChatML by default; `false` omits `tokenizer.chat_template`. */
  chatTemplate?: string | false;
  /** Metadata keys to leave out, e.g. `llama.feed_forward_length` makes a file that aborts the loader. */
  omitKeys?: string[];
  /** Standard deviation of the random weights. */
  weightStd?: number;
}

export interface TestGgufSummary {
  path: string;
  bytes: number;
  parameters: number;
  tensors: number;
  vocabSize: number;
}

/** Roughly the shape of a 0.5B chat model: 896-dim, 24 layers, 14 heads (2 KV heads), vocab 32k, Q8_0. */
export const benchModelShape: Required<Pick<TestGgufOptions, 'nEmbd' | 'nLayers' | 'nHeads' | 'nHeadsKv' | 'nFf' | 'vocabSize' | 'contextLength' | 'type'>> = {
  nEmbd: 896,
  nLayers: 24,
  nHeads: 14,
  nHeadsKv: 2,
  nFf: 4864,
  vocabSize: 32_000,
  contextLength: 4096,
  type: 'q8_0',
};

/** The tiny shape the tests use: loads in milliseconds and runs at >1,000 tokens/s on one thread. */
export const tinyModelShape = { nEmbd: 64, nLayers: 2, nHeads: 4, vocabSize: 512, contextLength: 2048, type: 'q8_0' } as const;

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}" +
  "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const enum TokenType { Normal = 1, Unknown = 2, Control = 3, Byte = 6 }

/**
 * SentencePiece-style vocabulary: <unk>, <s>, </s>, the ChatML markers, the 256 byte-fallback tokens
 * <0x00>…<0xFF>, single characters (▁ marks a word start), then multi-character pieces in order of
 * length. Every piece's prefix one character shorter is already in the vocabulary, so the SPM bigram
 * merges can reach it; earlier pieces get higher scores (merged first).
 */
function buildSpmVocab(size: number): { tokens: string[]; scores: Float32Array; types: Int32Array; unk: number; bos: number; eos: number } {
  const tokens = ['<unk>', '<s>', '</s>', '<|im_start|>', '<|im_end|>'];
  const types: number[] = [TokenType.Unknown, TokenType.Control, TokenType.Control, TokenType.Control, TokenType.Control];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TokenType.Byte);
  }
  if (size < tokens.length + 1) throw new Error(`vocabSize must be at least ${tokens.length + 1}.`);
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const chars = ['\u2581', ...letters, ...letters.toUpperCase(), ...'0123456789.,!?\'"-:;()/%&+=*#@$<>[]{}_|~`^\\', ...'ąćęłńóśźżĄĆĘŁŃÓŚŹŻ'];
  const seen = new Set(tokens);
  const add = (piece: string): boolean => {
    if (tokens.length >= size) return false;
    if (seen.has(piece)) return true;
    seen.add(piece);
    tokens.push(piece);
    types.push(TokenType.Normal);
    return true;
  };
  for (const c of chars) if (!add(c)) break;
  // Grow pieces one character at a time from the previous generation (word starts first).
  let generation = ['\u2581', ...letters];
  while (tokens.length < size) {
    const next: string[] = [];
    for (const prefix of generation) for (const c of letters) next.push(prefix + c);
    for (const piece of next) if (!add(piece)) break;
    generation = next;
  }
  const scores = new Float32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) scores[i] = types[i] === TokenType.Normal ? -i : 0;
  return { tokens, scores, types: Int32Array.from(types), unk: 0, bos: 1, eos: 4 };
}

const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const ALIGNMENT = 32;
const enum ValueType { U32 = 4, I32 = 5, F32 = 6, BOOL = 7, STRING = 8, ARRAY = 9 }
const GGML_F32 = 0;
const GGML_Q8_0 = 8;
const FILE_TYPE_ALL_F32 = 0;
const FILE_TYPE_MOSTLY_Q8_0 = 7;
const Q8_BLOCK = 32;
const Q8_BLOCK_BYTES = 34;

type MetaValue =
  | { t: ValueType.U32 | ValueType.I32 | ValueType.F32; v: number }
  | { t: ValueType.BOOL; v: boolean }
  | { t: ValueType.STRING; v: string }
  | { t: ValueType.ARRAY; of: ValueType.STRING; v: string[] }
  | { t: ValueType.ARRAY; of: ValueType.F32 | ValueType.I32; v: ArrayLike<number> };

interface TensorPlan {
  name: string;
  /** Fastest-varying dimension first, as GGUF lists them. */
  dims: number[];
  type: typeof GGML_F32 | typeof GGML_Q8_0;
  /** 'ones' for norm weights, 'random' for everything else. */
  fill: 'ones' | 'random';
  offset: number;
  bytes: number;
}

/** Little-endian header writer (metadata + tensor infos), joined once at the end. */
class HeaderWriter {
  private readonly parts: Buffer[] = [];
  length = 0;
  private put(size: number, write: (b: Buffer) => void): void {
    const b = Buffer.alloc(size);
    write(b);
    this.parts.push(b);
    this.length += size;
  }
  u8(v: number): void { this.put(1, (b) => b.writeUInt8(v)); }
  u32(v: number): void { this.put(4, (b) => b.writeUInt32LE(v)); }
  i32(v: number): void { this.put(4, (b) => b.writeInt32LE(v)); }
  f32(v: number): void { this.put(4, (b) => b.writeFloatLE(v)); }
  u64(v: number): void { this.put(8, (b) => b.writeBigUInt64LE(BigInt(v))); }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.parts.push(bytes);
    this.length += bytes.length;
  }
  pad(alignment: number): void { this.put((alignment - (this.length % alignment)) % alignment, () => undefined); }
  bytes(): Buffer { return Buffer.concat(this.parts, this.length); }
}

function writeValue(w: HeaderWriter, value: MetaValue): void {
  w.u32(value.t);
  switch (value.t) {
    case ValueType.U32: w.u32(value.v); break;
    case ValueType.I32: w.i32(value.v); break;
    case ValueType.F32: w.f32(value.v); break;
    case ValueType.BOOL: w.u8(value.v ? 1 : 0); break;
    case ValueType.STRING: w.str(value.v); break;
    case ValueType.ARRAY: {
      w.u32(value.of);
      w.u64(value.v.length);
      if (value.of === ValueType.STRING) for (const s of value.v) w.str(s);
      else if (value.of === ValueType.F32) for (let i = 0; i < value.v.length; i++) w.f32(value.v[i] ?? 0);
      else for (let i = 0; i < value.v.length; i++) w.i32(value.v[i] ?? 0);
      break;
    }
  }
}

/** xorshift32 seeded per tensor, so the bytes do not depend on how the data is chunked. */
function makeRng(seed: number): () => number {
  let state = (seed >>> 0) || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

function mixSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** IEEE 754 half-precision bits of a (normal-range) float. */
function toHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = (bits >>> 13) & 0x3ff;
  if (exponent <= 0 || exponent >= 31) throw new Error(`Scale ${value} is outside the half-precision normal range.`);
  return sign | (exponent << 10) | mantissa;
}

function tensorBytes(dims: number[], type: TensorPlan['type']): number {
  const elements = dims.reduce((a, b) => a * b, 1);
  return type === GGML_F32 ? elements * 4 : (elements / Q8_BLOCK) * Q8_BLOCK_BYTES;
}

function resolveShape(options: TestGgufOptions) {
  const nEmbd = options.nEmbd ?? tinyModelShape.nEmbd;
  const nHeads = options.nHeads ?? tinyModelShape.nHeads;
  const shape = {
    seed: options.seed ?? 1,
    nEmbd,
    nLayers: options.nLayers ?? tinyModelShape.nLayers,
    nHeads,
    nHeadsKv: options.nHeadsKv ?? nHeads,
    nFf: options.nFf ?? Math.ceil((nEmbd * 8) / 3 / 32) * 32,
    vocabSize: options.vocabSize ?? tinyModelShape.vocabSize,
    contextLength: options.contextLength ?? tinyModelShape.contextLength,
    type: options.type ?? tinyModelShape.type,
    weightStd: options.weightStd ?? 0.02,
  };
  const problems: string[] = [];
  if (shape.nEmbd % shape.nHeads !== 0) problems.push('nEmbd must be divisible by nHeads');
  if (shape.nHeads % shape.nHeadsKv !== 0) problems.push('nHeadsKv must divide nHeads');
  if ((shape.nEmbd / shape.nHeads) % 2 !== 0) problems.push('the head dimension must be even (RoPE)');
  if (shape.type === 'q8_0' && (shape.nEmbd % Q8_BLOCK !== 0 || shape.nFf % Q8_BLOCK !== 0)) {
    problems.push('Q8_0 needs nEmbd and nFf divisible by 32');
  }
  if (shape.nLayers < 1 || shape.contextLength < 16) problems.push('nLayers ≥ 1 and contextLength ≥ 16');
  if (problems.length > 0) throw new Error(`Invalid test model shape: ${problems.join('; ')}.`);
  return shape;
}

function planTensors(shape: ReturnType<typeof resolveShape>): TensorPlan[] {
  const weightType = shape.type === 'q8_0' ? GGML_Q8_0 : GGML_F32;
  const headDim = shape.nEmbd / shape.nHeads;
  const nEmbdKv = headDim * shape.nHeadsKv;
  const list: Omit<TensorPlan, 'offset' | 'bytes'>[] = [
    { name: 'token_embd.weight', dims: [shape.nEmbd, shape.vocabSize], type: weightType, fill: 'random' },
  ];
  for (let i = 0; i < shape.nLayers; i++) {
    const p = `blk.${i}.`;
    list.push(
      { name: `${p}attn_norm.weight`, dims: [shape.nEmbd], type: GGML_F32, fill: 'ones' },
      { name: `${p}attn_q.weight`, dims: [shape.nEmbd, shape.nEmbd], type: weightType, fill: 'random' },
      { name: `${p}attn_k.weight`, dims: [shape.nEmbd, nEmbdKv], type: weightType, fill: 'random' },
      { name: `${p}attn_v.weight`, dims: [shape.nEmbd, nEmbdKv], type: weightType, fill: 'random' },
      { name: `${p}attn_output.weight`, dims: [shape.nEmbd, shape.nEmbd], type: weightType, fill: 'random' },
      { name: `${p}ffn_norm.weight`, dims: [shape.nEmbd], type: GGML_F32, fill: 'ones' },
      { name: `${p}ffn_gate.weight`, dims: [shape.nEmbd, shape.nFf], type: weightType, fill: 'random' },
      { name: `${p}ffn_down.weight`, dims: [shape.nFf, shape.nEmbd], type: weightType, fill: 'random' },
      { name: `${p}ffn_up.weight`, dims: [shape.nEmbd, shape.nFf], type: weightType, fill: 'random' },
    );
  }
  list.push(
    { name: 'output_norm.weight', dims: [shape.nEmbd], type: GGML_F32, fill: 'ones' },
    { name: 'output.weight', dims: [shape.nEmbd, shape.vocabSize], type: weightType, fill: 'random' },
  );
  let offset = 0;
  return list.map((t) => {
    const bytes = tensorBytes(t.dims, t.type);
    const planned = { ...t, offset, bytes };
    offset += Math.ceil(bytes / ALIGNMENT) * ALIGNMENT;
    return planned;
  });
}

function buildMetadata(shape: ReturnType<typeof resolveShape>, options: TestGgufOptions): [string, MetaValue][] {
  const vocab = buildSpmVocab(shape.vocabSize);
  const headDim = shape.nEmbd / shape.nHeads;
  const u32 = (v: number): MetaValue => ({ t: ValueType.U32, v });
  const entries: [string, MetaValue][] = [
    ['general.architecture', { t: ValueType.STRING, v: 'llama' }],
    ['general.name', { t: ValueType.STRING, v: options.name ?? `fieldmate-test-${shape.nEmbd}x${shape.nLayers}` }],
    ['general.file_type', u32(shape.type === 'q8_0' ? FILE_TYPE_MOSTLY_Q8_0 : FILE_TYPE_ALL_F32)],
    ['general.alignment', u32(ALIGNMENT)],
    ['llama.vocab_size', u32(shape.vocabSize)],
    ['llama.context_length', u32(shape.contextLength)],
    ['llama.embedding_length', u32(shape.nEmbd)],
    ['llama.block_count', u32(shape.nLayers)],
    ['llama.feed_forward_length', u32(shape.nFf)],
    ['llama.attention.head_count', u32(shape.nHeads)],
    ['llama.attention.head_count_kv', u32(shape.nHeadsKv)],
    ['llama.attention.layer_norm_rms_epsilon', { t: ValueType.F32, v: 1e-5 }],
    ['llama.rope.dimension_count', u32(headDim)],
    ['llama.rope.freq_base', { t: ValueType.F32, v: 10_000 }],
    ['tokenizer.ggml.model', { t: ValueType.STRING, v: 'llama' }],
    ['tokenizer.ggml.tokens', { t: ValueType.ARRAY, of: ValueType.STRING, v: vocab.tokens }],
    ['tokenizer.ggml.scores', { t: ValueType.ARRAY, of: ValueType.F32, v: vocab.scores }],
    ['tokenizer.ggml.token_type', { t: ValueType.ARRAY, of: ValueType.I32, v: vocab.types }],
    ['tokenizer.ggml.bos_token_id', u32(vocab.bos)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eos)],
    ['tokenizer.ggml.unknown_token_id', u32(vocab.unk)],
    ['tokenizer.ggml.padding_token_id', u32(vocab.unk)],
    ['tokenizer.ggml.add_bos_token', { t: ValueType.BOOL, v: true }],
    ['tokenizer.ggml.add_eos_token', { t: ValueType.BOOL, v: false }],
  ];
  if (options.chatTemplate !== false) {
    entries.push(['tokenizer.chat_template', { t: ValueType.STRING, v: options.chatTemplate ?? CHATML_TEMPLATE }]);
  }
  const omit = new Set(options.omitKeys ?? []);
  return entries.filter(([key]) => !omit.has(key));
}

const CHUNK_BYTES = 16 << 20;

/** Writes one tensor's data in chunks of ~16 MB. */
function writeTensorData(fd: number, tensor: TensorPlan, seed: number, std: number, position: number): number {
  const rng = makeRng(seed);
  if (tensor.fill === 'ones') {
    const data = new Float32Array(tensor.bytes / 4).fill(1);
    writeSync(fd, new Uint8Array(data.buffer), 0, data.byteLength, position);
    return position + data.byteLength;
  }
  if (tensor.type === GGML_F32) {
    // Uniform in [-a, a] has standard deviation a/√3.
    const a = std * Math.sqrt(3);
    const perChunk = CHUNK_BYTES / 4;
    let remaining = tensor.bytes / 4;
    const chunk = new Float32Array(Math.min(perChunk, remaining));
    while (remaining > 0) {
      const n = Math.min(perChunk, remaining);
      for (let i = 0; i < n; i++) chunk[i] = (rng() / 4294967296 * 2 - 1) * a;
      writeSync(fd, new Uint8Array(chunk.buffer, 0, n * 4), 0, n * 4, position);
      position += n * 4;
      remaining -= n;
    }
    return position;
  }
  // Q8_0 block: f16 scale, then 32 int8 quants. Random bytes are uniform int8 (σ ≈ 73.9), so the
  // scale is chosen to give the requested standard deviation of the dequantised values.
  const halfScale = toHalfBits(std / 73.9);
  const blocksPerChunk = Math.floor(CHUNK_BYTES / Q8_BLOCK_BYTES);
  let remainingBlocks = tensor.bytes / Q8_BLOCK_BYTES;
  const words = new Uint32Array(Math.ceil((Math.min(blocksPerChunk, remainingBlocks) * Q8_BLOCK_BYTES) / 4));
  const bytes = new Uint8Array(words.buffer);
  while (remainingBlocks > 0) {
    const blocks = Math.min(blocksPerChunk, remainingBlocks);
    const byteCount = blocks * Q8_BLOCK_BYTES;
    const wordCount = Math.ceil(byteCount / 4);
    for (let i = 0; i < wordCount; i++) words[i] = rng();
    for (let b = 0; b < blocks; b++) {
      bytes[b * Q8_BLOCK_BYTES] = halfScale & 0xff;
      bytes[b * Q8_BLOCK_BYTES + 1] = halfScale >>> 8;
    }
    writeSync(fd, bytes, 0, byteCount, position);
    position += byteCount;
    remainingBlocks -= blocks;
  }
  return position;
}

/**
 * Writes a GGUF v3 file at `path` (through a temporary file renamed at the end, so a reader never sees a
 * half-written model). Returns the size and parameter count.
 */
export function writeTestGguf(path: string, options: TestGgufOptions = {}): TestGgufSummary {
  const shape = resolveShape(options);
  const tensors = planTensors(shape);
  const metadata = buildMetadata(shape, options);

  const header = new HeaderWriter();
  header.u32(GGUF_MAGIC);
  header.u32(3);
  header.u64(tensors.length);
  header.u64(metadata.length);
  for (const [key, value] of metadata) {
    header.str(key);
    writeValue(header, value);
  }
  for (const t of tensors) {
    header.str(t.name);
    header.u32(t.dims.length);
    for (const d of t.dims) header.u64(d);
    header.u32(t.type);
    header.u64(t.offset);
  }
  header.pad(ALIGNMENT);

  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let end = 0;
  try {
    const headerBytes = header.bytes();
    writeSync(fd, headerBytes, 0, headerBytes.length, 0);
    const dataStart = headerBytes.length;
    tensors.forEach((t, index) => {
      const start = dataStart + t.offset;
      const written = writeTensorData(fd, t, mixSeed(shape.seed, index), shape.weightStd, start);
      const aligned = Math.ceil(written / ALIGNMENT) * ALIGNMENT;
      if (aligned > written) writeSync(fd, Buffer.alloc(aligned - written), 0, aligned - written, written);
      end = aligned;
    });
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const parameters = tensors.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
  return { path, bytes: end, parameters, tensors: tensors.length, vocabSize: shape.vocabSize };
}

const HELP = `Usage: tsx scripts/make-test-gguf.ts [options]
  --out <file>             output path (default models/fieldmate-test.gguf)
  --preset tiny|bench      tiny: 64-dim, 2 layers, vocab 512; bench: ~0.4B parameters, Q8_0
  --seed <n>  --n-embd <n>  --layers <n>  --heads <n>  --heads-kv <n>  --ff <n>
  --vocab <n>  --context <n>  --type f32|q8_0  --no-chat-template  --omit <metadata key> (repeatable)`;

const NUMERIC_FLAGS = { seed: 'seed', 'n-embd': 'nEmbd', layers: 'nLayers', heads: 'nHeads', 'heads-kv': 'nHeadsKv', ff: 'nFf', vocab: 'vocabSize', context: 'contextLength' } as const;

function parseCli(argv: string[]): { out: string; options: TestGgufOptions } | null {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      out: { type: 'string' }, preset: { type: 'string' }, type: { type: 'string' }, omit: { type: 'string', multiple: true },
      'no-chat-template': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(Object.keys(NUMERIC_FLAGS).map((k) => [k, { type: 'string' as const }])),
    },
  });
  if (values.help) return null;
  let options: TestGgufOptions = { name: 'fieldmate-test' };
  if (values.preset === 'bench') options = { ...options, ...benchModelShape, name: 'fieldmate-bench-0.4b' };
  else if (values.preset !== undefined && values.preset !== 'tiny') throw new Error(`Unknown preset ${String(values.preset)}.`);
  for (const [flag, key] of Object.entries(NUMERIC_FLAGS)) {
    const raw = (values as Record<string, unknown>)[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${flag} needs a non-negative integer.`);
    options = { ...options, [key]: value };
  }
  if (values.type !== undefined && values.type !== 'f32' && values.type !== 'q8_0') throw new Error('--type is f32 or q8_0.');
  if (values.type) options = { ...options, type: values.type };
  if (values['no-chat-template']) options = { ...options, chatTemplate: false };
  return { out: resolve(values.out ?? 'models/fieldmate-test.gguf'), options: { ...options, omitKeys: values.omit ?? [] } };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const parsed = parseCli(process.argv.slice(2));
    if (!parsed) {
      console.log(HELP);
      process.exit(0);
    }
    const started = performance.now();
    const summary = writeTestGguf(parsed.out, parsed.options);
    const mb = (summary.bytes / 1e6).toFixed(1);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Wrote ${summary.path}: ${mb} MB, ${summary.parameters.toLocaleString('en-US')} parameters, ${seconds} s.`);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${HELP}`);
    process.exit(1);
  }
}
