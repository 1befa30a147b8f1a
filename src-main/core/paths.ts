import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The folder holding package.json: the repo in development, the app folder when built. */
export function findAppRoot(from = import.meta.dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'drizzle'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the app folder above ${from}`);
    dir = parent;
  }
}

export const DATA_DIR_ENV = 'FIELDMATE_DATA_DIR';

/**
 * Where the store lives outside Electron: `--data-dir`, else $FIELDMATE_DATA_DIR, else the same folder
 * Electron's userData would be on this OS (so the CLI and the desktop app share one store).
 */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const flag = argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (flag >= 0) {
    const arg = argv[flag] ?? '';
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[flag + 1];
    if (value) return path.resolve(value);
  }
  if (env[DATA_DIR_ENV]) return path.resolve(env[DATA_DIR_ENV]);
  return defaultUserDataDir(env);
}

export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Fieldmate');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Fieldmate');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Fieldmate');
}

export interface AppPaths {
  appRoot: string;
  dataDir: string;
  dbFile: string;
  migrationsDir: string;
  logFile: string;
  /** User-data models folder (installed app); the repo's models/ is scanned too in development. */
  userModelsDir: string;
  devModelsDir: string;
}

export function appPaths(dataDir: string, appRoot = findAppRoot(), migrationsDir = path.join(appRoot, 'drizzle')): AppPaths {
  return {
    appRoot,
    dataDir,
    dbFile: path.join(dataDir, 'fieldmate.sqlite'),
    migrationsDir,
    logFile: path.join(dataDir, 'logs', 'fieldmate.log'),
    userModelsDir: path.join(dataDir, 'models'),
    devModelsDir: path.join(appRoot, 'models'),
  };
}
