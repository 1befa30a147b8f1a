import type { z } from 'zod';
import type { EventDef, RequestDef } from './define';
import { coachingEvents, coachingRequests } from './coaching';
import { endpointEvents, endpointRequests } from './endpoint';
import { filesEvents, filesRequests } from './files';
import { knowledgeEvents, knowledgeRequests } from './knowledge';
import { leadsEvents, leadsRequests } from './leads';
import { llmEvents, llmRequests } from './llm';
import { modelsEvents, modelsRequests } from './models';
import { opsEvents, opsRequests } from './ops';
import { palletsEvents, palletsRequests } from './pallets';
import { roleplayEvents, roleplayRequests } from './roleplay';
import { sampleEvents, sampleRequests } from './sample';
import { settingsEvents, settingsRequests } from './settings';
import { syncEvents, syncRequests } from './sync';
import { systemEvents, systemRequests } from './system';

/**
 * The whole IPC contract: every request channel and every event channel of the app. The Electron
 * transport, the headless WebSocket transport, the preload allowlist and the renderer's typed client
 * are all derived from these two objects.
 */
export const requests = {
  ...coachingRequests,
  ...endpointRequests,
  ...filesRequests,
  ...knowledgeRequests,
  ...leadsRequests,
  ...llmRequests,
  ...modelsRequests,
  ...opsRequests,
  ...palletsRequests,
  ...roleplayRequests,
  ...sampleRequests,
  ...settingsRequests,
  ...syncRequests,
  ...systemRequests,
} as const satisfies Record<string, RequestDef>;

export const events = {
  ...coachingEvents,
  ...endpointEvents,
  ...filesEvents,
  ...knowledgeEvents,
  ...leadsEvents,
  ...llmEvents,
  ...modelsEvents,
  ...opsEvents,
  ...palletsEvents,
  ...roleplayEvents,
  ...sampleEvents,
  ...settingsEvents,
  ...syncEvents,
  ...systemEvents,
} as const satisfies Record<string, EventDef>;

/**
 * Every feature's contract by its channel prefix: `<prefix>:<verb>` lives in `contract/<prefix>.ts` and is
 * handled by `src-main/<prefix>/index.ts`. The contract test holds all three to the same names.
 */
export const features = {
  coaching: { requests: coachingRequests, events: coachingEvents },
  endpoint: { requests: endpointRequests, events: endpointEvents },
  files: { requests: filesRequests, events: filesEvents },
  knowledge: { requests: knowledgeRequests, events: knowledgeEvents },
  leads: { requests: leadsRequests, events: leadsEvents },
  llm: { requests: llmRequests, events: llmEvents },
  models: { requests: modelsRequests, events: modelsEvents },
  ops: { requests: opsRequests, events: opsEvents },
  pallets: { requests: palletsRequests, events: palletsEvents },
  roleplay: { requests: roleplayRequests, events: roleplayEvents },
  sample: { requests: sampleRequests, events: sampleEvents },
  settings: { requests: settingsRequests, events: settingsEvents },
  sync: { requests: syncRequests, events: syncEvents },
  system: { requests: systemRequests, events: systemEvents },
} as const;
export type FeatureName = keyof typeof features;

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
