import { AppError, isAppError } from '@shared/contract/errors';
import type { SyncConfig, SyncConfigPatch, SyncRunSummary, SyncStatus, TestConnectionResult } from '@shared/contract/sync';
import { pendingChangeCount } from '../db/changes';
import type { Db } from '../db/open';
import { describeCaCertificate, readCaCertificate, storeCaCertificate } from './ca-certificate';
import { readSyncConfig, writeSyncConfig } from './config';
import { SchemaMismatchError, connectServer, toSyncError, type ServerConnection, type ServerTarget } from './connection';
import type { SyncHooks, SyncLimits } from './engine-context';
import { runSync, type SyncRunResult } from './engine';
import { readLastSuccess, rejectedCount } from './local-state';
import { SYNC_PASSWORD_SECRET, type SecretStore } from './secrets';
import { SYNC_SCHEMA_VERSION } from './server/migrations';

export interface SyncServiceOptions {
  db: Db;
  secrets: SecretStore;
  isOnline: () => boolean;
  log: (line: string) => void;
  emit: (status: SyncStatus) => void;
  now?: () => number;
  connect?: (target: ServerTarget) => Promise<ServerConnection>;
  hooks?: SyncHooks;
  limits?: Partial<SyncLimits>;
  /** First retry after a failure; doubles up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often online state and the pending count are checked (reconnect trigger). */
  pollMs?: number;
  /** How long `stop()` lets the current batch finish before cutting the connection (rolls it back). */
  stopTimeoutMs?: number;
}

type Trigger = 'start' | 'interval' | 'reconnect' | 'retry' | 'manual';

/**
 * Smaller pages than the engine's defaults (which the CLI and the benchmark use): each page is applied
 * in one synchronous SQLite transaction on the main process, so a page must stay in the tens of ms.
 */
const SERVICE_LIMITS: Partial<SyncLimits> = { pullPage: 2000, bulkPage: 10_000 };

/**
 * Runs sync in the background: at start, every N minutes while online, on reconnect, and on "Sync
 * now". One run at a time (a request during a run queues exactly one follow-up); failures back off
 * exponentially; nothing here blocks the caller's thread beyond short SQLite transactions.
 */
export class SyncService {
  private readonly db: Db;
  private readonly now: () => number;
  private readonly stopController = new AbortController();
  private running: Promise<SyncRunResult> | null = null;
  private followUp: Promise<SyncRunResult> | null = null;
  private conn: ServerConnection | null = null;
  private connKey = '';
  private timer: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private failures = 0;
  private wasOnline = false;
  private lastPending = -1;
  private phase: SyncStatus['phase'] = 'idle';
  private lastError: SyncStatus['lastError'] = null;
  private lastAttemptAt: number | null = null;
  private nextRunAt: number | null = null;
  private lastRun: SyncRunSummary | null = null;
  private lastProgressEmit = 0;

  constructor(private readonly options: SyncServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
  }

  get secrets(): SecretStore {
    return this.options.secrets;
  }

  /** Swaps the secret store (Electron's glue does this once safeStorage is ready). */
  useSecretStore(secrets: SecretStore): void {
    this.options.secrets = secrets;
  }

  /** Starts the triggers (the desktop app and the headless host; never the CLI). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.wasOnline = this.options.isOnline();
    this.schedule(0);
    this.poller = setInterval(() => this.poll(), this.options.pollMs ?? 5000);
    this.poller.unref();
  }

  /** Stops the triggers; the current batch finishes (or, after the timeout, rolls back). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.poller) clearInterval(this.poller);
    this.stopController.abort();
    const current = this.running;
    if (current) {
      let timeout: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        current.then(() => false, () => false),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(true), this.options.stopTimeoutMs ?? 15_000);
        }),
      ]);
      clearTimeout(timeout);
      // Cutting the connection aborts the server transaction: the batch is rolled back, not half-done.
      if (timedOut) await this.conn?.close();
      await current.catch(() => undefined);
    }
    await this.conn?.close();
    this.conn = null;
  }

  private poll(): void {
    const online = this.options.isOnline();
    if (online && !this.wasOnline) void this.trigger('reconnect');
    this.wasOnline = online;
    const pending = pendingChangeCount(this.db);
    if (pending !== this.lastPending) {
      this.lastPending = pending;
      this.emit();
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped || !this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextRunAt = this.now() + delayMs;
    this.timer = setTimeout(() => void this.trigger(delayMs === 0 ? 'start' : this.failures > 0 ? 'retry' : 'interval'), delayMs);
    this.timer.unref();
  }

  private async trigger(reason: Trigger): Promise<void> {
    const config = readSyncConfig(this.db);
    if (this.stopped || !config.enabled || !config.serverUrl || !config.user) {
      this.nextRunAt = null;
      return;
    }
    if (!this.options.isOnline()) {
      // Offline is not an error: the reconnect trigger runs as soon as the network is back.
      this.schedule(config.intervalMinutes * 60_000);
      this.emit();
      return;
    }
    try {
      await this.syncNow(undefined, reason);
    } catch {
      // Recorded in the status (lastError); the schedule below retries.
    }
  }

  /** Runs a sync now, or after the running one (one follow-up at most). */
  async syncNow(signal?: AbortSignal, reason: Trigger = 'manual', onProgress?: (phase: string, done: number, total: number | null) => void): Promise<SyncRunSummary> {
    if (this.stopped) throw new AppError('UNAVAILABLE', 'Fieldmate is closing; sync will run next time.');
    if (this.running) {
      this.followUp ??= this.running
        .catch(() => undefined)
        .then(() => {
          this.followUp = null;
          return this.execute(reason, signal, onProgress);
        });
      return this.followUp;
    }
    return this.execute(reason, signal, onProgress);
  }

  private async target(): Promise<ServerTarget> {
    const config = readSyncConfig(this.db);
    if (!config.serverUrl || !config.user) throw new AppError('SYNC_ERROR', 'Sync is not set up: enter the server address and user in Settings → Sync.');
    const password = await this.options.secrets.get(SYNC_PASSWORD_SECRET);
    if (!password) throw new AppError('SYNC_ERROR', 'No sync password is stored on this device: enter it in Settings → Sync.');
    const ca = await readCaCertificate(this.db, this.options.secrets);
    return { url: config.serverUrl, user: config.user, password, caCertificate: ca?.pem ?? null, allowInsecure: config.allowInsecure };
  }

  private async connection(target: ServerTarget): Promise<ServerConnection> {
    const key = [target.url, target.user, target.password, target.caCertificate ?? '', String(target.allowInsecure === true)].join('\u0000');
    if (this.conn && this.conn.usable() && this.connKey === key) return this.conn;
    await this.conn?.close();
    this.conn = null;
    const conn = await (this.options.connect ?? connectServer)(target);
    this.conn = conn;
    this.connKey = key;
    return conn;
  }

  private execute(reason: Trigger, signal?: AbortSignal, onProgress?: (phase: string, done: number, total: number | null) => void): Promise<SyncRunResult> {
    const started = this.now();
    this.lastAttemptAt = started;
    this.phase = 'push';
    const run = (async () => {
      await Promise.resolve(); // `running` is set below before any work starts
      try {
        const conn = await this.connection(await this.target());
        const result = await runSync(this.db, conn, {
          signal: signal ? AbortSignal.any([signal, this.stopController.signal]) : this.stopController.signal,
          hooks: this.options.hooks,
          limits: { ...SERVICE_LIMITS, ...this.options.limits },
          now: this.now,
          log: this.options.log,
          onProgress: (phase, done, total) => {
            this.phase = phase;
            onProgress?.(phase, done, total);
            if (this.now() - this.lastProgressEmit > 250) {
              this.lastProgressEmit = this.now();
              this.emit();
            }
          },
        });
        this.failures = 0;
        this.lastError = null;
        this.lastRun = summary(result);
        this.options.log(`[sync] ${reason}: pushed ${result.pushed}, pulled ${result.pulled}, rejected ${result.rejected} in ${result.ms.toFixed(0)} ms`);
        if (signal?.aborted) throw new AppError('CANCELLED', 'Sync was cancelled; what was sent is kept.');
        return result;
      } catch (error) {
        const appError = isAppError(error) ? error : toSyncError(error);
        if (!this.conn?.usable()) {
          await this.conn?.close();
          this.conn = null;
        }
        if (appError.code !== 'CANCELLED') {
          this.failures += 1;
          this.lastError = { code: appError.code, message: appError.message, at: this.now() };
          this.lastRun = { ok: false, pushed: 0, pulled: 0, rejected: 0, bytesSent: 0, ms: this.now() - started, message: appError.message };
          this.options.log(`[sync] ${reason} failed: ${appError.message}${isAppError(error) ? '' : ` (${error instanceof Error ? error.message : String(error)})`}`);
        }
        throw appError;
      } finally {
        this.phase = 'idle';
        this.running = null;
        const config = readSyncConfig(this.db);
        if (config.enabled && this.started && !this.stopped) {
          this.schedule(this.failures > 0 ? this.backoffMs() : config.intervalMinutes * 60_000);
        } else {
          this.nextRunAt = null;
        }
        this.emit();
      }
    })();
    this.running = run;
    this.emit();
    return run;
  }

  private backoffMs(): number {
    const min = this.options.minBackoffMs ?? 15_000;
    const max = this.options.maxBackoffMs ?? 30 * 60_000;
    const base = Math.min(max, min * 2 ** Math.min(this.failures - 1, 20));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  status(): SyncStatus {
    const config = readSyncConfig(this.db);
    return {
      configured: Boolean(config.serverUrl && config.user),
      enabled: config.enabled,
      online: this.options.isOnline(),
      running: this.running !== null,
      phase: this.phase,
      pendingCount: pendingChangeCount(this.db),
      rejectedCount: rejectedCount(this.db),
      lastSuccessAt: readLastSuccess(this.db),
      lastAttemptAt: this.lastAttemptAt,
      nextRunAt: this.nextRunAt,
      lastError: this.lastError,
      lastRun: this.lastRun,
    };
  }

  private emit(): void {
    if (!this.db.$client.open) return;
    try {
      this.options.emit(this.status());
    } catch (error) {
      this.options.log(`[sync] status event failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async getConfig(): Promise<SyncConfig> {
    const config = readSyncConfig(this.db);
    const password = await this.options.secrets.get(SYNC_PASSWORD_SECRET);
    const ca = await readCaCertificate(this.db, this.options.secrets);
    const { caCertificate: _pem, ...visible } = config;
    return {
      ...visible,
      hasPassword: Boolean(password),
      passwordPersistent: this.options.secrets.persistent,
      passwordWeaklyEncrypted: this.options.secrets.weakEncryption === true,
      caCertificate: ca ? { ...describeCaCertificate(ca.pem), inKeychain: ca.inKeychain } : null,
    };
  }

  async configure(patch: SyncConfigPatch): Promise<SyncConfig> {
    const { password, caCertificate, ...rest } = patch;
    const before = readSyncConfig(this.db);
    if (caCertificate) describeCaCertificate(caCertificate);
    const next = writeSyncConfig(this.db, rest);
    if (password === null) await this.options.secrets.delete(SYNC_PASSWORD_SECRET);
    else if (password !== undefined) await this.options.secrets.set(SYNC_PASSWORD_SECRET, password);
    if (caCertificate !== undefined) await storeCaCertificate(this.db, this.options.secrets, caCertificate);
    if (next.serverUrl !== before.serverUrl || next.user !== before.user || password !== undefined || caCertificate !== undefined || next.allowInsecure !== before.allowInsecure) {
      await this.conn?.close();
      this.conn = null;
      this.failures = 0;
      this.lastError = null;
    }
    if (this.started && !this.stopped) {
      if (next.enabled && (!before.enabled || next.intervalMinutes !== before.intervalMinutes)) this.schedule(before.enabled ? next.intervalMinutes * 60_000 : 0);
      if (!next.enabled && this.timer) {
        clearTimeout(this.timer);
        this.nextRunAt = null;
      }
    }
    this.emit();
    return this.getConfig();
  }

  /** Connects with the saved settings, overridden by unsaved ones from the form; changes nothing. */
  async testConnection(overrides: { serverUrl?: string; user?: string; password?: string; allowInsecure?: boolean; caCertificate?: string | null } = {}): Promise<TestConnectionResult> {
    const config = readSyncConfig(this.db);
    const url = overrides.serverUrl ?? config.serverUrl;
    const user = overrides.user ?? config.user;
    const password = overrides.password ?? (await this.options.secrets.get(SYNC_PASSWORD_SECRET));
    const allowInsecure = overrides.allowInsecure ?? config.allowInsecure;
    const base = { clientSchema: SYNC_SCHEMA_VERSION, serverSchema: null, team: null, latencyMs: null };
    if (!url || !user) return { ...base, ok: false, message: 'Enter the server address and the user name first.' };
    if (!password) return { ...base, ok: false, message: 'Enter the password first.' };
    let conn: ServerConnection | null = null;
    try {
      const caCertificate = overrides.caCertificate !== undefined ? overrides.caCertificate : ((await readCaCertificate(this.db, this.options.secrets))?.pem ?? null);
      if (caCertificate) describeCaCertificate(caCertificate);
      conn = await (this.options.connect ?? connectServer)({ url, user, password, caCertificate, allowInsecure });
      const t0 = performance.now();
      await conn.client.query('SELECT 1');
      const latencyMs = performance.now() - t0;
      return {
        ok: true,
        message: `Connected to ${conn.where} as ${conn.info.user} (team ${conn.info.team ?? '?'}).`,
        clientSchema: SYNC_SCHEMA_VERSION,
        serverSchema: conn.info.version,
        team: conn.info.team,
        latencyMs,
      };
    } catch (error) {
      const appError = isAppError(error) ? error : toSyncError(error);
      return { ...base, ok: false, message: appError.message, serverSchema: error instanceof SchemaMismatchError ? error.serverVersion : null };
    } finally {
      await conn?.close();
    }
  }
}

function summary(result: SyncRunResult): SyncRunSummary {
  const { ok, pushed, pulled, rejected, bytesSent, ms, message } = result;
  return { ok, pushed, pulled, rejected, bytesSent, ms, message };
}
