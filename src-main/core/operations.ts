/**
 * Registry of long operations by request id, so `ops:cancel` (or a closed window) can abort them.
 * Every entry logs its duration when it ends: the timing log asked of every long operation.
 */
export class Operations {
  private readonly running = new Map<string, { controller: AbortController; started: number; channel: string }>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  start(requestId: string, channel: string): AbortSignal {
    this.running.get(requestId)?.controller.abort();
    const controller = new AbortController();
    this.running.set(requestId, { controller, started: performance.now(), channel });
    return controller.signal;
  }

  /** Ends the operation started with `signal` (a newer operation reusing the id is left alone). */
  finish(requestId: string, outcome: 'ok' | 'error' | 'cancelled', signal?: AbortSignal): void {
    const op = this.running.get(requestId);
    if (!op || (signal && op.controller.signal !== signal)) return;
    this.running.delete(requestId);
    this.log(`[op] ${op.channel} ${requestId} ${outcome} in ${(performance.now() - op.started).toFixed(1)} ms`);
  }

  cancel(requestId: string): boolean {
    const op = this.running.get(requestId);
    if (!op) return false;
    op.controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const op of this.running.values()) op.controller.abort();
  }

  get size(): number {
    return this.running.size;
  }
}
