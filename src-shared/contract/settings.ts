import { z } from 'zod';
import { Empty, event, request } from './define';
import { SETTINGS_LIMITS } from './limits';

/** Settings channels: device-local preferences (language, theme, model threads, default VAT). */

export const Language = z.enum(['pl', 'en']);
export const Theme = z.enum(['light', 'dark', 'system']);
/** What the person does with Fieldmate (first-run guide): where the app opens and what it suggests first. */
export const Role = z.enum(['sales', 'pallets', 'both']);
export type Role = z.infer<typeof Role>;

/** Device-local preferences. Every field has a default, so a partial update is always complete. */
export const Settings = z.object({
  language: Language,
  theme: Theme,
  /** Threads for the local model; null means "the machine's available parallelism". */
  llmThreads: z.number().int().min(1).max(SETTINGS_LIMITS.threadsMax).nullable(),
  /** Default VAT rate in percent used when a manifest gives only net or gross prices. */
  vatRate: z.number().min(0).max(SETTINGS_LIMITS.vatRateMax),
  /** Load the model that was loaded last in the background after launch. */
  autoLoadModel: z.boolean(),
  /** Chosen in the first-run guide; null until then. */
  role: Role.nullable(),
  /** The first-run guide was finished or skipped (it can be reopened from Settings). */
  firstRunDone: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsPatch = Settings.partial().strict();

export const settingsRequests = {
  'settings:get': request(Empty, Settings, 'Read the settings'),
  'settings:update': request(SettingsPatch, Settings, 'Change some settings; returns all of them'),
} as const;

export const settingsEvents = {
  'settings:changed': event(Settings, 'Settings changed (from any window or the CLI)'),
} as const;
