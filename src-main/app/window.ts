import { BrowserWindow } from 'electron';

export interface WindowPaths {
  preload: string;
  rendererFile: string;
  devUrl: string | undefined;
}

/** The main window: isolated, sandboxed, no Node in the page; shown once it has painted. */
export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Fieldmate',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (paths.devUrl) void window.loadURL(paths.devUrl);
  else void window.loadFile(paths.rendererFile);
  return window;
}
