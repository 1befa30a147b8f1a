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

export const IntegrityCheck = z.object({ at: z.number(), ok: z.boolean(), problems: z.array(z.string()) });
export type IntegrityCheck = z.infer<typeof IntegrityCheck>;

export const BackupDone = z.object({ at: z.string(), bytes: z.number().int(), file: z.string() });

/** What the store health view says in words: size and growth, backups, integrity, the sync queue, the model. */
export const StoreHealth = z.object({
  dataDir: z.string(),
  dbBytes: z.number().int(),
  walBytes: z.number().int(),
  /** Change in size since the oldest kept backup (null: no backup yet). */
  growth: z.object({ since: z.string(), bytes: z.number().int() }).nullable(),
  lastBackup: BackupDone.nullable(),
  backupCount: z.number().int(),
  integrity: IntegrityCheck.nullable(),
  sync: z.object({ configured: z.boolean(), pendingCount: z.number().int(), lastSuccessAt: z.number().nullable(), running: z.boolean() }),
  model: z.object({ fileName: z.string(), name: z.string().nullable(), fileBytes: z.number().int().nullable(), memoryBytes: z.number().int().nullable() }).nullable(),
  records: z.object({ leads: z.number().int(), sessions: z.number().int(), analyses: z.number().int(), lines: z.number().int(), knowledge: z.number().int() }),
});
export type StoreHealth = z.infer<typeof StoreHealth>;

export const Licence = z.object({ name: z.string(), version: z.string(), license: z.string() });
export type Licence = z.infer<typeof Licence>;

export const OpenTarget = z.enum(['dataDir', 'logFile', 'backups']);

export const systemRequests = {
  /** Paths, schema version and row counts. */
  'system:info': request(Empty, SystemInfo, 'Paths, schema version and row counts'),
  /** Online state and database health for the status bar. */
  'system:status': request(Empty, SystemStatus, 'Online state and database health'),
  /** Opens an https link in the system browser (Electron only; validated). */
  'system:health': request(Empty, StoreHealth, 'Store health in words: size, growth, backups, integrity, sync queue, loaded model'),
  'system:backupNow': request(Empty, BackupDone, 'Take a backup of the store now (SQLite online backup)'),
  'system:checkIntegrity': request(Empty, IntegrityCheck, "Run SQLite's quick_check on the store and remember the result"),
  'system:openPath': request(z.object({ target: OpenTarget }).strict(), Ok, 'Open the data folder, the log file or the backups folder with the system'),
  'system:licences': request(Empty, z.object({ components: z.array(Licence) }), 'Licences of the bundled components (from their package.json)'),
  'system:openExternal': request(z.object({ url: z.string().max(2048) }).strict(), Ok, 'Open an https link externally'),
} as const;

export const systemEvents = {
  'system:status': event(SystemStatus, 'Online state or database health changed'),
} as const;
