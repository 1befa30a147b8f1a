import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isFile, materialise, readAsar, type AsarListing } from './asar-view';
import { FUSE_SENTINEL, fuseProblems, readFuses, type FuseSettings } from './fuses';
import { moduleReferences, outFolderPaths, pageReferences, resolveWithin, stylesheetReferences, workerEntryNames } from './references';

/**
 * Proves that a packaged app folder (resources/app.asar + app.asar.unpacked + extraResources) holds
 * every file the app loads at run time, that native code is unpacked, that the paths the built main
 * bundle computes land on those files, and that the executable's fuses are flipped.
 */
export interface InspectOptions {
  /** Scratch folder for the unpacked view of app.asar (emptied by the caller). */
  scratchDir: string;
  /** Load node-llama-cpp's native binary in the probe (about half a second). */
  loadLlama?: boolean;
  /** The executable whose fuses are read; default: the file in appOutDir carrying a fuse wire. */
  executable?: string;
}

export interface InspectReport {
  problems: string[];
  fuses: FuseSettings | null;
  files: number;
  unpackedFiles: number;
  checkedReferences: number;
  modules: Record<string, string>;
}

/** Built entries the app starts: main, preload, the page, the worker threads and the model child. */
export const RUNTIME_ENTRIES = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/main/spreadsheet-worker.js', 'out/main/rescore-worker.js', 'out/main/llm-child.js', 'out/main/app-layout.js'];
/** Imported only by name in the probe: they need the Electron runtime to load. */
const RESOLVE_ONLY = ['electron-log/main'];
/** Folders whose every file must be unpacked (asarUnpack): native code is loaded from real files. */
const MUST_BE_UNPACKED = ['node_modules/node-llama-cpp/', 'node_modules/@node-llama-cpp/', 'node_modules/better-sqlite3/'];

export function inspectPackage(appOutDir: string, options: InspectOptions): InspectReport {
  const problems: string[] = [];
  const resources = path.join(appOutDir, 'resources');
  const archive = path.join(resources, 'app.asar');
  if (!fs.existsSync(archive)) return { problems: [`${archive} does not exist`], fuses: null, files: 0, unpackedFiles: 0, checkedReferences: 0, modules: {} };
  const listing = readAsar(archive);
  const files = [...listing.entries].filter(([, e]) => e.kind === 'file');

  // Native code: every .node file, and every file of the packages that load native code, unpacked.
  for (const [rel, entry] of files) {
    if (!entry.unpacked && (rel.endsWith('.node') || MUST_BE_UNPACKED.some((dir) => rel.includes(dir)))) problems.push(`${rel} is packed inside app.asar; native code must be unpacked (asarUnpack)`);
  }
  const llamaPlatform = `linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
  if (!files.some(([rel, e]) => e.unpacked && rel.startsWith(`node_modules/@node-llama-cpp/${llamaPlatform}/bins/`) && rel.endsWith('.node'))) problems.push(`node-llama-cpp has no unpacked binary for ${llamaPlatform}`);

  // The entries, the files they import and the files the page loads.
  const pkg = JSON.parse(readText(listing, 'package.json') ?? '{}') as { main?: string; type?: string };
  if (pkg.main !== 'out/main/index.js') problems.push(`package.json main is ${String(pkg.main)}, the app starts out/main/index.js`);
  if (pkg.type !== 'module') problems.push('package.json in app.asar does not say "type": "module"; the ESM bundle would not load');
  const checked = new Set<string>();
  const bare = new Set<string>();
  const queue = [...RUNTIME_ENTRIES];
  while (queue.length > 0) {
    const rel = queue.shift() ?? '';
    if (checked.has(rel)) continue;
    checked.add(rel);
    const text = readText(listing, rel);
    if (text === null) {
      problems.push(`${rel} is loaded at run time but is not in app.asar`);
      continue;
    }
    if (rel.endsWith('.html')) {
      for (const ref of pageReferences(text)) queue.push(resolveWithin(rel, ref, 'out/renderer'));
    } else if (rel.endsWith('.css')) {
      for (const ref of stylesheetReferences(text)) queue.push(resolveWithin(rel, ref, 'out/renderer'));
    } else if (/\.(c?js|mjs)$/.test(rel)) {
      const refs = moduleReferences(text, rel.endsWith('.cjs') ? 'commonjs' : 'module');
      for (const ref of refs.relative) queue.push(resolveWithin(rel, ref));
      // A page and a sandboxed preload cannot load packages by name: their bundles must hold everything.
      if (!rel.startsWith('out/main/')) for (const name of refs.bare) problems.push(`${rel} loads the package ${name} by name, which only the main process can do`);
      else for (const name of refs.bare) bare.add(name);
      for (const name of workerEntryNames(text)) queue.push(resolveWithin(rel, `./${name}.js`));
      for (const out of outFolderPaths(text)) queue.push(out);
    }
  }

  // Migrations ship beside app.asar (extraResources).
  problems.push(...migrationProblems(path.join(resources, 'drizzle')));

  // A plain-folder copy of what the app sees under app.asar: Node cannot import from an archive.
  const viewRoot = path.join(options.scratchDir, 'app');
  problems.push(...materialise(listing, viewRoot));

  // The paths the built layout helper computes for this very folder.
  problems.push(...layoutProblems(listing, resources, viewRoot));

  // Every package the bundles import resolves (and loads) from the app's own node_modules.
  const probe = runProbe(viewRoot, [...bare].sort(), options.loadLlama ?? true, options.scratchDir);
  problems.push(...probe.problems);

  const executable = options.executable ?? findExecutable(appOutDir);
  let fuses: FuseSettings | null = null;
  if (!executable) problems.push(`no executable with an Electron fuse wire in ${appOutDir}`);
  else {
    try {
      fuses = readFuses(fs.readFileSync(executable));
      problems.push(...fuseProblems(fuses));
    } catch (error) {
      problems.push(`${path.basename(executable)}: ${(error as Error).message}`);
    }
  }
  return { problems, fuses, files: files.length, unpackedFiles: files.filter(([, e]) => e.unpacked).length, checkedReferences: checked.size, modules: probe.modules };
}

function readText(listing: AsarListing, rel: string): string | null {
  const entry = listing.entries.get(rel);
  if (!entry || entry.kind !== 'file') return null;
  if (entry.unpacked) return fs.readFileSync(path.join(`${listing.archive}.unpacked`, ...rel.split('/')), 'utf8');
  const fd = fs.openSync(listing.archive, 'r');
  try {
    const buffer = Buffer.alloc(entry.size);
    fs.readSync(fd, buffer, 0, entry.size, listing.dataStart + entry.offset);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Runs the packaged out/main/app-layout.js (from the view) on the real packaged paths. */
function layoutProblems(listing: AsarListing, resources: string, viewRoot: string): string[] {
  const helper = path.join(viewRoot, 'out', 'main', 'app-layout.js');
  if (!fs.existsSync(helper)) return ['out/main/app-layout.js (the built layout helper) is not in app.asar'];
  const problems: string[] = [];
  const input = { mainDir: path.join(listing.archive, 'out', 'main'), appPath: listing.archive, resourcesPath: resources, packaged: true };
  const script = `import(${JSON.stringify(pathToFileURL(helper).href)}).then((m) => process.stdout.write(JSON.stringify(m.runtimeLayout(${JSON.stringify(input)}))))`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: cleanEnv() });
  if (run.status !== 0) return [`the built layout helper did not run: ${run.stderr.split('\n').find((l) => l.trim()) ?? `exit ${String(run.status)}`}`];
  const layout = JSON.parse(run.stdout) as Record<string, string>;
  for (const [name, location] of Object.entries(layout)) {
    const inArchive = path.relative(listing.archive, location);
    const insideArchive = !inArchive.startsWith('..') && !path.isAbsolute(inArchive);
    const posix = inArchive.split(path.sep).join('/');
    const exists = insideArchive ? listing.entries.has(posix) : fs.existsSync(location);
    if (!exists) problems.push(`layout.${name} = ${location} does not exist in the packaged app`);
    else if (insideArchive && name !== 'rendererRoot' && !isFile(listing, posix)) problems.push(`layout.${name} = ${location} is not a file`);
  }
  return problems;
}

function migrationProblems(dir: string): string[] {
  const journalFile = path.join(dir, 'meta', '_journal.json');
  if (!fs.existsSync(journalFile)) return [`${journalFile} is missing: migrations must ship beside app.asar`];
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries?: Array<{ tag: string }> };
  return (journal.entries ?? []).filter((e) => !fs.existsSync(path.join(dir, `${e.tag}.sql`))).map((e) => `migration ${e.tag}.sql is missing from resources/drizzle`);
}

interface ProbeOutput {
  modules: Record<string, string>;
  failures: Array<{ specifier: string; message: string }>;
  sqlite: string | null;
  llama: string | null;
}

function runProbe(viewRoot: string, specifiers: string[], loadLlama: boolean, scratchDir: string): { problems: string[]; modules: Record<string, string> } {
  const probe = path.join(viewRoot, 'out', 'main', 'package-probe.mjs');
  fs.copyFileSync(path.join(import.meta.dirname, 'probe.mjs'), probe);
  const inputFile = path.join(scratchDir, 'probe-input.json');
  fs.writeFileSync(inputFile, JSON.stringify({ appRoot: viewRoot, specifiers, resolveOnly: RESOLVE_ONLY, loadLlama }));
  const run = spawnSync(process.execPath, [probe, inputFile], { cwd: scratchDir, encoding: 'utf8', env: cleanEnv(), timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !line.startsWith('{')) return { problems: [`the module probe failed (exit ${String(run.status)}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}`], modules: {} };
  const output = JSON.parse(line) as ProbeOutput;
  return { problems: output.failures.map((f) => `${f.specifier} does not load from the packaged app: ${f.message}`), modules: output.modules };
}

/** Node options or a module path from the caller's shell must not help a module resolve. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_PATH;
  return env;
}

function findExecutable(appOutDir: string): string | null {
  for (const name of fs.readdirSync(appOutDir)) {
    const file = path.join(appOutDir, name);
    const stat = fs.statSync(file);
    if (stat.isFile() && (stat.mode & 0o111) !== 0 && stat.size < 512 * 1024 * 1024 && fs.readFileSync(file).includes(FUSE_SENTINEL, 0, 'latin1')) return file;
  }
  return null;
}
