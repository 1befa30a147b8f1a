import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { requestChannels, requests } from '@shared/contract';
import type { Core } from '../composition/create-core';
import { isOwnUrl } from '../shell/app-protocol';

/**
 * Binds the contract to Electron: one ipcMain.handle per request channel, each checking that the
 * sender is our own page (app://fieldmate, or the dev server in development) before dispatching;
 * events are broadcast to every window.
 */
export function bindElectronIpc(core: Core, devUrl: string | undefined): () => void {
  const senderAllowed = (event: IpcMainInvokeEvent) => {
    const url = event.senderFrame?.url ?? '';
    return isOwnUrl(url, devUrl);
  };
  // Long operations a window started are cancelled when that window goes away (closed or crashed).
  const startedBySender = new Map<number, Set<string>>();
  const track = (event: IpcMainInvokeEvent): Set<string> => {
    let started = startedBySender.get(event.sender.id);
    if (!started) {
      const fresh = new Set<string>();
      startedBySender.set(event.sender.id, fresh);
      event.sender.once('destroyed', () => {
        for (const requestId of fresh) core.operations.cancel(requestId);
        startedBySender.delete(event.sender.id);
      });
      started = fresh;
    }
    return started;
  };
  for (const channel of requestChannels) {
    const control = 'control' in requests[channel] && requests[channel].control === true;
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!senderAllowed(event)) {
        core.log(`[ipc] refused ${channel} from ${event.senderFrame?.url ?? 'unknown frame'}`);
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call Fieldmate.' } };
      }
      const requestId = !control && typeof input === 'object' && input !== null && 'requestId' in input && typeof input.requestId === 'string' ? input.requestId : null;
      const started = requestId ? track(event) : null;
      if (requestId) started?.add(requestId);
      try {
        return await core.call(channel, input);
      } finally {
        if (requestId) started?.delete(requestId);
      }
    });
  }
  const unsubscribe = core.events.subscribe((channel, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed() && !window.webContents.isDestroyed()) window.webContents.send(channel, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of requestChannels) ipcMain.removeHandler(channel);
  };
}
