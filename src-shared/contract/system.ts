import { z } from 'zod';
import { Empty, Ok, event, request } from './define';

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

export const systemRequests = {
  /** Paths, schema version and row counts. */
  'system:info': request(Empty, SystemInfo, 'Paths, schema version and row counts'),
  /** Online state and database health for the status bar. */
  'system:status': request(Empty, SystemStatus, 'Online state and database health'),
  /** Opens an https link in the system browser (Electron only; validated). */
  'system:openExternal': request(z.object({ url: z.string().max(2048) }).strict(), Ok, 'Open an https link externally'),
} as const;

export const systemEvents = {
  'system:status': event(SystemStatus, 'Online state or database health changed'),
} as const;
