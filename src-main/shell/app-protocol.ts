import path from 'node:path';

/**
 * The desktop page is served over `app://fieldmate/` instead of file://. A file:// page shares its
 * origin with every file on the disk (and, with the grantFileProtocolExtraPrivileges fuse off, loses
 * fetch and module loading anyway); a privileged custom scheme gives the page one origin of its own
 * that 'self' in the Content-Security-Policy means exactly, and a handler that answers only for files
 * inside the built renderer folder. Pure: the Electron glue is src-main/app/protocol.ts.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fieldmate';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Same policy as the page's meta tag, plus what only a header can say (frame-ancestors). */
export const APP_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type AssetResolution = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps an `app://fieldmate/...` request to a file inside `rendererRoot`, or refuses it. Refused: another
 * scheme or host, credentials or a port, a path that leaves the folder (`..`, encoded or not), encoded
 * separators and NUL bytes (they mean something else to the file system than to the URL parser).
 * Whether the file exists is the caller's question; `/` is the page itself.
 */
export function resolveAppAsset(rendererRoot: string, rawUrl: string, pathApi: typeof path = path): AssetResolution {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port || url.username || url.password) {
    return { ok: false, status: 403, reason: 'not this app’s origin' };
  }
  // The URL parser already folded plain `..` segments; what is left that could escape is encoded.
  if (/%(2f|5c|00)/i.test(url.pathname)) return { ok: false, status: 403, reason: 'encoded separator' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad escape' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 403, reason: 'forbidden character' };
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (relative.split('/').some((segment) => segment === '..')) return { ok: false, status: 403, reason: 'path leaves the renderer folder' };
  const root = pathApi.resolve(rendererRoot);
  const file = pathApi.resolve(root, relative);
  if (!file.startsWith(root + pathApi.sep)) return { ok: false, status: 403, reason: 'path leaves the renderer folder' };
  return { ok: true, file };
}

/**
 * True for our own page: the app origin, or the dev server electron-vite started (development only).
 * Everything else (file://, other hosts, other schemes) is not ours, so it may neither be navigated to
 * nor call the IPC contract.
 */
export function isOwnUrl(raw: string, devUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (devUrl) {
    try {
      if (url.origin === new URL(devUrl).origin) return true;
    } catch {
      return false;
    }
  }
  // `origin` is "null" for non-special schemes, so compare the parts.
  return url.protocol === `${APP_SCHEME}:` && url.hostname === APP_HOST && !url.port && !url.username && !url.password;
}
