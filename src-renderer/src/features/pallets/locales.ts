import { en } from './locales-en';
import { pl } from './locales-pl';

/** Strings of the pallet feature (namespace key `pallets`), English and Polish with the same keys. */
export const palletsLocales = { en, pl };
