import { en } from './locales-en';
import { pl } from './locales-pl';

/** Strings of the help feature (namespace key `help`), English and Polish; Polish is typed by English. */
export const helpLocales = { en, pl };
