import type { CoachLanguage } from '@shared/coaching/keys';

export const COACH_LANGUAGES: readonly CoachLanguage[] = ['pl', 'en'];
