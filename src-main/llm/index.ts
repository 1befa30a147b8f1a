import os from 'node:os';
import { llmRequests, type LlmStatus } from '@shared/contract/llm';
import { AppError } from '@shared/contract/errors';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import type { ChildSpawner } from './child-spawner';
import { createLlmHost, type LlmHost } from './llm-host';

export interface LlmContext {
  events: EventBus;
  log: Log;
  /** Threads from the settings (null: the machine's available parallelism). */
  threads: () => number | null;
  /** Electron passes a utilityProcess spawner; Node forks. */
  spawner?: ChildSpawner;
  /** Built model child entry (out/main/llm-child.js) when not running from sources. */
  childEntry?: string;
}

export interface LlmFeature {
  handlers: HandlersOf<typeof llmRequests>;
  close(): Promise<void>;
  /** The host, started on first use (its child process spawns then). */
  host(): LlmHost;
  /** The host only if it was ever started: status reads must not spawn a process. */
  startedHost(): LlmHost | null;
  /** Threads for a load: always explicit (node-llama-cpp's own default is 50–500× slower on 2 cores). */
  threads(): number;
}

const IDLE_STATUS: LlmStatus = { state: 'stopped', model: null, lastGeneration: null, lastError: null, broken: [], activeRequestId: null, queued: 0, restarts: 0, loading: null };

/**
 * The local language model: a child process runs node-llama-cpp, this side queues generations, streams
 * deltas and reports status. The host is created on first use, so starting the app or the CLI costs
 * nothing when no model is ever loaded. Cancelling a generation is `ops:cancel` with its request id.
 */
export function createLlmFeature(ctx: LlmContext): LlmFeature {
  let instance: LlmHost | null = null;
  let closed = false;
  // Request ids started through `llm:generate`: only their deltas go out as `llm:delta` (the coach's
  // replies stream as `coaching:delta` instead).
  const publicRequests = new Set<string>();
  const threads = () => ctx.threads() ?? os.availableParallelism();
  const host = (): LlmHost => {
    if (closed) throw new AppError('UNAVAILABLE', 'The model runtime is shut down.');
    if (!instance) {
      const created = createLlmHost({ spawner: ctx.spawner, childEntry: ctx.childEntry, defaultThreads: threads() });
      created.on('status', (status) => ctx.events.emit('llm:status', status));
      created.on('delta', (delta) => {
        if (publicRequests.has(delta.requestId)) ctx.events.emit('llm:delta', delta);
      });
      created.on('crash', (crash) => ctx.log(`[llm] model process crashed: ${crash.reason}`));
      created.on('log', (line) => ctx.log(`[llm] ${String(line)}`));
      instance = created;
    }
    return instance;
  };
  return {
    host,
    startedHost: () => instance,
    threads,
    async close() {
      closed = true;
      await instance?.dispose();
      instance = null;
    },
    handlers: {
      'llm:generate': async (input, op) => {
        publicRequests.add(input.requestId);
        try {
          return await host().generate(input, { signal: op.signal });
        } finally {
          publicRequests.delete(input.requestId);
        }
      },
      'llm:embed': (input, op) => host().embed(input, { signal: op.signal }),
      'llm:status': () => instance?.status() ?? IDLE_STATUS,
    },
  };
}

export type { LlmHost } from './llm-host';
export type { ChildSpawner } from './child-spawner';
// Structured output is validated and clamped the same way whichever model produced it (the endpoint too).
export { finalizeStructured, zodToJsonSchema, type JsonSchema } from './structured-output';
