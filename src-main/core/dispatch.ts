import { ZodError, type z } from 'zod';
import { isRequestChannel, requests, type Envelope, type RequestChannel, type Requests } from '@shared/contract';
import type { RequestDef } from '@shared/contract/define';
import { AppError, isAppError, type IpcError } from '@shared/contract/errors';
import type { EventBus } from './event-bus';
import type { OperationOutcome, Operations } from './operations';

export interface HandlerContext {
  /** Aborted by `ops:cancel` with the input's requestId, or when the caller goes away. */
  signal: AbortSignal;
  events: EventBus;
  /**
   * Keeps this request's operation (its id, signal and timing) open until `work` settles, for work that
   * goes on after the handler answered (a streamed reply). Without a requestId the work is untracked.
   */
  continueWith(work: Promise<OperationOutcome>): void;
}

/**
 * The handlers of one contract record, typed from it: a missing or an extra channel is a type error.
 * A feature declares `handlers: HandlersOf<typeof palletsRequests>`; the core's table is `HandlersOf<Requests>`.
 */
export type HandlersOf<R extends Record<string, RequestDef>> = {
  [C in keyof R]: (input: z.output<R[C]['input']>, ctx: HandlerContext) => Promise<z.output<R[C]['output']>> | z.output<R[C]['output']>;
};
export type HandlerTable = HandlersOf<Requests>;
export type Handler<C extends RequestChannel> = HandlerTable[C];

const MAX_MESSAGE = 500;

export function toIpcError(error: unknown): IpcError {
  if (isAppError(error)) return { code: error.code, message: error.message.slice(0, MAX_MESSAGE) };
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { code: 'VALIDATION', message: `Invalid input — ${where}${issue?.message ?? 'does not match the contract'}`.slice(0, MAX_MESSAGE) };
  }
  if (error instanceof Error && error.name === 'AbortError') return { code: 'CANCELLED', message: 'The operation was cancelled.' };
  const systemCode = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (systemCode === 'ENOSPC' || systemCode === 'SQLITE_FULL') return { code: 'UNAVAILABLE', message: 'Not enough disk space.' };
  if (systemCode === 'SQLITE_BUSY' || systemCode === 'SQLITE_LOCKED') return { code: 'UNAVAILABLE', message: 'The database is busy; try again in a moment.' };
  if (systemCode === 'EACCES' || systemCode === 'EPERM') return { code: 'FORBIDDEN', message: 'Fieldmate is not allowed to access that file or folder.' };
  // Unknown errors are logged in full by the caller; the renderer only gets a sentence.
  return { code: 'INTERNAL', message: 'Something went wrong inside Fieldmate; the details are in the log file.' };
}

function requestIdOf(input: unknown): string | null {
  if (typeof input === 'object' && input !== null && 'requestId' in input) {
    const id = (input as { requestId: unknown }).requestId;
    if (typeof id === 'string') return id;
  }
  return null;
}

/**
 * The one entry point both transports call: validates the channel and the input against the contract,
 * runs the handler with an AbortSignal, validates the output, and turns every failure into
 * `{code, message}`. It never throws.
 */
export async function dispatch(
  handlers: HandlerTable,
  deps: { events: EventBus; operations: Operations; log: (line: string) => void },
  channel: unknown,
  rawInput: unknown,
): Promise<Envelope<unknown>> {
  if (!isRequestChannel(channel)) {
    return { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channel).slice(0, 80)}` } };
  }
  const def = requests[channel];
  const parsed = def.input.safeParse(rawInput === undefined ? {} : rawInput);
  if (!parsed.success) return { ok: false, error: toIpcError(parsed.error) };
  // Control requests (stop / pause / cancel) name another operation's id: they never start one.
  const requestId = 'control' in def && def.control ? null : requestIdOf(parsed.data);
  const signal = requestId ? deps.operations.start(requestId, channel) : new AbortController().signal;
  try {
    const handler = handlers[channel] as Handler<RequestChannel>;
    const continueWith = (work: Promise<OperationOutcome>): void => {
      if (requestId) deps.operations.continueWith(requestId, signal, work);
    };
    const value = await handler(parsed.data as never, { signal, events: deps.events, continueWith });
    const output = def.output.safeParse(value);
    if (!output.success) {
      deps.log(`[ipc] ${channel} returned a value outside its contract: ${output.error.message}`);
      throw new AppError('INTERNAL', 'Fieldmate produced an invalid answer; the details are in the log file.');
    }
    if (requestId) deps.operations.finish(requestId, 'ok', signal);
    return { ok: true, value: output.data };
  } catch (error) {
    const ipcError = signal.aborted ? { code: 'CANCELLED' as const, message: 'The operation was cancelled.' } : toIpcError(error);
    if (requestId) deps.operations.finish(requestId, signal.aborted ? 'cancelled' : 'error', signal);
    if (ipcError.code === 'INTERNAL') deps.log(`[ipc] ${channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { ok: false, error: ipcError };
  }
}
