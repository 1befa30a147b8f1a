/**
 * Bounds the contract enforces, in one place: the zod schemas are built from these numbers and the
 * renderer uses the same ones for its field limits, pickers and chunk sizes, so a form never lets a
 * person type what the core will refuse. Change a bound here and both sides follow.
 */

/** Free text in general, and what a person may paste into one coaching message. */
export const TEXT_LIMITS = { defaultChars: 20_000, pastedChars: 200_000, searchChars: 2000, commentChars: 2000 } as const;

export const LEAD_LIMITS = { nameChars: 200, companyChars: 200, emailChars: 320, phoneChars: 64, notesChars: 10_000 } as const;

/** Pipeline (issue 16): a lead's next step, tags and reasons, a follow-up message. */
export const PIPELINE_LIMITS = { nextStepChars: 500, tags: 30, tagChars: 60, reasonChars: 500, sourceChars: 120, ownerChars: 200, subjectChars: 300, bodyChars: 10_000, dealValueMax: 1e12 } as const;

export const KNOWLEDGE_LIMITS = {
  keyChars: 120,
  titleChars: 300,
  bodyChars: 20_000,
  tags: 200,
  tagChars: 120,
  /** Rows one `knowledge:list` may return. */
  listRows: 5000,
  /** Characters of one imported JSON or base64 .xlsx. */
  importChars: 2_500_000,
} as const;

export const ROLEPLAY_LIMITS = { drillExcludedIds: 200 } as const;

/** Upload and download in chunks: 1.5 MB decoded is 2,000,000 base64 characters, a multiple of 3 bytes. */
export const FILE_LIMITS = { chunkBytes: 1_500_000, base64ChunkChars: 2_000_000, fileNameChars: 255 } as const;

export const PALLET_LIMITS = {
  analysisNameChars: 200,
  supplierChars: 200,
  palletPrice: 1e12,
  /** Highest header row (0-based) a person may pick; screens count from 1. */
  headerRow: 10_000,
  linesPageRows: 1000,
  ruleNameChars: 200,
  ruleDescriptionChars: 1000,
  /** A rule's weight runs from 1 to this. */
  ruleWeightMax: 10,
  /** Lines one model-assist run looks at, and suggestions decided in one request. */
  assistLinesMax: 20_000,
} as const;

export const MODEL_LIMITS = { contextMin: 256, contextMax: 262_144, gpuLayersMax: 1000 } as const;

export const SETTINGS_LIMITS = { threadsMax: 256, vatRateMax: 100 } as const;

export const SYNC_LIMITS = { intervalMinutesMax: 1440, userChars: 63, serverUrlChars: 2048, passwordChars: 1024 } as const;

/** Model endpoint: address, model name, key, and the bounds of its three timeouts (milliseconds). */
export const ENDPOINT_LIMITS = {
  urlChars: 2048,
  modelChars: 256,
  keyChars: 4096,
  connectMs: { min: 200, max: 30_000 },
  firstTokenMs: { min: 500, max: 300_000 },
  idleMs: { min: 500, max: 300_000 },
} as const;
