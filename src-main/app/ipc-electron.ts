import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { requestChannels } from '../../src-shared/contract';
import type { Core } from '../core/create-core';
import { isOwnUrl } from '../system/urls';

/**
 * Binds the contract to Electron: one ipcMain.handle per request channel, each checking that the
 * sender is our own page before dispatching; events are broadcast to every window.
 */
export function bindElectronIpc(core: Core, rendererFile: string, devUrl: string | undefined): () => void {
  const senderAllowed = (event: IpcMainInvokeEvent) => {
    const url = event.senderFrame?.url ?? '';
    return isOwnUrl(url, rendererFile, devUrl);
  };
  for (const channel of requestChannels) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!senderAllowed(event)) {
        core.log(`[ipc] refused ${channel} from ${event.senderFrame?.url ?? 'unknown frame'}`);
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This window may not call Fieldmate.' } };
      }
      return core.call(channel, input);
    });
  }
  const unsubscribe = core.events.subscribe((channel, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(channel, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of requestChannels) ipcMain.removeHandler(channel);
  };
}
