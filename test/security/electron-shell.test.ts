import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_CONTENT_SECURITY_POLICY, APP_ENTRY_URL, contentTypeFor, isOwnUrl, resolveAppAsset } from '@main/shell/app-protocol';
import { runtimeLayout } from '@main/shell/layout';
import { isFixedKeyBackend, menuChoice, windowWebPreferences } from '@main/shell/shell-policy';

// Issue 13 item 9: the desktop shell's decisions, tested on Node (the Electron binary cannot run here).
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldmate-shell-'));
const rendererRoot = path.join(scratch, 'app.asar', 'out', 'renderer');
fs.mkdirSync(path.join(rendererRoot, 'assets'), { recursive: true });
fs.writeFileSync(path.join(rendererRoot, 'index.html'), '<!doctype html>');
fs.writeFileSync(path.join(rendererRoot, 'assets', 'index-1.js'), '');
fs.writeFileSync(path.join(scratch, 'secret.txt'), 'outside the renderer folder');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves the page and its assets from the renderer folder', () => {
    expect(resolveAppAsset(rendererRoot, APP_ENTRY_URL)).toEqual({ ok: true, file: path.join(rendererRoot, 'index.html') });
    expect(resolveAppAsset(rendererRoot, 'app://fieldmate/')).toEqual({ ok: true, file: path.join(rendererRoot, 'index.html') });
    expect(resolveAppAsset(rendererRoot, 'app://fieldmate/assets/index-1.js?v=1#x')).toEqual({ ok: true, file: path.join(rendererRoot, 'assets', 'index-1.js') });
    expect(contentTypeFor('x/index-1.js')).toMatch(/javascript/);
  });

  it.each([
    'app://fieldmate/../secret.txt',
    'app://fieldmate/..%2fsecret.txt',
    'app://fieldmate/..%2Fsecret.txt',
    'app://fieldmate/assets/..%5c..%5csecret.txt',
    'app://fieldmate/%2e%2e/secret.txt',
    'app://fieldmate/assets/%2e%2e/%2e%2e/secret.txt',
    'app://fieldmate/index.html%00.js',
    'app://fieldmate/%E0%A4%A',
    'app://other/index.html',
    'app://fieldmate:81/index.html',
    'app://user:pw@fieldmate/index.html',
    'file:///etc/passwd',
    'https://fieldmate/index.html',
  ])('refuses %s or keeps it inside the renderer folder', (url) => {
    const result = resolveAppAsset(rendererRoot, url);
    if (result.ok) {
      // The URL parser folds plain `..` at the root; what is left must still be inside the folder.
      expect(result.file.startsWith(rendererRoot + path.sep)).toBe(true);
      expect(fs.existsSync(result.file)).toBe(false);
    } else {
      expect([400, 403]).toContain(result.status);
    }
  });

  it('never resolves a path that leaves the renderer folder, whatever the input', () => {
    const tricks = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '..%2f', '..%5c', '%252e%252e', '...', '.', '%2f', '%5c', '%00', '\\', 'assets'];
    for (const a of tricks) {
      for (const b of tricks) {
        const result = resolveAppAsset(rendererRoot, `app://fieldmate/${a}/${b}/secret.txt`);
        if (!result.ok) continue;
        const relative = path.relative(rendererRoot, result.file);
        expect(relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative), `${a}/${b} → ${result.file}`).toBe(false);
      }
    }
  });

  it('sends a policy that allows only its own origin', () => {
    expect(APP_CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
    expect(APP_CONTENT_SECURITY_POLICY).toMatch(/script-src 'self';/);
    expect(APP_CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    expect(APP_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|file:|https?:/);
  });
});

describe('own pages (navigation guard and IPC sender check)', () => {
  it('accepts the app origin and, in development only, the dev server', () => {
    expect(isOwnUrl('app://fieldmate/index.html#/settings', undefined)).toBe(true);
    expect(isOwnUrl('http://localhost:5173/#/coach', 'http://localhost:5173')).toBe(true);
    expect(isOwnUrl('http://localhost:5173/#/coach', undefined)).toBe(false);
  });

  it.each([
    'file:///opt/Fieldmate/resources/app.asar/out/renderer/index.html',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://fieldmate.evil.example/',
    'app://fieldmate:8080/',
    'https://fieldmate/',
    'http://localhost:5174/',
    'garbage',
    '',
  ])('refuses %s', (url) => {
    expect(isOwnUrl(url, 'http://localhost:5173')).toBe(false);
  });
});

describe('window and menu', () => {
  it('keeps the page sandboxed, without Node, spellcheck or (in a release) developer tools', () => {
    const release = windowWebPreferences('/p/index.cjs', false);
    expect(release).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false, devTools: false, webviewTag: false });
    expect(windowWebPreferences('/p/index.cjs', true).devTools).toBe(true);
    expect(windowWebPreferences('/p/index.cjs', true).spellcheck).toBe(false);
  });

  it('shows Electron’s default menu (reload, developer tools) only in development', () => {
    expect(menuChoice(true, 'linux')).toEqual({ kind: 'electron-default' });
    expect(menuChoice(false, 'linux')).toEqual({ kind: 'none' });
    expect(menuChoice(false, 'win32')).toEqual({ kind: 'none' });
    const mac = menuChoice(false, 'darwin');
    expect(mac.kind).toBe('template');
    const roles = mac.kind === 'template' ? mac.template.map((item) => item.role) : [];
    expect(roles).toEqual(['appMenu', 'editMenu', 'windowMenu']);
    expect(roles).not.toContain('viewMenu');
    expect(JSON.stringify(mac)).not.toMatch(/toggleDevTools|reload/i);
  });

  it('knows Linux’s fixed-key password store for what it is', () => {
    expect(isFixedKeyBackend('linux', 'basic_text')).toBe(true);
    expect(isFixedKeyBackend('linux', 'gnome_libsecret')).toBe(false);
    expect(isFixedKeyBackend('linux', 'kwallet6')).toBe(false);
    expect(isFixedKeyBackend('darwin', 'basic_text')).toBe(false);
  });
});

describe('runtime layout', () => {
  it('puts code inside app.asar and migrations beside it once packaged', () => {
    const resources = path.join('/opt', 'Fieldmate', 'resources');
    const asar = path.join(resources, 'app.asar');
    const layout = runtimeLayout({ mainDir: path.join(asar, 'out', 'main'), appPath: asar, resourcesPath: resources, packaged: true });
    expect(layout).toEqual({
      rendererRoot: path.join(asar, 'out', 'renderer'),
      preload: path.join(asar, 'out', 'preload', 'index.cjs'),
      llmChild: path.join(asar, 'out', 'main', 'llm-child.js'),
      spreadsheetWorker: path.join(asar, 'out', 'main', 'spreadsheet-worker.js'),
      rescoreWorker: path.join(asar, 'out', 'main', 'rescore-worker.js'),
      migrationsDir: path.join(resources, 'drizzle'),
    });
    const dev = runtimeLayout({ mainDir: path.join('/repo', 'out', 'main'), appPath: '/repo', resourcesPath: '/electron/resources', packaged: false });
    expect(dev.migrationsDir).toBe(path.join('/repo', 'drizzle'));
  });
});
