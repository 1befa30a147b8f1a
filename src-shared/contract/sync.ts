import { z } from 'zod';
import { Empty, Id, RequestId, event, request } from './define';
import { SYNC_LIMITS } from './limits';

/**
 * Sync with the team's PostgreSQL. The password is write-only here: it goes into the main process's
 * secret store and never comes back to the renderer (`hasPassword` says whether one is stored).
 */
/** The CA certificate the sync connection trusts (its PEM stays in the main process). */
export const SyncCaCertificate = z.object({
  subject: z.string().max(300),
  issuer: z.string().max(300),
  validTo: z.number(),
  fingerprint: z.string().max(200),
  /** True when it is kept in the OS keyring, false when in the device's settings. */
  inKeychain: z.boolean(),
});
export type SyncCaCertificate = z.infer<typeof SyncCaCertificate>;

export const SyncConfig = z.object({
  /** `postgres://host:5432/database`, without user or password; TLS with verify-full unless loopback. */
  serverUrl: z.string().max(SYNC_LIMITS.serverUrlChars).nullable(),
  user: z.string().max(SYNC_LIMITS.userChars).nullable(),
  enabled: z.boolean(),
  intervalMinutes: z.number().int().min(1).max(SYNC_LIMITS.intervalMinutesMax),
  hasPassword: z.boolean(),
  /** False when the secret store only keeps the password for this session (no OS keyring). */
  passwordPersistent: z.boolean(),
  /**
   * True when the saved password is encrypted with a key anyone can know: on Linux without a reachable
   * keyring Electron's safeStorage falls back to a fixed key ("basic_text"). The UI says so.
   */
  passwordWeaklyEncrypted: z.boolean(),
  /** The visible insecure choice: the address's sslmode may turn off TLS or certificate checks. */
  allowInsecure: z.boolean(),
  caCertificate: SyncCaCertificate.nullable(),
});
export type SyncConfig = z.infer<typeof SyncConfig>;

export const SyncConfigPatch = z
  .object({
    serverUrl: z.string().max(SYNC_LIMITS.serverUrlChars).nullable().optional(),
    user: z.string().max(SYNC_LIMITS.userChars).nullable().optional(),
    /** Write-only; null removes the stored password. */
    password: z.string().max(SYNC_LIMITS.passwordChars).nullable().optional(),
    enabled: z.boolean().optional(),
    intervalMinutes: z.number().int().min(1).max(SYNC_LIMITS.intervalMinutesMax).optional(),
    allowInsecure: z.boolean().optional(),
    /** PEM text of the CA file the person chose; null removes it. */
    caCertificate: z.string().max(65536).nullable().optional(),
  })
  .strict();
export type SyncConfigPatch = z.infer<typeof SyncConfigPatch>;

export const SyncErrorInfo = z.object({
  /** 'UNAVAILABLE' (offline, unreachable, restarting), 'SYNC_ERROR' (needs a person), … */
  code: z.string().max(32),
  /** One sentence a salesperson can act on. */
  message: z.string().max(500),
  at: z.number(),
});

export const SyncRunSummary = z.object({
  ok: z.boolean(),
  /** Local changes the server accepted (rows of bulk imports count one each). */
  pushed: z.number().int().nonnegative(),
  /** Server rows applied here. */
  pulled: z.number().int().nonnegative(),
  /** Changes the server (or this device) refused; see `sync:rejections`. */
  rejected: z.number().int().nonnegative(),
  bytesSent: z.number().int().nonnegative(),
  ms: z.number().nonnegative(),
  message: z.string().max(500).nullable(),
});
export type SyncRunSummary = z.infer<typeof SyncRunSummary>;

export const SyncStatus = z.object({
  configured: z.boolean(),
  enabled: z.boolean(),
  online: z.boolean(),
  running: z.boolean(),
  phase: z.enum(['idle', 'push', 'pull']),
  /** Local changes not yet accepted by the server. */
  pendingCount: z.number().int().nonnegative(),
  rejectedCount: z.number().int().nonnegative(),
  lastSuccessAt: z.number().nullable(),
  lastAttemptAt: z.number().nullable(),
  nextRunAt: z.number().nullable(),
  lastError: SyncErrorInfo.nullable(),
  lastRun: SyncRunSummary.nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const RecordSyncState = z.enum(['pending', 'synced', 'rejected']);
export type RecordSyncState = z.infer<typeof RecordSyncState>;

/** SQL table name of a synced table (`leads`, `pallet_items`, …); checked by the handler. */
export const SyncTableName = z.string().min(1).max(64);

export const TestConnectionResult = z.object({
  ok: z.boolean(),
  message: z.string().max(500),
  serverSchema: z.number().int().nullable(),
  clientSchema: z.number().int(),
  team: z.string().nullable(),
  latencyMs: z.number().nonnegative().nullable(),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResult>;

export const Rejection = z.object({ table: z.string(), id: z.string(), reason: z.string(), at: z.number() });

export const syncRequests = {
  'sync:status': request(Empty, SyncStatus, 'Pending count, last success, last error and whether a sync runs'),
  'sync:getConfig': request(Empty, SyncConfig, 'Sync settings (never the password)'),
  'sync:configure': request(SyncConfigPatch, SyncConfig, 'Change sync settings; the password goes to the secret store'),
  'sync:now': request(z.object({ requestId: RequestId.optional() }).strict(), SyncRunSummary, 'Sync now (waits for a running sync, then runs)'),
  'sync:testConnection': request(
    z
      .object({
        serverUrl: z.string().max(SYNC_LIMITS.serverUrlChars).optional(),
        user: z.string().max(SYNC_LIMITS.userChars).optional(),
        password: z.string().max(SYNC_LIMITS.passwordChars).optional(),
        allowInsecure: z.boolean().optional(),
        /** Unsaved CA (PEM); null tests without the saved one. */
        caCertificate: z.string().max(65536).nullable().optional(),
      })
      .strict(),
    TestConnectionResult,
    'Connect, check the schema version and the team (unsaved values override the saved ones)',
  ),
  'sync:recordStates': request(
    z.object({ table: SyncTableName, ids: z.array(Id).max(1000) }).strict(),
    z.object({ states: z.record(z.string(), z.object({ state: RecordSyncState, reason: z.string().nullable() })) }),
    'Per-record sync state (pending / synced / rejected) for the records on screen',
  ),
  'sync:rejections': request(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(), z.object({ items: z.array(Rejection), total: z.number().int() }), 'Changes the server refused, newest first'),
} as const;

export const syncEvents = {
  'sync:status': event(SyncStatus, 'Sync status changed (start, progress, end, error, settings)'),
} as const;
