/**
 * Decisions about the desktop shell that depend only on "is this a development run" and the platform,
 * kept out of the Electron glue (src-main/app) so they are tested on Node
 * (test/security/electron-shell.test.ts). The types are the subsets of Electron's that the glue passes on.
 */

export interface ShellWebPreferences {
  preload: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  nodeIntegrationInWorker: boolean;
  nodeIntegrationInSubFrames: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  webviewTag: boolean;
  spellcheck: boolean;
  devTools: boolean;
}

export type ShellMenuRole = 'appMenu' | 'editMenu' | 'windowMenu';

/** Development means an unpackaged run (`npm start`, `npm run dev`), never an installed app. */
export function isDevelopmentRun(isPackaged: boolean): boolean {
  return !isPackaged;
}

/**
 * The page is isolated and sandboxed with no Node; developer tools exist only in development (in an
 * installed app they would let anyone at the keyboard run code with the page's IPC access); spellcheck
 * is off because Chromium downloads its dictionaries from Google, which an offline-first app must not do.
 */
export function windowWebPreferences(preload: string, development: boolean): ShellWebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    devTools: development,
  };
}

/**
 * Linux's safeStorage falls back to "basic_text" when no keyring (libsecret, KWallet) answers: the
 * password is then encrypted with a key written in Chromium's source, which stops a casual look at
 * the database file and nothing more. Other platforms always use the OS store.
 */
export function isFixedKeyBackend(platform: NodeJS.Platform, backend: string): boolean {
  return platform === 'linux' && backend === 'basic_text';
}

export type MenuChoice = { kind: 'electron-default' } | { kind: 'none' } | { kind: 'template'; template: Array<{ role: ShellMenuRole }> };

/**
 * Electron's default menu carries Reload and Toggle Developer Tools, so it stays in development only.
 * An installed app gets no menu bar on Windows and Linux (Chromium handles copy and paste keys itself);
 * macOS needs the application and Edit menus, without which Cmd+Q, Cmd+C and Cmd+V do nothing.
 */
export function menuChoice(development: boolean, platform: NodeJS.Platform): MenuChoice {
  if (development) return { kind: 'electron-default' };
  if (platform !== 'darwin') return { kind: 'none' };
  return { kind: 'template', template: [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }] };
}
