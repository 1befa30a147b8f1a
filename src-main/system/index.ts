import { AppError } from '@shared/contract/errors';
import { systemRequests, type SystemInfo, type SystemStatus } from '@shared/contract/system';
import type { HandlersOf } from '../core/dispatch';
import type { AppPaths } from '../core/paths';
import type { Db } from '../db/open';
import { backupsDir } from '../db/backups';
import { bundledLicences } from './licences';
import { openWithSystem } from './open-path';
import { backupNow, checkIntegrity, storeHealth, type HealthPorts } from './store-health';
import { systemInfo } from './system-service';
import { validateExternalUrl } from './urls';

export interface SystemContext {
  db: Db;
  paths: AppPaths;
  transport: SystemInfo['transport'];
  appVersion: string;
  status: () => SystemStatus;
  /** Opens an https URL in the system browser; absent outside Electron. */
  openExternal?: (url: string) => Promise<void>;
  /** Opens a local folder or file (Electron: shell.openPath); default: xdg-open / open / explorer. */
  openPath?: (target: string) => Promise<void>;
  /** The sync queue and the loaded model, for the store health view. */
  health: HealthPorts;
}

export interface SystemFeature {
  handlers: HandlersOf<typeof systemRequests>;
}

/** Paths, schema version and row counts; online state and store health; opening links externally. */
export function createSystemFeature(ctx: SystemContext): SystemFeature {
  return {
    handlers: {
      'system:info': () => systemInfo(ctx.db, ctx.paths, ctx.transport, ctx.appVersion),
      'system:status': () => ctx.status(),
      'system:health': () => storeHealth(ctx.db, ctx.paths, ctx.health),
      'system:backupNow': () => backupNow(ctx.db, ctx.paths),
      'system:checkIntegrity': () => checkIntegrity(ctx.db, ctx.paths.dbFile),
      'system:openPath': async ({ target }) => {
        const where = { dataDir: ctx.paths.dataDir, logFile: ctx.paths.logFile, backups: backupsDir(ctx.paths.dbFile) }[target];
        await (ctx.openPath ?? openWithSystem)(where);
        return { ok: true as const };
      },
      'system:licences': () => ({ components: bundledLicences(ctx.paths.appRoot) }),
      'system:openExternal': async ({ url }) => {
        const valid = validateExternalUrl(url);
        if (!ctx.openExternal) throw new AppError('UNAVAILABLE', 'Opening links is only available in the desktop app.');
        await ctx.openExternal(valid.toString());
        return { ok: true as const };
      },
    },
  };
}

export { dbStatus, hasNetworkInterface, systemInfo } from './system-service';
