import { AppError } from '../../src-shared/contract/errors';
import { validateExternalUrl } from './urls';
import type { Core } from '../core/create-core';
import type { HandlerTable } from '../core/dispatch';
import { getSettings, updateSettings } from '../settings/settings-service';
import { systemInfo } from './system-service';

type SystemChannels = 'system:info' | 'system:status' | 'ops:cancel' | 'settings:get' | 'settings:update' | 'system:openExternal';

export function systemHandlers(core: Core): Pick<HandlerTable, SystemChannels> {
  const locale = core.options.osLocale;
  return {
    'system:info': () => systemInfo(core.db, core.paths, core.options.transport, core.options.appVersion),
    'system:status': () => core.status(),
    'ops:cancel': ({ requestId }) => ({ cancelled: core.operations.cancel(requestId) }),
    'settings:get': () => getSettings(core.db, locale),
    'settings:update': (patch, ctx) => {
      const next = updateSettings(core.db, locale, patch);
      ctx.events.emit('settings:changed', next);
      return next;
    },
    'system:openExternal': async ({ url }) => {
      const valid = validateExternalUrl(url);
      if (!core.options.openExternal) throw new AppError('UNAVAILABLE', 'Opening links is only available in the desktop app.');
      await core.options.openExternal(valid.toString());
      return { ok: true as const };
    },
  };
}
