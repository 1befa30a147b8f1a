import { z } from 'zod';
import { TEXT_LIMITS } from './limits';

/**
 * Building blocks of the IPC contract. Every request channel has an input and an output schema;
 * every event channel has a payload schema. The same definitions drive the Electron transport, the
 * headless WebSocket transport, the preload allowlist and the renderer's typed client.
 */
export interface RequestDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for humans (shown in the fuzz report and the CLI's help). */
  doc: string;
  /**
   * A control request acts on another operation named by its `requestId` (stop, pause, cancel): it must
   * not start an operation of its own under that id, which would abort the one it targets.
   */
  control?: boolean;
}

export function request<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string, options: { control?: boolean } = {}): RequestDef<I, O> {
  return { input, output, doc, ...(options.control ? { control: true } : {}) };
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  payload: P;
  doc: string;
}

export function event<P extends z.ZodType>(payload: P, doc: string): EventDef<P> {
  return { payload, doc };
}

/** Ids are UUIDv7 strings; bound their length so a huge string never reaches SQL. */
export const Id = z.string().min(1).max(64);
/** Free text typed by a person: bounded so a 100 kB paste is answered, not stored blindly. */
export const Text = (max: number = TEXT_LIMITS.defaultChars) => z.string().max(max);
/** What a person may paste: a 100 kB paste is accepted and cut by the coach (with a notice). */
export const Pasted = Text(TEXT_LIMITS.pastedChars).min(1, 'Type something first: the text is empty.');
/** An optional page size between 1 and `max`. */
export const Limit = (max: number) => z.number().int().min(1).max(max).optional();
/** Every long operation carries a request id chosen by the caller, used for progress and cancel. */
export const RequestId = z.string().min(1).max(64);
export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });
