/**
 * GGUF header inspection without loading the model (pure JS: node-llama-cpp's readGgufFileInfo), plus
 * a validation that flags files the native loader would abort on (GGML_ASSERT kills the process
 * instead of throwing), and — in the model child only — a RAM/VRAM fit estimate via GgufInsights.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import os from 'node:os';
import { GgmlType, GgufFileType, GgufInsights, readGgufFileInfo, type GgufFileInfo, type Llama } from 'node-llama-cpp';
import { AppError } from '@shared/contract/errors';
import type { FitEstimate, GgufSummary, GpuLayers } from '@shared/contract/models';
import { checkGgufHeader, GgufHeaderError } from './gguf-bounds';

/** [bytes per block, elements per block] for the tensor types seen in practice (ggml.c type traits). */
const GGML_TYPE_SIZES: Partial<Record<GgmlType, readonly [number, number]>> = {
  [GgmlType.F32]: [4, 1], [GgmlType.F16]: [2, 1], [GgmlType.BF16]: [2, 1], [GgmlType.F64]: [8, 1],
  [GgmlType.I8]: [1, 1], [GgmlType.I16]: [2, 1], [GgmlType.I32]: [4, 1], [GgmlType.I64]: [8, 1],
  [GgmlType.Q4_0]: [18, 32], [GgmlType.Q4_1]: [20, 32], [GgmlType.Q5_0]: [22, 32], [GgmlType.Q5_1]: [24, 32],
  [GgmlType.Q8_0]: [34, 32], [GgmlType.Q8_1]: [36, 32], [GgmlType.IQ4_NL]: [18, 32], [GgmlType.MXFP4]: [17, 32],
  [GgmlType.Q2_K]: [84, 256], [GgmlType.Q3_K]: [110, 256], [GgmlType.Q4_K]: [144, 256], [GgmlType.Q5_K]: [176, 256],
  [GgmlType.Q6_K]: [210, 256], [GgmlType.Q8_K]: [292, 256], [GgmlType.IQ2_XXS]: [66, 256], [GgmlType.IQ2_XS]: [74, 256],
  [GgmlType.IQ3_XXS]: [98, 256], [GgmlType.IQ1_S]: [50, 256], [GgmlType.IQ3_S]: [110, 256], [GgmlType.IQ2_S]: [82, 256],
  [GgmlType.IQ4_XS]: [136, 256], [GgmlType.IQ1_M]: [56, 256], [GgmlType.TQ1_0]: [54, 256], [GgmlType.TQ2_0]: [66, 256],
};

/** Architectures without attention heads / a feed-forward width in their hyper-parameters. */
const RECURRENT_ARCHITECTURES = new Set(['mamba', 'mamba2', 'rwkv6', 'rwkv6qwen2', 'rwkv7', 'arwkv7', 'clip']);

type Nested = { [key: string]: unknown };

function lookup(root: unknown, dottedKey: string): unknown {
  let node: unknown = root;
  for (const part of dottedKey.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Nested)[part];
  }
  return node;
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

/** A hyper-parameter that must be positive; per-layer arrays (hybrid models) may have zeros. */
function isPositive(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => (asNumber(v) ?? 0) > 0);
  return (asNumber(value) ?? 0) > 0;
}

function tensorByteSize(dimensions: readonly (number | bigint)[], type: GgmlType): number | null {
  const size = GGML_TYPE_SIZES[type];
  if (!size) return null;
  const elements = dimensions.reduce<number>((product, d) => product * Number(d), 1);
  return Math.ceil(elements / size[1]) * size[0];
}

/** Reasons the native loader would abort (or refuse) this file. Empty when it looks loadable. */
export function validateGgufInfo(info: GgufFileInfo): string[] {
  const problems: string[] = [];
  const metadata = info.metadata as unknown as Nested;
  const arch = lookup(metadata, 'general.architecture');
  if (typeof arch !== 'string' || arch === '') return ['The header has no general.architecture.'];
  const missing = (key: string): void => {
    problems.push(`The header is missing ${key} (the model runtime would abort on this file).`);
  };
  for (const key of ['embedding_length', 'block_count']) {
    if (!isPositive(lookup(metadata, `${arch}.${key}`))) missing(`${arch}.${key}`);
  }
  if (asNumber(lookup(metadata, `${arch}.context_length`)) === null) missing(`${arch}.context_length`);
  if (!RECURRENT_ARCHITECTURES.has(arch)) {
    const ff = lookup(metadata, `${arch}.feed_forward_length`) ?? lookup(metadata, `${arch}.expert_feed_forward_length`);
    if (!isPositive(ff)) missing(`${arch}.feed_forward_length`);
    const heads = lookup(metadata, `${arch}.attention.head_count`);
    if (!isPositive(heads)) missing(`${arch}.attention.head_count`);
    const headCount = asNumber(heads);
    const embd = asNumber(lookup(metadata, `${arch}.embedding_length`));
    const keyLength = asNumber(lookup(metadata, `${arch}.attention.key_length`));
    if (headCount && embd && keyLength === null && embd % headCount !== 0) {
      problems.push(`${arch}.embedding_length (${embd}) is not divisible by the head count (${headCount}).`);
    }
    const kvHeads = asNumber(lookup(metadata, `${arch}.attention.head_count_kv`));
    if (headCount && kvHeads !== null && (kvHeads <= 0 || headCount % kvHeads !== 0)) {
      problems.push(`${arch}.attention.head_count_kv (${kvHeads}) does not divide the head count (${headCount}).`);
    }
    const rope = asNumber(lookup(metadata, `${arch}.rope.dimension_count`));
    if (arch === 'llama' && headCount && embd && rope !== null && keyLength === null && rope !== embd / headCount) {
      problems.push(`llama.rope.dimension_count (${rope}) must equal the head dimension (${embd / headCount}).`);
    }
  }
  if (typeof lookup(metadata, 'tokenizer.ggml.model') !== 'string') missing('tokenizer.ggml.model');
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (tensors.length === 0) problems.push('The file lists no tensors.');
  for (const tensor of tensors) {
    if (tensor.dimensions.some((d) => Number(d) < 1)) {
      problems.push(`Tensor ${tensor.name} has an empty dimension (the model runtime would abort on this file).`);
      break;
    }
  }
  return problems;
}

function readErrorToAppError(error: unknown, path: string): AppError {
  const name = basename(path);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new AppError('NOT_FOUND', `There is no file at ${path}.`);
  if (code === 'EISDIR') return new AppError('VALIDATION', `${path} is a folder, not a GGUF model file.`);
  if (code === 'EACCES' || code === 'EPERM') return new AppError('FORBIDDEN', `${name} cannot be read (permission denied).`);
  if (error instanceof GgufHeaderError && error.notGguf) return new AppError('MODEL_ERROR', `${name} is not a GGUF model file (it does not start with "GGUF").`);
  if (error instanceof Error && (error.constructor.name === 'InvalidGgufMagicError' || /Invalid GGUF magic/.test(error.message))) {
    return new AppError('MODEL_ERROR', `${name} is not a GGUF model file (it does not start with "GGUF").`);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError('MODEL_ERROR', `${name} has an unreadable GGUF header, it is probably truncated or corrupted (${detail}).`);
}

/** Every part of a split model (name-00001-of-00003.gguf), as node-llama-cpp's reader resolves them. */
function splitParts(path: string): string[] {
  const m = /-(\d{5})-of-(\d{5})\.gguf$/.exec(path);
  const part = Number(m?.[1]);
  const parts = Number(m?.[2]);
  if (!m || part < 1 || parts < 1 || part > parts) return [path];
  const stem = path.slice(0, path.length - m[0].length);
  return Array.from({ length: parts }, (_, i) => `${stem}-${String(i + 1).padStart(5, '0')}-of-${m[2]}.gguf`);
}

/** Reads the header (metadata + tensor infos) and checks it against the file's size. */
export async function readGgufInfo(path: string): Promise<{ info: GgufFileInfo; sizeBytes: number }> {
  let sizeBytes: number;
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    sizeBytes = stats.size;
  } catch (error) {
    throw readErrorToAppError(error, path);
  }
  const name = basename(path);
  if (sizeBytes === 0) throw new AppError('MODEL_ERROR', `${name} is empty, not a GGUF model file.`);
  // The reader does not notice the end of the file (it reads zeros past it), so check sizes here.
  const truncated = (needed: number): AppError =>
    new AppError('MODEL_ERROR', `${name} is truncated: its header describes ${needed.toLocaleString('en-US')} bytes but the file has ${sizeBytes.toLocaleString('en-US')}. Download it again.`);
  let info: GgufFileInfo;
  try {
    // Bounds first: the reader below trusts every count and length in the file (hostile headers).
    for (const part of splitParts(path)) await checkGgufHeader(part);
    // The vocabulary arrays are the bulk of the header and are not needed for inspection.
    info = await readGgufFileInfo(path, {
      sourceType: 'filesystem',
      logWarnings: false,
      ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'],
    });
  } catch (error) {
    // Only the model's own file can be reported with its size; a split part reads as unreadable.
    if (error instanceof GgufHeaderError && error.needed !== null && splitParts(path).length === 1) throw truncated(error.needed);
    throw readErrorToAppError(error, path);
  }
  if ((info.infoEndOffset ?? 0) > sizeBytes) throw truncated(info.infoEndOffset ?? 0);
  let dataEnd = 0;
  for (const tensor of info.tensorInfo ?? []) {
    const size = tensorByteSize(tensor.dimensions, tensor.ggmlType);
    if (size !== null) dataEnd = Math.max(dataEnd, Number(tensor.fileOffset) + size);
  }
  if (dataEnd > sizeBytes) throw truncated(dataEnd);
  return { info, sizeBytes };
}

/** Summary for the Models page and the CLI. Throws AppError for unreadable / non-GGUF / truncated files. */
export async function inspectGguf(path: string): Promise<GgufSummary> {
  const { info, sizeBytes } = await readGgufInfo(path);
  const metadata = info.metadata as unknown as Nested;
  const arch = lookup(metadata, 'general.architecture');
  const archKey = (key: string): number | null => (typeof arch === 'string' ? asNumber(lookup(metadata, `${arch}.${key}`)) : null);
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  const parameterCount = tensors.length > 0
    ? tensors.reduce((sum, t) => sum + t.dimensions.reduce<number>((p, d) => p * Number(d), 1), 0)
    : null;
  const fileType = asNumber(lookup(metadata, 'general.file_type'));
  const embedding = tensors.find((t) => t.name === 'token_embd.weight');
  const vocabSize = archKey('vocab_size') ?? (embedding ? Number(embedding.dimensions[1] ?? 0) || null : null);
  const problems = validateGgufInfo(info);
  const name = lookup(metadata, 'general.name');
  const template = lookup(metadata, 'tokenizer.chat_template');
  return {
    path,
    fileName: basename(path),
    sizeBytes,
    ggufVersion: info.version,
    architecture: typeof arch === 'string' ? arch : null,
    name: typeof name === 'string' ? name : null,
    parameterCount,
    quantisation: fileType !== null ? (GgufFileType[fileType] ?? `type ${fileType}`) : dominantType(tensors),
    contextLength: archKey('context_length'),
    embeddingLength: archKey('embedding_length'),
    layers: archKey('block_count'),
    heads: archKey('attention.head_count'),
    vocabSize,
    chatTemplate: typeof template === 'string' && template.length > 0,
    problems,
    loadable: problems.length === 0,
  };
}

function dominantType(tensors: GgufFileInfo['tensorInfo'] & object): string | null {
  const bytesByType = new Map<GgmlType, number>();
  for (const t of tensors) {
    bytesByType.set(t.ggmlType, (bytesByType.get(t.ggmlType) ?? 0) + (tensorByteSize(t.dimensions, t.ggmlType) ?? 0));
  }
  const top = [...bytesByType.entries()].sort((a, b) => b[1] - a[1])[0];
  return top ? (GgmlType[top[0]] ?? null) : null;
}

/**
 * RAM / VRAM estimate for loading `path` with a context of `contextSize` on this machine. Needs the
 * child's Llama instance (GPU info) and may simulate a load, so it only runs in the model child, and
 * only for files that passed `validateGgufInfo`.
 */
export async function estimateFit(llama: Llama, path: string, options: { contextSize: number; gpuLayers: GpuLayers }): Promise<FitEstimate> {
  const { info } = await readGgufInfo(path);
  const problems = validateGgufInfo(info);
  if (problems.length > 0) throw new AppError('MODEL_ERROR', problems.join(' '));
  const insights = await GgufInsights.from(info, llama);
  const resolved = await insights.configurationResolver.resolveAndScoreConfig({
    targetContextSize: options.contextSize,
    targetGpuLayers: options.gpuLayers === 'auto' ? undefined : options.gpuLayers,
  });
  const vram = await llama.getVramState();
  const freeRam = os.freemem();
  const totalRam = os.totalmem();
  const v = resolved.resolvedValues;
  const fitsInRam = v.totalRamUsage <= freeRam;
  const fitsInVram = v.totalVramUsage <= vram.free;
  const verdict = fitsInRam && fitsInVram && v.totalRamUsage <= freeRam * 0.8 ? 'fits' : v.totalRamUsage <= totalRam && fitsInVram ? 'tight' : 'too_big';
  return {
    contextSize: v.contextSize,
    gpuLayers: v.gpuLayers,
    totalLayers: insights.totalLayers,
    ramBytes: Math.round(v.totalRamUsage),
    vramBytes: Math.round(v.totalVramUsage),
    fitsInRam,
    fullyOnGpu: llama.gpu !== false && v.gpuLayers >= insights.totalLayers,
    verdict,
    machine: {
      totalRamBytes: totalRam,
      freeRamBytes: freeRam,
      totalVramBytes: vram.total,
      freeVramBytes: vram.free,
      gpu: llama.gpu === false ? null : llama.gpu,
      cpuCores: os.availableParallelism(),
    },
  };
}
