import { Settings, type SettingsPatch } from '../../src-shared/contract/settings';
import type { z } from 'zod';
import type { Db } from '../db/open';
import { readSettingsRows, writeSettingsRows } from './settings-repo';

/** Polish when the OS speaks Polish, English otherwise. */
export function defaultLanguage(osLocale: string): 'pl' | 'en' {
  return osLocale.toLowerCase().startsWith('pl') ? 'pl' : 'en';
}

export function defaultSettings(osLocale: string): Settings {
  return { language: defaultLanguage(osLocale), theme: 'system', llmThreads: null, vatRate: 23, autoLoadModel: true };
}

export function getSettings(db: Db, osLocale: string): Settings {
  const defaults = defaultSettings(osLocale);
  const stored = readSettingsRows(db);
  const merged: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    if (stored.has(key)) merged[key] = stored.get(key);
  }
  // Anything stored that no longer validates (older version, hand edit) falls back to its default.
  const parsed = Settings.safeParse(merged);
  if (parsed.success) return parsed.data;
  const repaired: Record<string, unknown> = { ...merged };
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string' && key in defaults) repaired[key] = defaults[key as keyof Settings];
  }
  return Settings.parse(repaired);
}

export function updateSettings(db: Db, osLocale: string, patch: z.infer<typeof SettingsPatch>): Settings {
  const next = Settings.parse({ ...getSettings(db, osLocale), ...patch });
  writeSettingsRows(db, patch);
  return next;
}
