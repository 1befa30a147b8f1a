import { AppError } from '../../src-shared/contract/errors';
import { systemRequests, type SystemInfo, type SystemStatus } from '../../src-shared/contract/system';
import type { HandlersOf } from '../core/dispatch';
import type { AppPaths } from '../core/paths';
import type { Db } from '../db/open';
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
