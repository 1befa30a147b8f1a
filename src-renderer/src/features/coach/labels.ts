import type { TFunction } from 'i18next';
import { ARCHETYPES, KNOWLEDGE_KINDS, OBJECTION_CATEGORIES } from '@shared/coaching/keys';

/** Select options for the fixed keys, labelled in the UI language. */
export const archetypeOptions = (t: TFunction) => ARCHETYPES.map((value) => ({ value, label: t(`coach.archetypes.${value}`) }));
export const categoryOptions = (t: TFunction) => OBJECTION_CATEGORIES.map((value) => ({ value, label: t(`coach.categories.${value}`) }));
export const kindOptions = (t: TFunction) => KNOWLEDGE_KINDS.map((value) => ({ value, label: t(`coach.kinds.${value}`) }));
export const languageOptions = (t: TFunction) => (['pl', 'en'] as const).map((value) => ({ value, label: t(`coach.languages.${value}`) }));

export const CONFIDENCE_COLOR = { low: 'gray', medium: 'yellow', high: 'teal' } as const;
export const SENTIMENT_COLOR = { negative: 'red', neutral: 'gray', positive: 'teal' } as const;

/** Short local time or date for list descriptions. */
export function when(ms: number, language: string): string {
  const date = new Date(ms);
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay ? date.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' }) : date.toLocaleDateString(language, { day: 'numeric', month: 'short', year: 'numeric' });
}
