import { v5 } from 'uuid';
import type { CoachLanguage } from '@shared/coaching/keys';
import { packEn } from './pack-en';
import { packPl } from './pack-pl';
import type { PackEntry } from './types';

export type { PackEntry } from './types';

export const DEFAULT_PACK: Record<CoachLanguage, readonly PackEntry[]> = { pl: packPl, en: packEn };

/** Fixed namespace for pack ids (never change it: ids already synced would stop matching). */
const PACK_NAMESPACE = '5b0f5c53-8d1e-4c8e-9b57-2f1b7f6f0a11';

/**
 * Pack entries get ids derived from key + language, so two devices that seed the pack independently
 * create the same rows, and sync merges them instead of duplicating the whole pack.
 */
export function packEntryId(key: string, language: CoachLanguage): string {
  return v5(`fieldmate-pack:${language}:${key}`, PACK_NAMESPACE);
}
