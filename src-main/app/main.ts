import { app, BrowserWindow, Menu, net, safeStorage, shell, utilityProcess } from 'electron';
import { AppError } from '@shared/contract/errors';
import type { ChildSpawner } from '../llm';
import log from 'electron-log/main';
import { createCore, type Core } from '../composition/create-core';
import { preparePrivateLog } from '../core/logger';
import { appPaths } from '../core/paths';
import { openWithRecovery } from '../db/open-store';
import { encryptedSecretStore } from '../sync';
import type { SecretCipher } from '../db/secret-store';
import { bindElectronIpc } from './ipc-electron';
import { runtimeLayout } from '../shell/layout';
import { registerAppScheme, serveRenderer } from './protocol';
import { applySecurityPolicies } from './security';
import { isDevelopmentRun, isFixedKeyBackend, menuChoice } from '../shell/shell-policy';
import { createMainWindow } from './window';
import { askStoreRecovery } from './store-recovery-dialog';
import { startReminderNotifications } from './reminder-notifications';

/**
 * Electron lifecycle only: single instance, logging, security policies, the core, IPC and the window.
 * Everything else lives in the Electron-free core under src-main.
 */
const development = isDevelopmentRun(app.isPackaged);
// The dev server is honoured only in development: an installed app never loads a page from the network.
const devUrl = development ? process.env.ELECTRON_RENDERER_URL : undefined;
const layout = runtimeLayout({ mainDir: import.meta.dirname, appPath: app.getAppPath(), resourcesPath: process.resourcesPath, packaged: app.isPackaged });
const llmChild = layout.llmChild;
registerAppScheme();

/**
 * The model runs in a utilityProcess: a native abort on a malformed GGUF or an out-of-memory kills only
 * that process, and the host restarts it while the database and sync keep running.
 */
const utilitySpawner: ChildSpawner = (callbacks) => {
  const child = utilityProcess.fork(llmChild, [], {
    // stdout is not read, so it must not be a pipe that can fill up and block the model process.
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: 'Fieldmate model',
    env: { ...process.env, GGML_NO_BACKTRACE: '1', FIELDMATE_LLM_GPU: 'auto' },
  });
  child.on('message', (message: unknown) => callbacks.onMessage(message));
  child.on('exit', (code) => callbacks.onExit(code, null));
  child.stderr?.on('data', (chunk: Buffer) => callbacks.onStderr(String(chunk)));
  return { get pid() { return child.pid; }, send: (message) => child.postMessage(message), kill: () => void child.kill() };
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: Core | null = null;
  const logLine = (line: string) => log.info(line);

  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.whenReady().then(async () => {
    const paths = appPaths(app.getPath('userData'), app.getAppPath(), layout.migrationsDir);
    log.transports.file.resolvePathFn = () => paths.logFile;
    // Logs name customers and files: owner-only folder and file (electron-log's default mode is 0666).
    preparePrivateLog(paths.logFile);
    log.transports.file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
    log.initialize();
    applySecurityPolicies(devUrl, logLine);
    serveRenderer(layout.rendererRoot, logLine);
    const menu = menuChoice(development, process.platform);
    if (menu.kind === 'none') Menu.setApplicationMenu(null);
    else if (menu.kind === 'template') Menu.setApplicationMenu(Menu.buildFromTemplate(menu.template));
    // Secrets (the sync password, the model endpoint's key) are kept only as safeStorage ciphertext.
    const keychain: SecretCipher = {
      available: () => safeStorage.isEncryptionAvailable(),
      encrypt: (text) => safeStorage.encryptString(text),
      decrypt: (blob) => safeStorage.decryptString(blob),
      fixedKey: () => isFixedKeyBackend(process.platform, safeStorage.getSelectedStorageBackend()),
    };
    // A damaged store asks (restore the newest backup / start fresh / quit) instead of quitting silently.
    const opened = await openWithRecovery(
      () =>
        createCore({
          paths,
          transport: 'electron',
          appVersion: app.getVersion(),
          osLocale: app.getLocale(),
          log: logLine,
          isOnline: () => net.isOnline(),
          openExternal: (url) => shell.openExternal(url),
          // The data folder, the log file, the backups (About, store health): the desktop's own opener.
          openPath: async (target) => {
            const problem = await shell.openPath(target);
            if (problem) throw new AppError('UNAVAILABLE', `${target} could not be opened: ${problem}`);
          },
          llmSpawner: utilitySpawner,
          llmChildEntry: llmChild,
          secrets: (db) => encryptedSecretStore(db, keychain),
          autoLoadModel: true,
        }),
      (recovery, failure) => askStoreRecovery(recovery, app.getLocale(), failure),
      paths.dbFile,
      logLine,
    );
    if (!opened) {
      app.quit();
      return;
    }
    core = opened;
    // The sync password never reaches the renderer.
    core.sync({ secrets: encryptedSecretStore(core.db, keychain), start: true });
    bindElectronIpc(core, devUrl);
    createMainWindow({ preload: layout.preload, devUrl, development });
    // A click on a reminder brings the window forward (the renderer opens on Today).
    const stopReminders = startReminderNotifications(opened, () => BrowserWindow.getAllWindows()[0]?.show());
    app.on('will-quit', stopReminders);
  }).catch((error: unknown) => {
    log.error('Fieldmate failed to start', error);
    app.exit(1);
  });

  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('will-quit', (event) => {
    if (!core || closing) return;
    closing = true;
    event.preventDefault();
    const opened = core;
    core = null;
    opened.close().finally(() => app.quit());
  });
}
