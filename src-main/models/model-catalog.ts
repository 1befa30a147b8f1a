/**
 * The GGUF files the app knows: every .gguf in the model folders (`models/` in development, the
 * user-data models folder in the installed app) plus files the user added where they are ("link"),
 * which the caller records (settings) and passes back in. Reading a header never loads a model.
 */
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { AppError } from '@shared/contract/errors';
import type { ModelEntry, ModelSource } from '@shared/contract/models';
import { inspectGguf } from './gguf-inspect';

export interface ModelFolder {
  path: string;
  source: Exclude<ModelSource, 'added'>;
}

export interface ScanOptions {
  folders: ModelFolder[];
  /** Files added with "link" (absolute paths recorded by the caller). */
  addedFiles?: string[];
  /** Paths the LLM host marked broken (LlmStatus.broken). */
  broken?: { path: string; reason: string }[];
  loadedPath?: string | null;
}

/** `models/` under the project (development) and `<userData>/models` (installed app). */
export function defaultModelFolders(options: { devDir?: string | null; userDataDir?: string | null }): ModelFolder[] {
  const folders: ModelFolder[] = [];
  if (options.devDir) folders.push({ path: resolve(options.devDir), source: 'dev' });
  if (options.userDataDir) folders.push({ path: join(resolve(options.userDataDir), 'models'), source: 'user' });
  return folders;
}

/** Only the first part of a split model (name-00001-of-00003.gguf) is listed. */
function isListedGguf(name: string): boolean {
  if (!/\.gguf$/i.test(name) || name.startsWith('.')) return false;
  const part = /-(\d{5})-of-\d{5}\.gguf$/i.exec(name);
  return !part || part[1] === '00001';
}

async function findGgufFiles(dir: string, depth = 2): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && depth > 0 && !entry.name.startsWith('.')) files.push(...(await findGgufFiles(full, depth - 1)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && isListedGguf(entry.name)) files.push(full);
  }
  return files;
}

export async function describeModel(path: string, source: ModelSource, extra: Pick<ScanOptions, 'broken' | 'loadedPath'> = {}): Promise<ModelEntry> {
  const absolute = resolve(path);
  const stats = await stat(absolute).catch(() => null);
  let summary: ModelEntry['summary'] = null;
  let error: string | null = null;
  if (!stats) error = `The file ${absolute} no longer exists.`;
  else {
    try {
      summary = await inspectGguf(absolute);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
  }
  return {
    path: absolute,
    fileName: basename(absolute),
    source,
    sizeBytes: stats?.size ?? 0,
    modifiedAt: (stats?.mtime ?? new Date(0)).toISOString(),
    summary,
    error,
    broken: extra.broken?.find((b) => b.path === absolute)?.reason ?? null,
    loaded: extra.loadedPath != null && resolve(extra.loadedPath) === absolute,
  };
}

export async function scanModels(options: ScanOptions): Promise<ModelEntry[]> {
  const seen = new Set<string>();
  const entries: ModelEntry[] = [];
  const consider = async (path: string, source: ModelSource): Promise<void> => {
    const real = await realpath(path).catch(() => resolve(path));
    if (seen.has(real)) return;
    seen.add(real);
    entries.push(await describeModel(path, source, options));
  };
  for (const folder of options.folders) {
    for (const file of await findGgufFiles(folder.path)) await consider(file, folder.source);
  }
  for (const file of options.addedFiles ?? []) await consider(file, 'added');
  return entries.sort((a, b) => a.fileName.localeCompare(b.fileName) || a.path.localeCompare(b.path));
}

/**
 * "Add GGUF file…": `copy` puts a copy in `modelsDir` (written under a temporary name, so a scan never
 * sees half a file); `link` leaves it where it is and the caller records the path. Either way the
 * header is checked first, so a file that would crash the model process is refused with the reason.
 */
export async function addModelFile(sourcePath: string, options: { modelsDir: string; mode: 'copy' | 'link' }): Promise<ModelEntry> {
  const source = resolve(sourcePath);
  const summary = await inspectGguf(source);
  if (!summary.loadable) throw new AppError('MODEL_ERROR', `${summary.fileName} cannot be used: ${summary.problems.join(' ')}`);
  if (options.mode === 'link') return describeModel(source, 'added');
  await mkdir(options.modelsDir, { recursive: true });
  const target = join(resolve(options.modelsDir), summary.fileName);
  if (target === source) return describeModel(target, 'user');
  if (await stat(target).catch(() => null)) throw new AppError('CONFLICT', `A model named ${summary.fileName} is already in the models folder.`);
  const tmp = `${target}.copying`;
  try {
    await copyFile(source, tmp, constants.COPYFILE_FICLONE);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    if ((error as { code?: unknown }).code === 'ENOSPC') throw new AppError('UNAVAILABLE', `Not enough disk space to copy ${summary.fileName}.`);
    throw error;
  }
  return describeModel(target, 'user');
}

/**
 * Deletes a model file that lives in one of the model folders (with any download leftovers). A file
 * outside them (an added "link") is never deleted: `{ deleted: false }` tells the caller to forget it.
 */
export async function deleteModelFile(path: string, options: { folders: ModelFolder[]; loadedPath?: string | null }): Promise<{ deleted: boolean }> {
  const absolute = resolve(path);
  if (options.loadedPath && resolve(options.loadedPath) === absolute) throw new AppError('CONFLICT', 'Unload the model before deleting it.');
  const inside = options.folders.some((f) => {
    const rel = relative(resolve(f.path), absolute);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
  });
  if (!inside) return { deleted: false };
  if (!/\.gguf(\.partial)?$/i.test(absolute)) throw new AppError('VALIDATION', 'Only .gguf files can be deleted here.');
  // A ".partial" path discards an unfinished download only; a model path also removes its leftovers.
  const base = absolute.replace(/\.partial$/i, '');
  if (base === absolute) await rm(base, { force: true });
  await rm(`${base}.partial`, { force: true });
  await rm(`${base}.partial.json`, { force: true });
  return { deleted: true };
}
