import { AppError } from '../../src-shared/contract/errors';

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

/** True for our own pages: the built renderer (file://) or the dev server electron-vite started. */
export function isOwnUrl(raw: string, rendererFile: string, devUrl: string | undefined): boolean {
  try {
    const url = new URL(raw);
    if (devUrl && url.origin === new URL(devUrl).origin) return true;
    const expected = rendererFile.replaceAll('\\', '/').replace(/^(?=[A-Za-z]:)/, '/');
    return url.protocol === 'file:' && decodeURIComponent(url.pathname) === expected;
  } catch {
    return false;
  }
}
