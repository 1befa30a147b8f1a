import type { Envelope } from '@shared/contract';
import type { PreloadApi } from '@shared/contract/preload-api';

type ServerFrame = { t: 'res'; id: number; envelope: Envelope<unknown> } | { t: 'evt'; channel: string; payload: unknown };

/**
 * The headless host's transport: the same contract over a loopback WebSocket that requires the
 * per-run token from the page's URL. Requests made while (re)connecting wait; a dropped connection is
 * retried with a growing delay and pending requests fail with a clear error.
 */
export function createWebSocketApi(token: string): PreloadApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>();
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;
  let nextId = 1;
  let retryMs = 250;

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise<WebSocket>((resolve, reject) => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        retryMs = 250;
        resolve(ws);
      };
      ws.onmessage = (message) => {
        const frame = JSON.parse(String(message.data)) as ServerFrame;
        if (frame.t === 'res') {
          pending.get(frame.id)?.(frame.envelope);
          pending.delete(frame.id);
        } else {
          for (const listener of listeners.get(frame.channel) ?? []) listener(frame.payload);
        }
      };
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const resolvePending of pending.values()) resolvePending({ ok: false, error: { code: 'UNAVAILABLE', message: 'The connection to Fieldmate was lost; retrying.' } });
        pending.clear();
        setTimeout(() => void connect().catch(() => undefined), retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
        reject(new Error('closed'));
      };
    });
    ready.catch(() => undefined);
    return ready;
  };

  return {
    async invoke(channel, input) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch {
        return { ok: false, error: { code: 'UNAVAILABLE', message: 'Fieldmate is not reachable; is the headless host running?' } };
      }
      const id = nextId++;
      return new Promise<Envelope<unknown>>((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ t: 'req', id, channel, input }));
      });
    },
    on(channel, listener) {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(listener);
      void connect().catch(() => undefined);
      return () => set.delete(listener);
    },
  };
}
