import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from '../shell/app-protocol';
import { windowWebPreferences } from '../shell/shell-policy';

export interface WindowOptions {
  preload: string;
  devUrl: string | undefined;
  development: boolean;
}

/** The main window: isolated, sandboxed, no Node in the page; shown once it has painted. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Fieldmate',
    webPreferences: windowWebPreferences(options.preload, options.development),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devUrl ?? APP_ENTRY_URL);
  return window;
}
