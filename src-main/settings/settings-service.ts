import { Settings, type SettingsPatch } from '@shared/contract/settings';
import type { z } from 'zod';
import type { Db } from '../db/open';
import { readSettingsRows, writeSettingsRows } from './settings-repo';

/** Polish when the OS speaks Polish, English otherwise. */
export function defaultLanguage(osLocale: string): 'pl' | 'en' {
  return osLocale.toLowerCase().startsWith('pl') ? 'pl' : 'en';
}

export function defaultSettings(osLocale: string): Settings {
  return { language: defaultLanguage(osLocale), theme: 'system', llmThreads: null, vatRate: 23, autoLoadModel: true, role: null, firstRunDone: true };
}

/** A store that already holds leads or analyses belongs to someone past their first run (an upgrade, a restore). */
function storeHasData(db: Db): boolean {
  return Boolean(db.$client.prepare('SELECT 1 FROM leads UNION ALL SELECT 1 FROM analyses LIMIT 1').get());
}

/** `offerFirstRun`: whether this transport shows the first-run guide to a new, empty store. */
export function getSettings(db: Db, osLocale: string, offerFirstRun = false): Settings {
  const defaults = { ...defaultSettings(osLocale), firstRunDone: !offerFirstRun || storeHasData(db) };
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

export function updateSettings(db: Db, osLocale: string, patch: z.infer<typeof SettingsPatch>, offerFirstRun = false): Settings {
  const next = Settings.parse({ ...getSettings(db, osLocale, offerFirstRun), ...patch });
  writeSettingsRows(db, patch);
  return next;
}
