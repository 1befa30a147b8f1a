import type { Settings } from '@shared/contract/settings';
import { settingsRequests } from '@shared/contract/settings';
import type { HandlersOf } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';
import type { Db } from '../db/open';
import { getSettings, updateSettings } from './settings-service';

export interface SettingsContext {
  db: Db;
  events: EventBus;
  /** The OS locale: the language default (Polish when the OS speaks Polish). */
  osLocale: string;
  /** Show the first-run guide to a new, empty store (the desktop app and the browser mode; not the CLI or tests). */
  offerFirstRun: boolean;
}

export interface SettingsFeature {
  handlers: HandlersOf<typeof settingsRequests>;
  /** The current settings (every field has a default): the port other features read them through. */
  read(): Settings;
}

/** Device-local preferences; every change is announced as `settings:changed` to every window. */
export function createSettingsFeature(ctx: SettingsContext): SettingsFeature {
  const read = () => getSettings(ctx.db, ctx.osLocale, ctx.offerFirstRun);
  return {
    read,
    handlers: {
      'settings:get': () => read(),
      'settings:update': (patch) => {
        const next = updateSettings(ctx.db, ctx.osLocale, patch, ctx.offerFirstRun);
        ctx.events.emit('settings:changed', next);
        return next;
      },
    },
  };
}

// Sync keeps its own settings in the same key-value rows.
export { readSettingsRows, writeSettingsRows } from './settings-repo';
