import { app, session, shell, type WebContents } from 'electron';
import { validateExternalUrl } from '../system/urls';
import { isOwnUrl } from '../shell/app-protocol';

/**
 * Electron hardening that applies to every web contents: no navigation or redirect away from our
 * origin (app://fieldmate, or the dev server in development; file:// is not ours), no new windows
 * (https links go to the system browser after validation), no <webview>, and every permission request
 * (camera, notifications, geolocation…) denied.
 */
export function applySecurityPolicies(devUrl: string | undefined, log: (line: string) => void): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`[security] denied permission request: ${permission}`);
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
  // Off for the whole session, not only per window: on Windows and Linux Chromium would otherwise
  // download Hunspell dictionaries from Google's servers, which an offline-first app must not do.
  session.defaultSession.setSpellCheckerEnabled(false);

  app.on('web-contents-created', (_event, contents: WebContents) => {
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (!isOwnUrl(url, devUrl)) {
        event.preventDefault();
        log(`[security] blocked navigation to ${url.slice(0, 200)}`);
      }
    };
    contents.on('will-navigate', (event, url) => guard(event, url));
    contents.on('will-frame-navigate', (event) => guard(event, event.url));
    contents.on('will-redirect', (event, url) => guard(event, url));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      try {
        void shell.openExternal(validateExternalUrl(url).toString());
      } catch {
        log(`[security] blocked window.open(${url.slice(0, 200)})`);
      }
      return { action: 'deny' };
    });
  });
}
