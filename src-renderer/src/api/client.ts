import type { EventChannel, EventPayload, RequestChannel, RequestInput, RequestOutput } from '@shared/contract';
import type { PreloadApi } from '@shared/contract/preload-api';
import { ApiError } from '../errors/ui-error';
import { createWebSocketApi } from './ws-transport';

declare global {
  interface Window {
    /** Provided by the Electron preload; absent in a plain browser (headless host). */
    api?: PreloadApi;
  }
}

function pickTransport(): PreloadApi {
  if (window.api) return window.api;
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return createWebSocketApi(token);
}

const transport = pickTransport();

/** Typed call of a contract channel; resolves with the output or throws ApiError. */
export async function call<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestOutput<C>> {
  const envelope = await transport.invoke(channel, input);
  if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message);
  return envelope.value as RequestOutput<C>;
}

/** Subscribes to a contract event; returns the unsubscribe function. */
export function on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void {
  return transport.on(channel, (payload) => listener(payload as EventPayload<C>));
}

export function newRequestId(): string {
  return crypto.randomUUID();
}
