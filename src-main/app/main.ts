import path from 'node:path';
import { app, BrowserWindow, net, safeStorage, shell, utilityProcess } from 'electron';
import type { ChildSpawner } from '../models/child-spawner';
import log from 'electron-log/main';
import { createCore, type Core } from '../core/create-core';
import { appPaths } from '../core/paths';
import { encryptedSecretStore } from '../sync/secrets';
import { attachSync } from '../sync/sync-handlers';
import { bindElectronIpc } from './ipc-electron';
import { applySecurityPolicies } from './security';
import { createMainWindow } from './window';

/**
 * Electron lifecycle only: single instance, logging, security policies, the core, IPC and the window.
 * Everything else lives in the Electron-free core under src-main.
 */
const devUrl = process.env.ELECTRON_RENDERER_URL;
const outDir = path.join(import.meta.dirname, '..');
const rendererFile = path.join(outDir, 'renderer', 'index.html');
const preload = path.join(outDir, 'preload', 'index.cjs');
const llmChild = path.join(outDir, 'main', 'llm-child.js');

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

  app.whenReady().then(() => {
    const appRoot = app.getAppPath();
    const migrationsDir = app.isPackaged ? path.join(process.resourcesPath, 'drizzle') : path.join(appRoot, 'drizzle');
    const paths = appPaths(app.getPath('userData'), appRoot, migrationsDir);
    log.transports.file.resolvePathFn = () => paths.logFile;
    log.initialize();
    applySecurityPolicies(rendererFile, devUrl, logLine);
    core = createCore({
      paths,
      transport: 'electron',
      appVersion: app.getVersion(),
      osLocale: app.getLocale(),
      log: logLine,
      isOnline: () => net.isOnline(),
      openExternal: (url) => shell.openExternal(url),
      llmSpawner: utilitySpawner,
      llmChildEntry: llmChild,
    });
    // The sync password is kept only as safeStorage ciphertext; it never reaches the renderer.
    attachSync(core, {
      secrets: encryptedSecretStore(core.db, {
        available: () => safeStorage.isEncryptionAvailable(),
        encrypt: (text) => safeStorage.encryptString(text),
        decrypt: (blob) => safeStorage.decryptString(blob),
      }),
      start: true,
    });
    bindElectronIpc(core, rendererFile, devUrl);
    createMainWindow({ preload, rendererFile, devUrl });
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
