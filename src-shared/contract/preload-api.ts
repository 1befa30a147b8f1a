import type { Envelope } from './index';

/** What the preload exposes as `window.api` (and what the WebSocket client imitates). */
export interface PreloadApi {
  invoke(channel: string, input: unknown): Promise<Envelope<unknown>>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
}
