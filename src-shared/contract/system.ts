import { z } from 'zod';
import { Empty, Ok, RequestId, event, request } from './define';

export const Language = z.enum(['pl', 'en']);
export const Theme = z.enum(['light', 'dark', 'system']);

/** Device-local preferences. Every field has a default, so a partial update is always complete. */
export const Settings = z.object({
  language: Language,
  theme: Theme,
  /** Threads for the local model; null means "the machine's available parallelism". */
  llmThreads: z.number().int().min(1).max(256).nullable(),
  /** Default VAT rate in percent used when a manifest gives only net or gross prices. */
  vatRate: z.number().min(0).max(100),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = Settings.partial().strict();

export const DbStatus = z.object({
  ok: z.boolean(),
  schemaApplied: z.number().int(),
  schemaAvailable: z.number().int(),
  message: z.string().nullable(),
});

export const SystemStatus = z.object({
  online: z.boolean(),
  db: DbStatus,
});
export type SystemStatus = z.infer<typeof SystemStatus>;

export const SystemInfo = z.object({
  appVersion: z.string(),
  transport: z.enum(['electron', 'headless', 'cli']),
  platform: z.string(),
  dataDir: z.string(),
  dbFile: z.string(),
  schema: z.object({ applied: z.number().int(), available: z.number().int(), latest: z.string().nullable() }),
  rowCounts: z.record(z.string(), z.number().int()),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

export const Progress = z.object({
  requestId: RequestId,
  phase: z.string().max(64),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  message: z.string().max(500).optional(),
});
export type Progress = z.infer<typeof Progress>;

export const systemRequests = {
  /** Paths, schema version and row counts. */
  'system:info': request(Empty, SystemInfo, 'Paths, schema version and row counts'),
  /** Online state and database health for the status bar. */
  'system:status': request(Empty, SystemStatus, 'Online state and database health'),
  /** Cancels a long operation started with this request id (no-op if already finished). */
  'ops:cancel': request(z.object({ requestId: RequestId }).strict(), z.object({ cancelled: z.boolean() }), 'Cancel a long operation', { control: true }),
  'settings:get': request(Empty, Settings, 'Read the settings'),
  'settings:update': request(SettingsPatch, Settings, 'Change some settings; returns all of them'),
  /** Opens an https link in the system browser (Electron only; validated). */
  'system:openExternal': request(z.object({ url: z.string().max(2048) }).strict(), Ok, 'Open an https link externally'),
} as const;

export const systemEvents = {
  'settings:changed': event(Settings, 'Settings changed (from any window or the CLI)'),
  'system:status': event(SystemStatus, 'Online state or database health changed'),
  'ops:progress': event(Progress, 'Progress of a long operation'),
} as const;
