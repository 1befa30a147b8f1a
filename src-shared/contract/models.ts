import { z } from 'zod';
import { Empty, event, Ok, request, RequestId } from './define';
import { MODEL_LIMITS } from './limits';

/**
 * Model channels: the local GGUF catalog, downloads (stopped with `ops:cancel`, paused with
 * `models:downloadPause`) and loading a file into the model runtime. Generation is in llm.ts.
 */

const Bytes = z.number().int().min(0);
const FilePath = z.string().min(1).max(4096);
const FileName = z.string().min(1).max(255);

export const GpuLayers = z.union([z.literal('auto'), z.number().int().min(0).max(MODEL_LIMITS.gpuLayersMax)]);
export type GpuLayers = z.infer<typeof GpuLayers>;

export const ModelSource = z.enum(['dev', 'user', 'added']);
export type ModelSource = z.infer<typeof ModelSource>;

/** Metadata read from the GGUF header without loading the model. */
export const GgufSummary = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: Bytes,
  ggufVersion: z.number().int(),
  architecture: z.string().nullable(),
  name: z.string().nullable(),
  parameterCount: z.number().nullable(),
  /** File type name, e.g. "MOSTLY_Q8_0", or the dominant tensor type when the header has no file type. */
  quantisation: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  embeddingLength: z.number().int().nullable(),
  layers: z.number().int().nullable(),
  heads: z.number().int().nullable(),
  vocabSize: z.number().int().nullable(),
  chatTemplate: z.boolean(),
  /** Reasons the native loader would abort or fail on this file; empty when it looks loadable. */
  problems: z.array(z.string()),
  loadable: z.boolean(),
});
export type GgufSummary = z.infer<typeof GgufSummary>;

/** Memory estimate for loading the model with a context on this machine (node-llama-cpp GgufInsights). */
export const FitEstimate = z.object({
  contextSize: z.number().int(),
  gpuLayers: z.number().int(),
  totalLayers: z.number().int(),
  ramBytes: Bytes,
  vramBytes: Bytes,
  fitsInRam: z.boolean(),
  /** Every layer offloaded to the GPU with this context. */
  fullyOnGpu: z.boolean(),
  verdict: z.enum(['fits', 'tight', 'too_big']),
  machine: z.object({
    totalRamBytes: Bytes,
    freeRamBytes: Bytes,
    totalVramBytes: Bytes,
    freeVramBytes: Bytes,
    gpu: z.string().nullable(),
    cpuCores: z.number().int(),
  }),
});
export type FitEstimate = z.infer<typeof FitEstimate>;

export const ModelEntry = z.object({
  path: z.string(),
  fileName: z.string(),
  source: ModelSource,
  sizeBytes: Bytes,
  modifiedAt: z.string(),
  summary: GgufSummary.nullable(),
  /** Why the header could not be read (not a GGUF, truncated...). */
  error: z.string().nullable(),
  /** Set when loading this file crashed the model process. */
  broken: z.string().nullable(),
  loaded: z.boolean(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const DownloadState = z.enum(['starting', 'downloading', 'verifying', 'completed', 'paused', 'cancelled', 'interrupted', 'failed']);
export type DownloadState = z.infer<typeof DownloadState>;

/** A `.partial` download found on disk (resumable, also after an app restart). */
export const PartialDownload = z.object({
  fileName: z.string(),
  url: z.string(),
  receivedBytes: Bytes,
  totalBytes: Bytes.nullable(),
  sha256: z.string().nullable(),
  state: DownloadState,
  updatedAt: z.string(),
});
export type PartialDownload = z.infer<typeof PartialDownload>;

export const DownloadProgress = z.object({
  requestId: RequestId,
  fileName: z.string(),
  url: z.string(),
  state: DownloadState,
  receivedBytes: Bytes,
  totalBytes: Bytes.nullable(),
  bytesPerSecond: z.number().min(0),
  error: z.string().nullable(),
});
export type DownloadProgress = z.infer<typeof DownloadProgress>;

export const DownloadInput = z.object({
  requestId: RequestId,
  /** https:// URL, or a Hugging Face URI (hf:user/repo/file.gguf, hf:user/repo:Q4_K_M). */
  url: z.string().min(1).max(2048),
  fileName: FileName.regex(/^[^/\\]+\.gguf$/i, 'A file name ending in .gguf, without folders.').optional(),
  sha256: z.string().max(64).regex(/^[0-9a-fA-F]{64}$/).optional(),
  sizeBytes: Bytes.optional(),
});
export type DownloadInput = z.infer<typeof DownloadInput>;

export const DownloadResult = z.object({
  requestId: RequestId,
  state: z.enum(['completed', 'paused', 'cancelled']),
  fileName: z.string(),
  path: z.string().nullable(),
  receivedBytes: Bytes,
  totalBytes: Bytes.nullable(),
  sha256: z.string().nullable(),
});
export type DownloadResult = z.infer<typeof DownloadResult>;

export const LoadInput = z.object({
  path: FilePath,
  /** Tokens per conversation; default 4096 capped at the model's training context. */
  contextSize: z.number().int().min(MODEL_LIMITS.contextMin).max(MODEL_LIMITS.contextMax).optional(),
  gpuLayers: GpuLayers.optional(),
  /** Default: the machine's available parallelism (Settings may override). */
  threads: z.number().int().min(1).max(256).optional(),
  /** Parallel KV-cache slots: one per open conversation plus one scratch slot. */
  sequences: z.number().int().min(2).max(16).optional(),
});
export type LoadInput = z.infer<typeof LoadInput>;

export const LoadedModel = z.object({
  path: z.string(),
  fileName: z.string(),
  name: z.string().nullable(),
  contextSize: z.number().int(),
  trainContextSize: z.number().int(),
  gpuLayers: z.number().int(),
  threads: z.number().int(),
  sequences: z.number().int(),
  chatWrapper: z.string(),
  loadMs: z.number(),
});
export type LoadedModel = z.infer<typeof LoadedModel>;

/** What a recommended model is good for (the UI shows these as tags). */
export const ModelUse = z.enum(['coaching', 'analysis', 'roleplay', 'pallets', 'quick']);
export type ModelUse = z.infer<typeof ModelUse>;

/** One entry of the recommended-models catalog shipped with the app (src-main/models/recommended-models.json). */
export const RecommendedModel = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/),
  name: z.string().min(1).max(120),
  family: z.string().min(1).max(40),
  parameters: z.number().int().positive(),
  quantisation: z.string().min(1).max(20),
  /** Average bits per weight of this quantisation (the fit estimate's formula uses it). */
  bitsPerWeight: z.number().positive().max(32),
  fileName: FileName.regex(/^[^/\\]+\.gguf$/i),
  /** Approximate file size (display and fit); the download checks the server's length and the sha256. */
  sizeBytes: Bytes,
  url: z.string().min(1).max(2048),
  /** Null when it could not be verified when the catalog was written: the download is then unverified. */
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/).nullable(),
  licence: z.string().min(1).max(120),
  /** ISO 639-1 codes the publisher lists (or that are known to work). */
  languages: z.array(z.string().regex(/^[a-z]{2}$/)).max(40),
  /** How well it writes Polish: the app's salespeople mostly work in Polish. */
  polish: z.enum(['native', 'good', 'fair', 'basic', 'weak']),
  goodFor: z.array(ModelUse).max(5),
  summary: z.object({ en: z.string().max(300), pl: z.string().max(300) }),
});
export type RecommendedModel = z.infer<typeof RecommendedModel>;

/** Speed class from memory bandwidth ÷ bytes read per token (see src-main/models/recommended.ts). */
export const SpeedClass = z.enum(['fast', 'usable', 'slow', 'too_slow']);
export type SpeedClass = z.infer<typeof SpeedClass>;

/** Will a recommended model run well here? A formula estimate, before the file exists. */
export const RecommendedFit = z.object({
  ramBytes: Bytes,
  vramBytes: Bytes,
  verdict: z.enum(['fits', 'tight', 'too_big']),
  speed: SpeedClass,
  tokensPerSecond: z.number().min(0),
  onGpu: z.boolean(),
});
export type RecommendedFit = z.infer<typeof RecommendedFit>;

export const RecommendedEntry = RecommendedModel.extend({
  fit: RecommendedFit,
  /** Path of the file when it is already in a models folder. */
  installedPath: z.string().nullable(),
});
export type RecommendedEntry = z.infer<typeof RecommendedEntry>;

export const MachineInfo = z.object({
  totalRamBytes: Bytes,
  freeRamBytes: Bytes,
  /** Null until the model process has reported the GPU (after its first start). */
  totalVramBytes: Bytes.nullable(),
  gpu: z.string().nullable(),
  cpuCores: z.number().int(),
});
export type MachineInfo = z.infer<typeof MachineInfo>;

export const modelsRequests = {
  'models:list': request(Empty, z.object({ models: z.array(ModelEntry), downloads: z.array(PartialDownload) }), 'List GGUF models in the models folders, added files, and resumable downloads.'),
  'models:inspect': request(z.object({ path: FilePath, contextSize: z.number().int().min(MODEL_LIMITS.contextMin).max(MODEL_LIMITS.contextMax).optional() }), z.object({ summary: GgufSummary, fit: FitEstimate.nullable(), fitError: z.string().nullable() }), 'Read a GGUF header (no loading) and estimate whether it fits in RAM / VRAM.'),
  'models:load': request(LoadInput, LoadedModel, 'Load a GGUF model in the model process (replaces the loaded one).'),
  'models:unload': request(Empty, Ok, 'Unload the model and free its memory.'),
  'models:add': request(z.object({ path: FilePath, mode: z.enum(['copy', 'link']) }), ModelEntry, 'Add a GGUF file: copy it into the models folder, or link it where it is.'),
  'models:delete': request(z.object({ path: FilePath }), Ok, 'Delete a model file from a models folder (an added file is only forgotten).'),
  'models:download': request(DownloadInput, DownloadResult, 'Download a GGUF by URL, resuming a partial download; verifies size and sha256.'),
  'models:downloadPause': request(z.object({ requestId: RequestId }), Ok, 'Pause a download; the partial file is kept for resuming.', { control: true }),
  'models:recommended': request(Empty, z.object({ models: z.array(RecommendedEntry), machine: MachineInfo, contextSize: z.number().int() }), 'The recommended models catalog with a fit estimate for this machine.'),
  'models:downloadRecommended': request(z.object({ requestId: RequestId, id: z.string().min(1).max(80) }).strict(), DownloadResult, 'Download a recommended model by its catalog id (the URL and sha256 come from the catalog).'),
  'models:discardDownload': request(z.object({ fileName: FileName }).strict(), Ok, 'Delete an unfinished download (its partial file and sidecar).'),
};

export const modelsEvents = {
  'models:downloadProgress': event(DownloadProgress, 'Download progress (throttled) and state changes.'),
};
