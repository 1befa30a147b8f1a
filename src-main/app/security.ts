import { app, session, shell, type WebContents } from 'electron';
import { isOwnUrl, validateExternalUrl } from '../system/urls';

/**
 * Electron hardening that applies to every web contents: no navigation away from our page, no new
 * windows (https links go to the system browser after validation), no <webview>, and every
 * permission request (camera, notifications, geolocation…) denied.
 */
export function applySecurityPolicies(rendererFile: string, devUrl: string | undefined, log: (line: string) => void): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`[security] denied permission request: ${permission}`);
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOwnUrl(url, rendererFile, devUrl)) {
        event.preventDefault();
        log(`[security] blocked navigation to ${url.slice(0, 200)}`);
      }
    });
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
