import { coachLocales } from '../features/coach/locales';
import { helpLocales } from '../features/help/locales';
import { modelsLocales } from '../features/models/locales';
import { palletsLocales } from '../features/pallets/locales';
import { pipelineLocales } from '../features/pipeline/locales';
import { syncLocales } from '../features/sync/locales';
import { en } from './en';
import { pl } from './pl';

/**
 * All translations. The shell's strings live in en.ts / pl.ts; each feature keeps its own strings in
 * `features/<feature>/locales.ts` (exporting `{ en, pl }`) and is registered here under its namespace
 * key, so features never edit each other's files.
 */
const features: Record<string, { en: object; pl: object }> = {
  coach: coachLocales,
  help: helpLocales,
  models: modelsLocales,
  pallets: palletsLocales,
  pipeline: pipelineLocales,
  sync: syncLocales,
};

export const resources = {
  en: { translation: { ...en, ...Object.fromEntries(Object.entries(features).map(([k, v]) => [k, v.en])) } },
  pl: { translation: { ...pl, ...Object.fromEntries(Object.entries(features).map(([k, v]) => [k, v.pl])) } },
};
