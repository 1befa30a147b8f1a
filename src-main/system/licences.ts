import fs from 'node:fs';
import path from 'node:path';
import type { Licence } from '@shared/contract/system';

/** Written at build time by scripts/licences.ts, so a packaged app need not walk its node_modules. */
export const LICENCES_FILE = path.join('out', 'licences.json');

interface PackageJson {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  licenses?: { type?: string }[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

function licenceOf(pkg: PackageJson): string {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  const types = (pkg.licenses ?? []).map((l) => l.type).filter((t): t is string => Boolean(t));
  return types.length > 0 ? types.join(' OR ') : 'UNKNOWN';
}

/** Node's lookup: the dependency's folder in the nearest node_modules from `from` up to the app root. */
function resolveDir(name: string, from: string, root: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || path.dirname(dir) === dir) return null;
  }
}

/**
 * Every production dependency, direct and transitive, with the licence its package.json declares (read
 * from node_modules: no network). Development-only packages are not shipped and not listed.
 */
export function collectLicences(appRoot: string): Licence[] {
  const rootPkg = readPackage(appRoot);
  const found = new Map<string, Licence>();
  const queue: { name: string; from: string }[] = Object.keys({ ...rootPkg?.dependencies }).map((name) => ({ name, from: appRoot }));
  const seenDirs = new Set<string>();
  while (queue.length > 0) {
    const { name, from } = queue.shift()!;
    const dir = resolveDir(name, from, appRoot);
    if (!dir || seenDirs.has(dir)) continue;
    seenDirs.add(dir);
    const pkg = readPackage(dir);
    if (!pkg?.name) continue;
    const version = pkg.version ?? '';
    found.set(`${pkg.name}@${version}`, { name: pkg.name, version, license: licenceOf(pkg) });
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) queue.push({ name: dep, from: dir });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The build's list when there is one, else the list read from node_modules now (a development checkout). */
export function bundledLicences(appRoot: string): Licence[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(appRoot, LICENCES_FILE), 'utf8')) as { components?: Licence[] };
    if (Array.isArray(parsed.components) && parsed.components.length > 0) return parsed.components;
  } catch {
    // no build list: read node_modules
  }
  return collectLicences(appRoot);
}
