import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_CONTENT_SECURITY_POLICY, APP_SCHEME, contentTypeFor, resolveAppAsset } from '../shell/app-protocol';

/**
 * Must run before the app is ready: a standard, secure scheme gets a real origin (so 'self' and
 * localStorage work) and counts as a secure context, like https.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Answers `app://fieldmate/...` with files from the built renderer folder only (resolveAppAsset decides). */
export function serveRenderer(rendererRoot: string, log: (line: string) => void): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const resolved = resolveAppAsset(rendererRoot, request.url);
    if (!resolved.ok) {
      log(`[security] refused ${request.url.slice(0, 200)}: ${resolved.reason}`);
      return new Response(null, { status: resolved.status });
    }
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = new Uint8Array(await fs.readFile(resolved.file));
    } catch {
      return new Response(null, { status: 404 });
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': contentTypeFor(resolved.file),
        'content-security-policy': APP_CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
    });
  });
}
