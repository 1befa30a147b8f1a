import type { z } from 'zod';
import type { EventDef, RequestDef } from './define';
import { systemEvents, systemRequests } from './system';
import { coachingEvents, coachingRequests } from './coaching';
import { syncEvents, syncRequests } from './sync';
import { filesRequests } from './files';
import { palletsEvents, palletsRequests } from './pallets';
import { modelsEvents, modelsRequests } from './models';

/**
 * The whole IPC contract: every request channel and every event channel of the app. The Electron
 * transport, the headless WebSocket transport, the preload allowlist and the renderer's typed client
 * are all derived from these two objects.
 */
export const requests = {
  ...systemRequests,
  ...coachingRequests,
  ...syncRequests,
  ...filesRequests,
  ...palletsRequests,
  ...modelsRequests,
} as const satisfies Record<string, RequestDef>;

export const events = {
  ...systemEvents,
  ...coachingEvents,
  ...syncEvents,
  ...palletsEvents,
  ...modelsEvents,
} as const satisfies Record<string, EventDef>;

export type Requests = typeof requests;
export type Events = typeof events;
export type RequestChannel = keyof Requests;
export type EventChannel = keyof Events;
export type RequestInput<C extends RequestChannel> = z.input<Requests[C]['input']>;
export type RequestParsed<C extends RequestChannel> = z.output<Requests[C]['input']>;
export type RequestOutput<C extends RequestChannel> = z.output<Requests[C]['output']>;
export type EventPayload<C extends EventChannel> = z.output<Events[C]['payload']>;

export const requestChannels = Object.keys(requests) as RequestChannel[];
export const eventChannels = Object.keys(events) as EventChannel[];

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** What a request returns across any transport: the value, or a code and one sentence. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
