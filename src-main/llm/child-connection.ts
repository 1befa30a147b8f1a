/**
 * One running model child: spawn, wait for "ready", request/response calls with streamed deltas,
 * cancel (with a grace period after which the child is killed), and exit detection. The host owns the
 * policy (what a crash means, restarting); this class only reports.
 */
import { basename } from 'node:path';
import { AppError } from '@shared/contract/errors';
import type { ChildHandle, ChildSpawner } from './child-spawner';
import { ChildToHost, type ChildOp } from './llm-protocol';

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  onDelta?: (text: string) => void;
  onProgress?: (fraction: number) => void;
}

export interface ChildExit {
  code: number | null;
  signal: string | null;
  /** Set when the host killed the child on purpose (dispose, a call that would not stop). */
  killedBecause: string | null;
  /** Calls that were in flight when the child died. */
  inFlight: { op: ChildOp; params: unknown }[];
  stderrTail: string;
}

interface PendingCall {
  op: ChildOp;
  params: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onDelta?: (text: string) => void;
  onProgress?: (fraction: number) => void;
}

const STDERR_TAIL = 8192;

/** The most telling line of the child's last stderr output, e.g. "GGML_ASSERT(...) failed". */
export function summariseStderr(tail: string): string | null {
  const lines = tail.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines.findLast((l) => l.includes('GGML_ASSERT') || /\b(fatal|terminate|abort|error)\b/i.test(l)) ?? null;
  // Drop the build machine's source path before "GGML_ASSERT".
  return line ? line.replace(/^.*?:\d+: (?=GGML_ASSERT)/, '').slice(0, 300) : null;
}

export class ChildConnection {
  private handle: ChildHandle | null = null;
  private readonly pending = new Map<string, PendingCall>();
  private ready: Promise<void> | null = null;
  private stderr = '';
  private killedBecause: string | null = null;
  private exited = false;
  private nextId = 0;

  constructor(
    private readonly spawner: ChildSpawner,
    private readonly options: {
      startTimeoutMs: number;
      cancelGraceMs: number;
      onLog: (level: string, message: string) => void;
      /** Returns the error the in-flight calls fail with (the host knows what was going on). */
      onExit: (exit: ChildExit) => Error | undefined;
    },
  ) {}

  get pid(): number | undefined {
    return this.handle?.pid;
  }

  get alive(): boolean {
    return this.handle !== null && !this.exited;
  }

  start(): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill(`it did not start within ${this.options.startTimeoutMs / 1000} s`);
        reject(new AppError('UNAVAILABLE', 'The model process did not start in time.'));
      }, this.options.startTimeoutMs);
      const started = (error?: Error): void => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      try {
        this.handle = this.spawner({
          onMessage: (message) => this.onMessage(message, started),
          onExit: (code, signal) => {
            started(new AppError('UNAVAILABLE', `The model process exited while starting. ${summariseStderr(this.stderr) ?? ''}`.trim()));
            this.onExit(code, signal);
          },
          onStderr: (text) => {
            this.stderr = (this.stderr + text).slice(-STDERR_TAIL);
          },
        });
      } catch (error) {
        clearTimeout(timer);
        this.exited = true;
        reject(new AppError('UNAVAILABLE', `The model process could not be started: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
    return this.ready;
  }

  private onMessage(raw: unknown, started: () => void): void {
    const parsed = ChildToHost.safeParse(raw);
    if (!parsed.success) {
      this.options.onLog('error', 'The model process sent a malformed message.');
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        started();
        return;
      case 'log':
        this.options.onLog(message.level, message.message);
        return;
      case 'delta':
        this.pending.get(message.id)?.onDelta?.(message.text);
        return;
      case 'progress':
        this.pending.get(message.id)?.onProgress?.(message.fraction);
        return;
      case 'result': {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if (message.ok) call.resolve(message.value);
        else call.reject(new AppError(message.error.code, message.error.message));
      }
    }
  }

  private onExit(code: number | null, signal: string | null): void {
    if (this.exited) return;
    this.exited = true;
    const inFlight = [...this.pending.values()].map(({ op, params }) => ({ op, params }));
    const calls = [...this.pending.values()];
    this.pending.clear();
    const exit: ChildExit = { code, signal, killedBecause: this.killedBecause, inFlight, stderrTail: this.stderr };
    const error = this.options.onExit(exit) ?? new AppError('MODEL_ERROR', `The model process stopped (${describeExit(exit)}).`);
    for (const call of calls) call.reject(error);
  }

  call<T>(op: ChildOp, params: unknown, options: CallOptions): Promise<T> {
    if (!this.handle || this.exited) return Promise.reject(new AppError('UNAVAILABLE', 'The model process is not running.'));
    const handle = this.handle;
    const id = `${op}-${++this.nextId}`;
    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      let graceTimer: NodeJS.Timeout | undefined;
      const cleanup = (): void => {
        clearTimeout(timeoutTimer);
        clearTimeout(graceTimer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const requestStop = (): void => {
        if (graceTimer) return;
        handle.send({ type: 'cancel', id });
        graceTimer = setTimeout(() => {
          this.kill(`it did not stop within ${this.options.cancelGraceMs / 1000} s after a cancel`);
        }, this.options.cancelGraceMs);
      };
      const onAbort = (): void => requestStop();
      const timeoutTimer = setTimeout(() => {
        timedOut = true;
        requestStop();
      }, options.timeoutMs);
      this.pending.set(id, {
        op,
        params,
        onDelta: options.onDelta,
        onProgress: options.onProgress,
        resolve: (value) => {
          cleanup();
          if (timedOut) reject(new AppError('TIMEOUT', `The model did not finish within ${Math.round(options.timeoutMs / 1000)} s.`));
          else resolve(value as T);
        },
        reject: (error) => {
          cleanup();
          reject(timedOut ? new AppError('TIMEOUT', `The model did not finish within ${Math.round(options.timeoutMs / 1000)} s.`) : error);
        },
      });
      if (options.signal?.aborted) requestStop();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      handle.send({ type: 'call', id, op, params });
    });
  }

  kill(reason: string): void {
    if (!this.handle || this.exited) return;
    this.killedBecause ??= reason;
    this.handle.kill();
  }
}

/** The user-facing reason for a child exit; `crashedPath` is set when loading (or sizing) that file killed it. */
export function describeCrash(exit: ChildExit): { reason: string; crashedPath: string | null } {
  const how = describeExit(exit);
  const detail = summariseStderr(exit.stderrTail);
  const suffix = detail ? `: ${detail}` : '';
  const crashed = exit.killedBecause ? undefined : exit.inFlight.find((c) => c.op === 'load' || c.op === 'fit');
  const path = (crashed?.params as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string' && path !== '') {
    return {
      reason: `Loading ${basename(path)} crashed the model process (${how}${suffix}). The file is probably malformed or not supported by this runtime; it is marked broken.`,
      crashedPath: path,
    };
  }
  return { reason: `The model process stopped (${how}${suffix}); it was restarted.`, crashedPath: null };
}

export function describeExit(exit: Pick<ChildExit, 'code' | 'signal' | 'killedBecause'>): string {
  if (exit.killedBecause) return `stopped by the app because ${exit.killedBecause}`;
  if (exit.signal) return `signal ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}
