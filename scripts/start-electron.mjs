#!/usr/bin/env node
// `npm start`: build, then launch the desktop app. Where the Electron runtime is not installed and
// cannot be downloaded (offline machines), say so in one sentence and point to the browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const electronDir = path.join(root, 'node_modules', 'electron');

function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

function fail(sentence) {
  process.stderr.write(`${sentence}\n`);
  process.exit(1);
}

// Run electron-vite's JS entry with this Node: .bin shims are not executable on Windows.
const electronViteCli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
const build = spawnSync(process.execPath, [electronViteCli, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) fail('Fieldmate could not be built (see the messages above).');

let binary = electronBinary();
if (!binary) {
  // Electron fetches its runtime lazily; try once, quietly, and explain if that is impossible here.
  spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'ignore', timeout: 180_000 });
  binary = electronBinary();
}
if (!binary) {
  fail(
    'Fieldmate cannot open the desktop window: the Electron runtime is not installed and could not be downloaded (no internet access) — run `npm run headless` to use Fieldmate in your browser instead.',
  );
}

const child = spawn(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
