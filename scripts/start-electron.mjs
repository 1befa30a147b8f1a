#!/usr/bin/env node
// `npm start`: build, then run the app. The desktop window where Electron's runtime is present (and a
// display to show it on); otherwise the browser mode, started here, its URL printed and the system
// browser opened when there is one. Never ends in "cannot run" just because one of the two is missing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const electronDir = path.join(root, 'node_modules', 'electron');
const args = process.argv.slice(2);
// Set only by test/build/start-script.test.ts: a stand-in Electron binary ('' = none) and no build.
const binaryOverride = process.env.FIELDMATE_START_ELECTRON_BINARY;
const skipBuild = process.env.FIELDMATE_START_SKIP_BUILD === '1';

function say(sentence) {
  process.stdout.write(`${sentence}\n`);
}

function electronBinary() {
  if (binaryOverride !== undefined) return binaryOverride && fs.existsSync(binaryOverride) ? binaryOverride : null;
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

/** Linux shows a window only with an X or Wayland display; a server or container has neither. */
function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** The first program on PATH with this name, or null (no `which`: it is not everywhere). */
function onPath(name) {
  const extensions = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here: try the next folder
      }
    }
  }
  return null;
}

/** Opens the URL in the system browser when this machine has an opener; says what to do otherwise. */
function openBrowser(url) {
  const opener =
    process.platform === 'win32'
      ? { command: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', 'start', '""', `"${url}"`], found: true }
      : { command: process.platform === 'darwin' ? 'open' : 'xdg-open', args: [url] };
  const command = opener.found ? opener.command : onPath(opener.command);
  if (!command) {
    say('No system browser could be opened here: open the URL above in a browser on this computer.');
    return;
  }
  try {
    const child = spawn(command, opener.args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
    child.on('error', () => say('The system browser could not be opened: open the URL above in a browser on this computer.'));
    child.unref();
  } catch {
    say('The system browser could not be opened: open the URL above in a browser on this computer.');
  }
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

/** The browser mode: the headless host in its own Node process, whose URL line we watch for. */
function startBrowserMode(reason) {
  say(`${reason} Starting Fieldmate in your browser instead…`);
  const tsx = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, path.join(root, 'src-main', 'headless', 'main.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let pending = '';
  let opened = false;
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (opened) return;
    pending += chunk.toString();
    const match = /Open: (http:\/\/\S+)/.exec(pending);
    if (!match) return;
    opened = true;
    openBrowser(match[1]);
  });
  forwardSignals(child);
}

if (!skipBuild) {
  // Run electron-vite's JS entry with this Node: .bin shims are not executable on Windows.
  const electronViteCli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const build = spawnSync(process.execPath, [electronViteCli, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) {
    process.stderr.write('Fieldmate could not be built (see the messages above).\n');
    process.exit(1);
  }
}

let binary = electronBinary();
if (!binary && binaryOverride === undefined) {
  // Electron fetches its runtime lazily; try once, quietly (offline machines fail fast here).
  spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'ignore', timeout: 180_000 });
  binary = electronBinary();
}

if (!binary) {
  startBrowserMode('The desktop window needs the Electron runtime, which is not installed here and could not be downloaded.');
} else if (!hasDisplay()) {
  startBrowserMode('There is no display to open the desktop window on.');
} else {
  const child = spawn(binary, [root, ...args], { cwd: root, stdio: 'inherit' });
  let failed = false;
  child.on('error', () => {
    failed = true;
    startBrowserMode('The Electron runtime could not be started.');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (!failed) process.exit(code ?? (signal ? 0 : 1));
  });
}
