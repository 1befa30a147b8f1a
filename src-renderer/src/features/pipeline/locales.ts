import { en } from './locales-en';
import { pl } from './locales-pl';

/** Strings of the pipeline feature (namespace key `pipeline`), English and Polish with the same keys. */
export const pipelineLocales = { en, pl };
