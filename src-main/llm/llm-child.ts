/**
 * Entry of the model child process (child_process.fork under Node, utilityProcess in Electron). Runs
 * node-llama-cpp, so a native abort or out-of-memory on a bad model kills only this process; the host
 * notices, marks the model broken and starts a fresh child.
 *
 * Calls are answered as they come; the host serialises model operations, so at most one generation
 * runs at a time (a fit estimate or a cancel can arrive meanwhile).
 */
import { AppError, isAppError } from '@shared/contract/errors';
import { ChildToHost, HostToChild, connectToParent, opParams, type ChildOp } from './llm-protocol';
import { LlmRuntime } from './llm-runtime';

const channel = connectToParent();
const send = (message: ChildToHost): void => channel.send(message);
const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void => send({ type: 'log', level, message });
const runtime = new LlmRuntime(log, process.env.FIELDMATE_LLM_GPU === 'false' ? false : 'auto');
const running = new Map<string, AbortController>();

function toError(error: unknown): { code: AppError['code']; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  if (error instanceof Error && (error.name === 'AbortError' || error.message === 'This operation was aborted')) {
    return { code: 'CANCELLED', message: 'The operation was cancelled.' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'MODEL_ERROR', message: message || 'The model runtime failed.' };
}

/**
 * Streams text to the host: the first piece at once (time to first token), then coalesced every
 * DELTA_INTERVAL_MS, so the host is woken ~25 times a second instead of once per token (on a busy
 * 2-core laptop every extra wake-up competes with the inference threads).
 */
const DELTA_INTERVAL_MS = 40;
function deltaStream(id: string): { push: (text: string) => void; flush: () => void } {
  let buffer = '';
  let sentFirst = false;
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (buffer === '') return;
    send({ type: 'delta', id, text: buffer });
    buffer = '';
  };
  const push = (text: string): void => {
    if (text === '') return;
    buffer += text;
    if (!sentFirst) {
      sentFirst = true;
      flush();
    } else timer ??= setTimeout(flush, DELTA_INTERVAL_MS);
  };
  return { push, flush };
}

async function perform(op: ChildOp, rawParams: unknown, signal: AbortSignal, onText: (text: string) => void, onProgress: (fraction: number) => void): Promise<unknown> {
  switch (op) {
    case 'load': return runtime.load(opParams.load.parse(rawParams), signal, onProgress);
    case 'unload': return runtime.unload().then(() => ({}));
    case 'chat': return runtime.chat(opParams.chat.parse(rawParams), signal, onText);
    case 'complete': return runtime.complete(opParams.complete.parse(rawParams), signal, onText);
    case 'json': return runtime.json(opParams.json.parse(rawParams), signal, onText);
    case 'embed': return runtime.embed(opParams.embed.parse(rawParams).texts, signal);
    case 'fit': return runtime.fit(opParams.fit.parse(rawParams));
    case 'dropConversation':
      runtime.dropConversation(opParams.dropConversation.parse(rawParams).conversationId);
      return {};
  }
}

channel.onMessage((raw) => {
  const parsed = HostToChild.safeParse(raw);
  if (!parsed.success) {
    log('error', `Ignored a malformed message from the host: ${parsed.error.message}`);
    return;
  }
  const message = parsed.data;
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  const deltas = deltaStream(message.id);
  // Whole percents only: the status bar needs no more, and the channel stays quiet.
  let lastPercent = -1;
  const progress = (fraction: number): void => {
    const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
    if (percent === lastPercent) return;
    lastPercent = percent;
    send({ type: 'progress', id: message.id, fraction: percent / 100 });
  };
  perform(message.op, message.params, controller.signal, deltas.push, progress)
    .then((value) => {
      deltas.flush();
      send({ type: 'result', id: message.id, ok: true, value });
    })
    .catch((error: unknown) => {
      deltas.flush();
      send({ type: 'result', id: message.id, ok: false, error: toError(error) });
    })
    .finally(() => running.delete(message.id));
});

// Without a parent nobody can use or stop this process.
process.on('disconnect', () => process.exit(0));

send({ type: 'ready', pid: process.pid });
