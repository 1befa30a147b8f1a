import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { findAppRoot } from '@main/core/paths';

export interface HeadlessProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const root = findAppRoot(import.meta.dirname);

/**
 * Starts `src-main/headless/main.ts` as its own Node process (as `npm run headless` does, minus the
 * build, which the test run does once) and resolves with the URL it prints.
 */
export function startHeadlessProcess(dataDir: string, env: Record<string, string> = {}): Promise<HeadlessProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src-main/headless/main.ts'), '--data-dir', dataDir, '--port', '0'], {
    cwd: root,
    // The first-run guide is tested on its own (test/e2e/first-run.test.ts); other pages' tests skip it.
    env: { ...process.env, FIELDMATE_LOCALE: 'en-US', FIELDMATE_FIRST_RUN: 'skip', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`headless host did not start:\n${output}`)), 60_000);
    const check = () => {
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      const url = match[1];
      resolve({
        url,
        origin: new URL(url).origin,
        child,
        output: () => output,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`headless host exited with ${code}:\n${output}`));
    });
  });
}
