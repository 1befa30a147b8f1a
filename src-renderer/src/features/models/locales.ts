import { en } from './locales-en';
import { pl } from './locales-pl';

/**
 * Strings of the models feature (namespace key `models`), English and Polish. The Polish object is
 * typed by the English one, so both always have the same keys.
 */
export const modelsLocales = { en, pl };
