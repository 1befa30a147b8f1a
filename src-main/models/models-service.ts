import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { AppError } from '../../src-shared/contract/errors';
import type { ModelEntry } from '../../src-shared/contract/models';
import type { Db } from '../db/open';
import { models } from '../db/schema';
import type { EventBus } from '../core/event-bus';
import type { AppPaths } from '../core/paths';
import type { Log } from '../core/logger';
import { getSettings } from '../settings/settings-service';
import type { ChildSpawner } from './child-spawner';
import { ModelDownloader } from './downloader';
import { createLlmHost, type LlmHost } from './llm-host';
import { addModelFile, defaultModelFolders, deleteModelFile, scanModels, type ModelFolder } from './model-catalog';

export interface ModelsServiceOptions {
  db: Db;
  paths: AppPaths;
  events: EventBus;
  log: Log;
  osLocale: string;
  /** Electron passes a utilityProcess spawner; Node forks. */
  spawner?: ChildSpawner;
  childEntry?: string;
  /** Include the repository's models/ folder (development checkouts). */
  includeDevFolder?: boolean;
}

/**
 * The model catalog, downloads and the LLM host, bound to the app's store and events. The host (and
 * its child process) is created on first use, so starting the app or the CLI costs nothing when no
 * model is ever loaded.
 */
export class ModelsService {
  private hostInstance: LlmHost | null = null;
  private closed = false;
  readonly downloader: ModelDownloader;
  readonly folders: ModelFolder[];
  /** Request ids started through `llm:generate`, whose deltas go to the renderer as llm:delta. */
  private readonly publicRequests = new Set<string>();

  constructor(private readonly options: ModelsServiceOptions) {
    this.folders = defaultModelFolders({ devDir: options.includeDevFolder === false ? null : options.paths.devModelsDir, userDataDir: options.paths.dataDir });
    this.downloader = new ModelDownloader({ modelsDir: options.paths.userModelsDir });
    this.downloader.onProgress((progress) => options.events.emit('models:downloadProgress', progress));
  }

  /** Threads always explicit: node-llama-cpp's own default (≥4) is 50–500× slower on 2 cores. */
  threads(): number {
    return getSettings(this.options.db, this.options.osLocale).llmThreads ?? os.availableParallelism();
  }

  get host(): LlmHost {
    if (this.closed) throw new AppError('UNAVAILABLE', 'The model runtime is shut down.');
    if (!this.hostInstance) {
      const host = createLlmHost({ spawner: this.options.spawner, childEntry: this.options.childEntry, defaultThreads: this.threads() });
      host.on('status', (status) => this.options.events.emit('llm:status', status));
      host.on('delta', (delta) => {
        if (this.publicRequests.has(delta.requestId)) this.options.events.emit('llm:delta', delta);
      });
      host.on('crash', (crash) => this.options.log(`[llm] model process crashed: ${crash.reason}`));
      host.on('log', (line) => this.options.log(`[llm] ${String(line)}`));
      this.hostInstance = host;
    }
    return this.hostInstance;
  }

  /** The host only if it was ever started (status reads must not spawn a process). */
  get startedHost(): LlmHost | null {
    return this.hostInstance;
  }

  trackPublic<T>(requestId: string, run: () => Promise<T>): Promise<T> {
    this.publicRequests.add(requestId);
    return run().finally(() => this.publicRequests.delete(requestId));
  }

  addedFiles(): string[] {
    return this.options.db.select({ path: models.path }).from(models).where(eq(models.source, 'added')).all().map((r) => r.path);
  }

  async list(): Promise<ModelEntry[]> {
    const status = this.hostInstance?.status();
    return scanModels({ folders: this.folders, addedFiles: this.addedFiles(), broken: status?.broken ?? [], loadedPath: status?.model?.path ?? null });
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
    const result = await deleteModelFile(entry.path, { folders: this.folders, loadedPath: this.hostInstance?.status().model?.path ?? null });
    if (!result.deleted) this.options.db.delete(models).where(eq(models.path, entry.path)).run();
  }

  /** Deletes an unfinished download the downloader knows about (never any other file). */
  async discardDownload(fileName: string): Promise<void> {
    const known = (await this.downloader.listPartial()).some((p) => p.fileName === fileName);
    if (!known) throw new AppError('NOT_FOUND', 'No unfinished download with that name.');
    await this.downloader.discardPartial(fileName);
  }

  async dispose(): Promise<void> {
    this.closed = true;
    await this.hostInstance?.dispose();
    this.hostInstance = null;
  }
}
