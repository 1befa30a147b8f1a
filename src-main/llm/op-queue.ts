import { AppError } from '@shared/contract/errors';

interface Pending {
  run: () => Promise<void>;
  cancel: () => void;
}

/**
 * Runs model operations one at a time, in order. A waiting operation whose AbortSignal fires leaves
 * the queue at once with CANCELLED; a running one is cancelled by its own task through the signal.
 */
export class OpQueue {
  private readonly waiting: Pending[] = [];
  private running = false;

  get size(): number {
    return this.waiting.length;
  }

  get busy(): boolean {
    return this.running;
  }

  run<T>(task: () => Promise<T>, signal?: AbortSignal, onChange?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new AppError('CANCELLED', 'The request was cancelled before it started.'));
        return;
      }
      const onAbort = (): void => {
        const index = this.waiting.indexOf(entry);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        reject(new AppError('CANCELLED', 'The request was cancelled before it started.'));
        onChange?.();
      };
      const entry: Pending = {
        run: async () => {
          signal?.removeEventListener('abort', onAbort);
          try {
            resolve(await task());
          } catch (error) {
            reject(error);
          }
        },
        cancel: onAbort,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
      onChange?.();
      void this.pump(onChange);
    });
  }

  private async pump(onChange?: () => void): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
        onChange?.();
        await next.run();
      }
    } finally {
      this.running = false;
      onChange?.();
    }
  }
}
