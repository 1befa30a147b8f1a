import { events, type EventChannel, type EventPayload } from '@shared/contract';

export type EventListener = (channel: EventChannel, payload: unknown) => void;

/**
 * Fan-out of contract events to every attached transport (Electron windows, WebSocket clients, CLI).
 * Payloads are validated against the contract before they leave, so a service bug shows up here and
 * not as a confusing renderer crash.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    const parsed = events[channel].payload.safeParse(payload);
    if (!parsed.success) {
      console.error(`[events] dropped invalid ${channel} payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    for (const listener of this.listeners) {
      // A failing transport (a window closing mid-send) must not fail the service that emitted.
      try {
        listener(channel, parsed.data);
      } catch (error) {
        console.error(`[events] a listener failed on ${channel}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
