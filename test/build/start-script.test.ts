import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findAppRoot } from '@main/core/paths';

// `npm start` (scripts/start-electron.mjs) in both branches. The build is skipped (the test run builds
// once) and the Electron binary is a stand-in script, chosen through the variable only this test sets.
const root = findAppRoot(import.meta.dirname);
const script = path.join(root, 'scripts', 'start-electron.mjs');
const running: ChildProcess[] = [];
const temps: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fm-start-'));
  temps.push(dir);
  return dir;
}

/** A shell script that records its arguments (one a line) into `record` and exits 0. */
function recorder(dir: string, name: string, record: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\nfor a in "$@"; do echo "$a"; done > "${record}"\n`, { mode: 0o755 });
  return file;
}

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>, args: string[] = []): Run {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: root,
    env: { FIELDMATE_START_SKIP_BUILD: '1', FIELDMATE_LOCALE: 'en-US', HOME: os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(run: Run, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(run.output());
    if (match) return match;
    if (run.child.exitCode !== null) throw new Error(`start script exited (${run.child.exitCode}):\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForFile(file: string, run: Run): Promise<string> {
  for (;;) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').endsWith('\n')) return fs.readFileSync(file, 'utf8');
    if (run.child.exitCode !== null && !fs.existsSync(file)) throw new Error(`no ${path.basename(file)}:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
  }
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('launches the Electron runtime with the app folder and the extra arguments when it is present', async () => {
    const dir = tempDir();
    const record = path.join(dir, 'electron-args.txt');
    const electron = recorder(dir, 'electron', record);
    const run = start({ FIELDMATE_START_ELECTRON_BINARY: electron, DISPLAY: ':0', PATH: process.env.PATH ?? '' }, ['--inspect-later']);
    expect(await run.exited).toBe(0);
    expect(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean)).toEqual([root, '--inspect-later']);
    expect(run.output()).not.toContain('browser');
  });

  it('starts the browser mode, prints its URL and opens the system browser when the runtime is absent', async () => {
    const dir = tempDir();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const record = path.join(dir, 'opened.txt');
    recorder(bin, 'xdg-open', record);
    const data = path.join(dir, 'data');
    const run = start({ FIELDMATE_START_ELECTRON_BINARY: '', PATH: bin, FIELDMATE_DATA_DIR: data });
    const [, url] = await waitFor(run, /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/);
    expect(run.output()).toContain('Electron runtime');
    // The URL serves the app (its token admits the page) and the system browser was given that URL.
    const page = await fetch(url ?? '');
    expect(page.status).toBe(200);
    expect((await waitForFile(record, run)).trim()).toBe(url);
    expect(fs.existsSync(path.join(data, 'fieldmate.sqlite'))).toBe(true);
  });

  it('still runs the browser mode when there is no system browser to open', async () => {
    const dir = tempDir();
    const run = start({ FIELDMATE_START_ELECTRON_BINARY: '', PATH: path.join(dir, 'empty'), FIELDMATE_DATA_DIR: path.join(dir, 'data') });
    await waitFor(run, /Open: http:\/\/127\.0\.0\.1:\d+\//);
    await waitFor(run, /open the URL above in a browser/);
    expect(run.child.exitCode).toBeNull();
  });

  it('uses the browser mode on Linux when there is no display for the window', async () => {
    if (process.platform !== 'linux') return;
    const dir = tempDir();
    const record = path.join(dir, 'electron-args.txt');
    const electron = recorder(dir, 'electron', record);
    const run = start({ FIELDMATE_START_ELECTRON_BINARY: electron, PATH: path.join(dir, 'empty'), FIELDMATE_DATA_DIR: path.join(dir, 'data') });
    await waitFor(run, /Open: http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.output()).toContain('no display');
    expect(fs.existsSync(record)).toBe(false);
  });
});
