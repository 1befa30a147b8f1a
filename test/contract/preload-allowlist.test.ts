import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eventChannels, events, requestChannels, requests } from '@shared/contract';
import type { PreloadApi } from '@shared/contract/preload-api';

// The real preload module is loaded with a stand-in for Electron's two objects, so the test sees
// exactly what the page would get through contextBridge.
const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (channel: string) => ({ ok: true, value: channel }));
const listeners = new Map<string, unknown>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
  ipcRenderer: {
    invoke: (channel: string, _input: unknown) => invoke(channel),
    on: (channel: string, fn: unknown) => listeners.set(channel, fn),
    removeListener: (channel: string) => listeners.delete(channel),
  },
}));

const preload = await import('@main/preload/index');

describe('preload allowlist', () => {
  beforeEach(() => invoke.mockClear());

  it('is exactly the contract channel names', () => {
    expect([...preload.allowedRequests].sort()).toEqual(Object.keys(requests).sort());
    expect([...preload.allowedEvents].sort()).toEqual(Object.keys(events).sort());
    expect(requestChannels.length).toBeGreaterThan(5);
    expect(eventChannels.length).toBeGreaterThan(2);
  });

  it('exposes only invoke and on as window.api', () => {
    const api = exposed.get('api') as PreloadApi;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect([...exposed.keys()]).toEqual(['api']);
  });

  it('forwards contract channels and refuses anything else without touching ipcRenderer', async () => {
    const api = exposed.get('api') as PreloadApi;
    await expect(api.invoke('settings:get', {})).resolves.toEqual({ ok: true, value: 'settings:get' });
    expect(invoke).toHaveBeenCalledTimes(1);
    for (const bad of ['ipc:evil', '__proto__', 'constructor', 'settings:get ', '']) {
      const result = await api.invoke(bad, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(() => api.on('not:an-event', () => {})).toThrow(/Unknown event channel/);
    const off = api.on('settings:changed', () => {});
    expect(listeners.has('settings:changed')).toBe(true);
    off();
    expect(listeners.has('settings:changed')).toBe(false);
  });
});
