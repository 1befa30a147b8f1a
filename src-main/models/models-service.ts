import path from 'node:path';
import { eq } from 'drizzle-orm';
import { AppError } from '@shared/contract/errors';
import type { ModelEntry } from '@shared/contract/models';
import type { Db } from '../db/open';
import { models } from '../db/schema';
import type { EventBus } from '../core/event-bus';
import type { AppPaths } from '../core/paths';
import { ModelDownloader } from './downloader';
import { addModelFile, defaultModelFolders, deleteModelFile, scanModels, type ModelFolder } from './model-catalog';

/** What the catalog needs to know about the model runtime: which file is loaded and which crashed it. */
export interface LoadedState {
  loadedPath(): string | null;
  broken(): { path: string; reason: string }[];
}

export interface ModelsServiceOptions {
  db: Db;
  paths: AppPaths;
  events: EventBus;
  runtime: LoadedState;
  /** Include the repository's models/ folder (development checkouts). */
  includeDevFolder?: boolean;
}

/** The model catalog (models folders, added files) and downloads, bound to the app's store and events. */
export class ModelsService {
  readonly downloader: ModelDownloader;
  readonly folders: ModelFolder[];

  constructor(private readonly options: ModelsServiceOptions) {
    this.folders = defaultModelFolders({ devDir: options.includeDevFolder === false ? null : options.paths.devModelsDir, userDataDir: options.paths.dataDir });
    this.downloader = new ModelDownloader({ modelsDir: options.paths.userModelsDir });
    this.downloader.onProgress((progress) => options.events.emit('models:downloadProgress', progress));
  }

  addedFiles(): string[] {
    return this.options.db.select({ path: models.path }).from(models).where(eq(models.source, 'added')).all().map((r) => r.path);
  }

  async list(): Promise<ModelEntry[]> {
    const { runtime } = this.options;
    return scanModels({ folders: this.folders, addedFiles: this.addedFiles(), broken: runtime.broken(), loadedPath: runtime.loadedPath() });
  }

  /** Only files the catalog knows may be inspected, loaded or deleted: a page cannot name any path. */
  async requireKnown(file: string): Promise<ModelEntry> {
    const resolved = path.resolve(file);
    const entry = (await this.list()).find((m) => m.path === resolved);
    if (!entry) throw new AppError('NOT_FOUND', 'That model is not in a models folder; add it first.');
    return entry;
  }

  async add(file: string, mode: 'copy' | 'link'): Promise<ModelEntry> {
    const entry = await addModelFile(file, { modelsDir: this.options.paths.userModelsDir, mode });
    if (mode === 'link') {
      this.options.db
        .insert(models)
        .values({ path: entry.path, name: entry.fileName, source: 'added', sizeBytes: entry.sizeBytes, addedAt: Date.now() })
        .onConflictDoNothing()
        .run();
    }
    return entry;
  }

  async remove(file: string): Promise<void> {
    const entry = await this.requireKnown(file);
    if (entry.loaded) throw new AppError('CONFLICT', 'Unload the model before deleting it.');
    const result = await deleteModelFile(entry.path, { folders: this.folders, loadedPath: this.options.runtime.loadedPath() });
    if (!result.deleted) this.options.db.delete(models).where(eq(models.path, entry.path)).run();
  }

  /** Deletes an unfinished download the downloader knows about (never any other file). */
  async discardDownload(fileName: string): Promise<void> {
    const known = (await this.downloader.listPartial()).some((p) => p.fileName === fileName);
    if (!known) throw new AppError('NOT_FOUND', 'No unfinished download with that name.');
    await this.downloader.discardPartial(fileName);
  }
}
