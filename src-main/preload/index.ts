import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventChannels, requestChannels } from '@shared/contract';
import type { PreloadApi } from '@shared/contract/preload-api';

/**
 * The only bridge between the page and Electron. It exposes two functions, and only for the
 * contract's channel names: the page cannot reach ipcRenderer, Node or any other channel.
 */
export const allowedRequests: ReadonlySet<string> = new Set(requestChannels);
export const allowedEvents: ReadonlySet<string> = new Set(eventChannels);

export const api: PreloadApi = {
  invoke(channel, input) {
    if (!allowedRequests.has(channel)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channel).slice(0, 80)}` } });
    return ipcRenderer.invoke(channel, input);
  },
  on(channel, listener) {
    if (!allowedEvents.has(channel)) throw new Error(`Unknown event channel: ${String(channel).slice(0, 80)}`);
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
