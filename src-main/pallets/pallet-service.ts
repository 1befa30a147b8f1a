import fs from 'node:fs';
import path from 'node:path';
import type { RequestOutput, RequestParsed } from '@shared/contract';
import { AppError } from '@shared/contract/errors';
import { mappingToOverride, type MappingOverride } from '@shared/pallets/mapper';
import type { Rule } from '@shared/pallets/rules';
import type { ImportLimits, ImportPreview, ImportProgress, ImportSummary, RuleDraft } from '@shared/pallets/schemas';
import { valueLines, type ValuationOptions } from '@shared/pallets/valuation';
import type { EventBus } from '../core/event-bus';
import type { Log } from '../core/logger';
import type { Db } from '../db/open';
import { completedUpload, transferDirs, type TransferDirs } from '../files';
import { analysesByHash, analysisIds, assertAnalysis, deletedWithLiveLines, deleteUnfinishedImport, getAnalysis, listAnalyses, staleImports, storedValuation, toSummary, tombstoneAnalysis, tombstoneLines, updateAnalysis } from './store/analyses-repo';
import { aggregateStaleDashboards, palletDashboard } from './dashboard/dashboard';
import { previewImport, runImport } from './import/import-pipeline';
import { getLineDetail, lineFacets, listLines } from './store/lines-repo';
import { findRememberedMapping, rememberMapping } from './store/mappings-repo';
import { lastSupplierCurrency } from './store/supplier-currency';
import { OpenFiles } from './reading/open-files';
import { exportAnalysis } from './export/analysis-export';
import { mergeOverrides } from './import/overrides';
import { previewRules, rescoreAnalysis, revalue } from './rescore/rescoring';
import { deleteRule, getRule, listRules, listTemplates, saveRule, type StoredRule } from './rules/rules-repo';
import { openSpreadsheet, type WorkerEntry } from './reading/spreadsheet';
import { SqlitePalletStore } from './store/sqlite-pallet-store';

export interface PalletServiceOptions {
  db: Db;
  events: EventBus;
  log: Log;
  dataDir: string;
  /** The spreadsheet worker; undefined: next to spreadsheet.ts (source runs under tsx / vitest). */
  worker?: WorkerEntry;
  /** Accept `{ path }` file sources (the CLI); the app's windows must upload what they open. */
  allowPaths?: boolean;
  idleMs?: number;
  limits?: Partial<ImportLimits>;
  now?: () => number;
}

type Progress = (p: ImportProgress) => void;
type ImportInput = RequestParsed<'pallets:import'>;
type PreviewInput = RequestParsed<'pallets:preview'>;

/** Pallets kept in the filter choices of one analysis. */
const MAX_FACET_PALLETS = 2000;
/** An import with no sign of life for this long was left by a crash. */
const STALE_IMPORT_MS = 10 * 60_000;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The pallet feature behind the IPC channels and the CLI: the import wizard's opened files, imports
 * into SQLite, analyses and their lines, rules with re-scoring, export and the dashboard.
 */
export class PalletService {
  readonly files: OpenFiles;
  private readonly dirs: TransferDirs;
  private readonly db: Db;
  private readonly now: () => number;
  private closed = false;
  /** Bumped by every rule change: an import scored with older rules is re-scored when it ends. */
  private rulesVersion = 0;
  private readonly locks = new Map<string, Promise<unknown>>();
  private rescoreWanted = false;
  private rescoreLoop: Promise<void> | null = null;
  private readonly background = new AbortController();

  constructor(private readonly o: PalletServiceOptions) {
    this.db = o.db;
    this.now = o.now ?? Date.now;
    this.dirs = transferDirs(o.dataDir);
    this.files = new OpenFiles((file, signal, onProgress) => openSpreadsheet(file, { signal, onProgress, worker: o.worker, limits: o.limits, onLog: (m) => o.log(`[pallets] ${m}`) }), o.idleMs, o.log);
    this.repair();
  }

  /** Finishes what a crash interrupted: imports that never committed, deletes that stopped half-way. */
  private repair(): void {
    for (const id of staleImports(this.db, this.now(), STALE_IMPORT_MS)) {
      const lines = deleteUnfinishedImport(this.db, id);
      this.o.log(`[pallets] removed an unfinished import (${lines} lines)`);
    }
    for (const id of deletedWithLiveLines(this.db)) while (tombstoneLines(this.db, id, this.now()) > 0);
  }

  // ---- Import wizard -----------------------------------------------------------------------

  async open(source: RequestParsed<'pallets:open'>['source'], signal: AbortSignal, onProgress?: Progress): Promise<RequestOutput<'pallets:open'>> {
    let file: string;
    let key: string;
    if ('uploadId' in source) {
      file = completedUpload(this.dirs, source.uploadId, source.fileName);
      key = `upload:${source.uploadId}`;
    } else {
      // A window naming any path would let a compromised page read any file through the CSV reader.
      if (!this.o.allowPaths) throw new AppError('FORBIDDEN', 'Pick the file in the window to upload it; files cannot be opened by path here.');
      file = path.resolve(source.path);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new AppError('NOT_FOUND', `No file at ${file}.`);
      key = `path:${file}`;
    }
    const opened = await this.files.open(key, file, signal, onProgress);
    let rememberedMappingFor: string | null = null;
    try {
      rememberedMappingFor = await this.files.use(opened.fileId, async (reader) => {
        const auto = await previewImport(reader, { rules: [], sampleSize: 0 });
        const found = findRememberedMapping(this.db, auto.mapping.signature);
        return found ? (found.supplier ?? found.override.signature) : null;
      });
    } catch {
      // No header on the first sheet: the preview step will say so in its own words.
    }
    return { fileId: opened.fileId, file: opened.file, duplicates: analysesByHash(this.db, opened.file.fileHash), rememberedMappingFor };
  }

  async close(fileId: string): Promise<void> {
    await this.files.close(fileId);
  }

  private analyseOptions(input: Pick<PreviewInput, 'sheet' | 'headerRow' | 'normalise' | 'currency' | 'supplier'>, rules: readonly Rule[]) {
    // The user's currency is the one for prices the file does not name (it wins over a header, title block
    // or the supplier's last import); a cell that names one keeps it.
    const supplierCurrency = lastSupplierCurrency(this.db, input.supplier);
    const normalise = input.currency ? { ...input.normalise, defaultCurrency: input.currency, userCurrency: input.currency, supplierCurrency } : { ...input.normalise, supplierCurrency };
    return { sheet: input.sheet ?? null, headerRow: input.headerRow ?? null, normalise, rules };
  }

  /**
   * The override a preview or import applies once the header signature is known: the remembered mapping
   * of this layout (or supplier), then the user's choices. Resolved inside the one pass over the head.
   */
  private overrideFor(input: Pick<PreviewInput, 'supplier' | 'override'>): (signature: string) => MappingOverride | null {
    return (signature) => mergeOverrides(signature, findRememberedMapping(this.db, signature, input.supplier)?.override ?? null, input.override ?? null);
  }

  preview(input: PreviewInput): Promise<ImportPreview> {
    const rules = listRules(this.db);
    return this.files.use(input.fileId, async (reader) => {
      return previewImport(reader, { ...this.analyseOptions(input, rules), override: this.overrideFor(input), sampleSize: 50 });
    });
  }

  async import(input: ImportInput, signal: AbortSignal, onProgress?: Progress): Promise<RequestOutput<'pallets:import'>> {
    const started = performance.now();
    if (input.replaceAnalysisId) assertAnalysis(this.db, input.replaceAnalysisId);
    const rules = listRules(this.db);
    const version = this.rulesVersion;
    const supplier = input.supplier?.trim() || null;
    const { analysisPrice, ...valuationOptions } = input.valuation ?? {};
    const palletPrice = input.palletPrice ?? analysisPrice ?? null;
    const { summary, analysisId } = await this.files.use(input.fileId, async (reader, file) => {
      const opts = this.analyseOptions(input, rules);
      const mapping = input.mapping ?? null;
      const store = new SqlitePalletStore(this.db, { name: input.name.trim() || file.fileName, supplier, sourceFile: file.fileName, palletPrice, normalise: opts.normalise, valuationOptions, now: this.now });
      const result = await runImport({ reader, ...opts, mapping, override: this.overrideFor(input), valuation: { ...valuationOptions, analysisPrice: palletPrice }, store, signal, onProgress, collectLines: false, releaseSheet: false });
      return { summary: result, analysisId: store.analysisId };
    });
    if (input.rememberMapping) rememberMapping(this.db, mappingToOverride(summary.mapping), supplier, this.now());
    this.changed(analysisId, 'imported');
    if (input.replaceAnalysisId) {
      // Already deleted meanwhile (another window, sync): the new analysis stands on its own.
      await this.delete(input.replaceAnalysisId).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'NOT_FOUND')) throw error;
      });
    }
    if (version !== this.rulesVersion) this.requestRescore();
    return { analysisId, stats: summary.stats, valuation: storedValuation(summary.valuation).valuation, warnings: summary.warnings, elapsedMs: Math.round(performance.now() - started) };
  }

  /** Parse, map, normalise and score every line without storing anything (CLI --dry-run). */
  dryRun(input: PreviewInput, signal?: AbortSignal, valuation?: Partial<ValuationOptions>): Promise<ImportSummary> {
    const rules = listRules(this.db);
    return this.files.use(input.fileId, async (reader) => {
      const opts = this.analyseOptions(input, rules);
      const { lines: _lines, ...summary } = await runImport({ reader, ...opts, override: this.overrideFor(input), valuation, signal, collectLines: false, releaseSheet: false });
      return summary;
    });
  }

  // ---- Analyses and lines ------------------------------------------------------------------

  analyses(): RequestOutput<'pallets:analyses'> {
    return { analyses: listAnalyses(this.db).map(toSummary) };
  }

  async analysis(analysisId: string): Promise<RequestOutput<'pallets:analysis'>> {
    let stored = getAnalysis(this.db, analysisId);
    // A row synced from a device that stored no valuation, or one stored before unknowns and max bids were counted: compute it once from the lines.
    if (!stored.meta.valuation || !('linesValued' in stored.meta.valuation)) stored = await this.withLock(analysisId, () => revalue(this.db, analysisId, this.now()));
    const facets = lineFacets(this.db, analysisId, MAX_FACET_PALLETS);
    return {
      analysis: toSummary(stored),
      valuation: stored.meta.valuation ?? valueLines([]),
      categories: facets.categories,
      palletIds: facets.palletIds,
      omitted: { palletIds: facets.palletCount - facets.palletIds.length, valuationPallets: stored.meta.palletsOmitted },
    };
  }

  async update(analysisId: string, patch: RequestParsed<'pallets:update'>['patch']): Promise<RequestOutput<'pallets:update'>> {
    const before = getAnalysis(this.db, analysisId);
    let stored = updateAnalysis(this.db, analysisId, { ...(patch.name !== undefined ? { name: patch.name.trim() } : {}), ...(patch.supplier !== undefined ? { supplier: patch.supplier?.trim() || null } : {}), ...(patch.palletPrice !== undefined ? { palletPrice: patch.palletPrice } : {}) }, this.now());
    if (patch.valuation !== undefined) {
      // Assumptions merge over the stored ones; the lines are valued again with them at once.
      stored = updateAnalysis(this.db, analysisId, { meta: { ...stored.meta, valuationOptions: { ...stored.meta.valuationOptions, ...patch.valuation } } }, this.now());
    }
    if (patch.valuation !== undefined || (patch.palletPrice !== undefined && patch.palletPrice !== before.row.palletPrice)) stored = await this.withLock(analysisId, () => revalue(this.db, analysisId, this.now()));
    this.changed(analysisId, 'updated');
    return toSummary(stored);
  }

  /** Tombstones the analysis at once (it disappears), then its lines in chunks between which IPC runs. */
  async delete(analysisId: string): Promise<void> {
    assertAnalysis(this.db, analysisId);
    await this.withLock(analysisId, async () => {
      tombstoneAnalysis(this.db, analysisId, this.now());
      while (tombstoneLines(this.db, analysisId, this.now()) > 0) await yieldToLoop();
    });
    this.changed(analysisId, 'deleted');
  }

  lines(input: RequestParsed<'pallets:lines'>): RequestOutput<'pallets:lines'> {
    assertAnalysis(this.db, input.analysisId);
    return listLines(this.db, input.analysisId, input);
  }

  line(lineId: string): RequestOutput<'pallets:line'> {
    return getLineDetail(this.db, lineId);
  }

  async rescore(analysisId: string, signal?: AbortSignal, onProgress?: Progress): Promise<RequestOutput<'pallets:rescore'>> {
    assertAnalysis(this.db, analysisId);
    const result = await this.withLock(analysisId, () => rescoreAnalysis(this.db, analysisId, listRules(this.db), { signal, onProgress, now: this.now, log: this.o.log }));
    this.changed(analysisId, 'rescored');
    return result;
  }

  async export(analysisId: string, signal?: AbortSignal, onProgress?: Progress, target?: string): Promise<RequestOutput<'pallets:export'> & { rows: number }> {
    return this.withLock(analysisId, () => exportAnalysis(this.db, analysisId, this.dirs, { signal, onProgress, worker: this.o.worker, target }));
  }

  /** Aggregates the analyses the dashboard has no cached groups for; a failure is logged (the dashboard aggregates them when opened). */
  aggregateStaleDashboards(): void {
    const started = performance.now();
    try {
      const n = aggregateStaleDashboards(this.db);
      if (n > 0) this.o.log(`[pallets] dashboard: ${n} analyses aggregated in ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      this.o.log(`[pallets] dashboard left to aggregate when opened: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dashboard(analysisId?: string): RequestOutput<'pallets:dashboard'> {
    if (analysisId !== undefined) assertAnalysis(this.db, analysisId);
    return palletDashboard(this.db, analysisId);
  }

  // ---- Rules -------------------------------------------------------------------------------

  rules(): { rules: StoredRule[]; templates: Rule[] } {
    return { rules: listRules(this.db), templates: listTemplates(this.db) };
  }

  saveRule(id: string | undefined, draft: RuleDraft): StoredRule {
    const saved = saveRule(this.db, id, draft, this.now());
    this.rulesChanged();
    return saved;
  }

  deleteRule(id: string): void {
    deleteRule(this.db, id, this.now());
    this.rulesChanged();
  }

  /** What saving `draft` as rule `id` (new when absent), or deleting rule `id` (draft null), would change. */
  previewRule(analysisId: string, id: string | undefined, draft: RuleDraft | null): RequestOutput<'pallets:previewRule'> {
    const current = listRules(this.db);
    if (id !== undefined) getRule(this.db, id);
    let proposed: Rule[];
    if (draft === null) {
      if (id === undefined) throw new AppError('VALIDATION', 'Say which rule the preview should leave out.');
      proposed = current.filter((r) => r.id !== id);
    } else {
      const rule: Rule = { ...draft, id: id ?? 'preview:new-rule', scope: 'user' };
      proposed = id === undefined ? [...current, rule] : current.map((r) => (r.id === id ? rule : r));
    }
    return previewRules(this.db, analysisId, current, proposed);
  }

  private rulesChanged(): void {
    this.rulesVersion++;
    this.o.events.emit('pallets:changed', { analysisId: null, reason: 'rules' });
    this.requestRescore();
  }

  /**
   * Re-scores every analysis with the current rules in the background, one after another; a newer rule
   * change restarts the round. Each finished analysis emits pallets:changed (reason 'rescored').
   */
  private requestRescore(): void {
    this.rescoreWanted = true;
    this.rescoreLoop ??= this.rescoreAll().finally(() => {
      this.rescoreLoop = null;
    });
  }

  private async rescoreAll(): Promise<void> {
    await yieldToLoop();
    while (this.rescoreWanted && !this.closed) {
      this.rescoreWanted = false;
      for (const id of analysisIds(this.db)) {
        if (this.closed || this.rescoreWanted) break;
        try {
          await this.withLock(id, () => rescoreAnalysis(this.db, id, listRules(this.db), { signal: this.background.signal, now: this.now, log: this.o.log }));
          this.changed(id, 'rescored');
        } catch (error) {
          if (this.closed) return;
          if (!(error instanceof AppError && error.code === 'NOT_FOUND')) this.o.log(`[pallets] re-scoring ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }

  /** Resolves when background re-scoring has finished (tests, the CLI before it exits). */
  async whenIdle(): Promise<void> {
    while (this.rescoreLoop) await this.rescoreLoop;
  }

  private changed(analysisId: string | null, reason: 'imported' | 'rescored' | 'updated' | 'deleted' | 'rules'): void {
    if (!this.closed) this.o.events.emit('pallets:changed', { analysisId, reason });
  }

  /** Work on one analysis runs one at a time (re-score, revalue, export, delete). */
  private withLock<T>(analysisId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(analysisId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(analysisId, tail);
    void tail.then(() => {
      if (this.locks.get(analysisId) === tail) this.locks.delete(analysisId);
    });
    return run;
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    this.background.abort();
    await this.rescoreLoop?.catch(() => undefined);
    await Promise.all([...this.locks.values()]);
    await this.files.closeAll();
  }
}
