export type OperationOutcome = 'ok' | 'error' | 'cancelled';

interface Running {
  controller: AbortController;
  started: number;
  channel: string;
  /** Set when the operation goes on after its request returned (a streamed reply). */
  continued: boolean;
  ended: Promise<void>;
  end: () => void;
}

/**
 * The one registry of long operations by request id: `ops:cancel` (or a closed window) aborts them,
 * callers can wait for one to end, and every entry logs its duration when it ends (the timing log asked
 * of every long operation). Services never keep their own request-id maps: they get the signal.
 */
export class Operations {
  private readonly running = new Map<string, Running>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  /** Starts an operation under `requestId`; a previous one under the same id is aborted. */
  start(requestId: string, channel: string): AbortSignal {
    this.running.get(requestId)?.controller.abort();
    const controller = new AbortController();
    let end = (): void => {};
    const ended = new Promise<void>((resolve) => (end = resolve));
    this.running.set(requestId, { controller, started: performance.now(), channel, continued: false, ended, end });
    return controller.signal;
  }

  /**
   * The operation started with `signal` ends when `work` settles instead of when its request returns:
   * a reply that streams after `coaching:send` answered stays cancellable by the same request id.
   */
  continueWith(requestId: string, signal: AbortSignal, work: Promise<OperationOutcome>): void {
    const op = this.running.get(requestId);
    if (!op || op.controller.signal !== signal) return;
    op.continued = true;
    work.then(
      (outcome) => this.end(requestId, op, outcome),
      () => this.end(requestId, op, signal.aborted ? 'cancelled' : 'error'),
    );
  }

  /** Ends the operation started with `signal` (a newer operation reusing the id is left alone). */
  finish(requestId: string, outcome: OperationOutcome, signal?: AbortSignal): void {
    const op = this.running.get(requestId);
    if (!op || (signal && op.controller.signal !== signal)) return;
    // A continued operation ends with its work; only a failed request ends it early.
    if (op.continued && outcome === 'ok') return;
    this.end(requestId, op, outcome);
  }

  private end(requestId: string, op: Running, outcome: OperationOutcome): void {
    if (this.running.get(requestId) === op) this.running.delete(requestId);
    else if (!op.continued) return;
    op.continued = false;
    op.end();
    this.log(`[op] ${op.channel} ${requestId} ${outcome} in ${(performance.now() - op.started).toFixed(1)} ms`);
  }

  /** Aborts the operation under `requestId`; `reason` tells a pause from a cancel where both exist. */
  cancel(requestId: string, reason?: unknown): boolean {
    const op = this.running.get(requestId);
    if (!op) return false;
    op.controller.abort(reason);
    return true;
  }

  /** Resolves once the operation under `requestId` has ended (at once when none runs). */
  settled(requestId: string): Promise<void> {
    return this.running.get(requestId)?.ended ?? Promise.resolve();
  }

  cancelAll(): void {
    for (const op of this.running.values()) op.controller.abort();
  }

  get size(): number {
    return this.running.size;
  }
}
