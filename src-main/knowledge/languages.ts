import type { CoachLanguage } from '../../src-shared/coaching/keys';

export const COACH_LANGUAGES: readonly CoachLanguage[] = ['pl', 'en'];
