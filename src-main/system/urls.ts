import { AppError } from '@shared/contract/errors';

/** Only https links to real hosts leave the app; everything else is refused. */
export function validateExternalUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('VALIDATION', 'That is not a valid link.');
  }
  if (url.protocol !== 'https:' || url.username || url.password || !url.hostname.includes('.')) {
    throw new AppError('FORBIDDEN', 'Only https links can be opened outside Fieldmate.');
  }
  return url;
}
