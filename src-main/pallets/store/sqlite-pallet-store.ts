import type { NormaliseOptions } from '@shared/pallets/normalise';
import type { ImportSummary } from '@shared/pallets/schemas';
import type { ScoredLine } from '@shared/pallets/scoring';
import type { ValuationOptions } from '@shared/pallets/valuation';
import { newId } from '@shared/ids';
import type { Db } from '@main/db/open';
import { deleteUnfinishedImport, emptyMeta, finishImportedAnalysis, insertImportingAnalysis, storedValuation, touchImportingAnalysis, type AnalysisMeta } from './analyses-repo';
import { refreshDashboardGroups } from '../dashboard/dashboard';
import { ruleDictionary } from './line-codec';
import { insertLineBatch, queueInsertedLines } from './lines-repo';
import type { PalletStore, StoreBegin } from './pallet-store';

export interface SqliteStoreOptions {
  name: string;
  supplier: string | null;
  sourceFile: string | null;
  palletPrice: number | null;
  normalise: Partial<NormaliseOptions>;
  /** Without the analysis price (that is `palletPrice`). */
  valuationOptions: Partial<ValuationOptions>;
  now?: () => number;
  /** Called after each stored batch with the number of lines stored so far. */
  onStored?: (lines: number) => void;
}

/** Heartbeat of a running import, so another process's start-up never mistakes it for a crashed one. */
const TOUCH_EVERY_MS = 5_000;

/**
 * The import pipeline's store on SQLite. The analysis row is written at `begin` with status `importing`
 * (hidden everywhere), lines go in one prepared-statement transaction per batch, and `commit` makes the
 * analysis visible and queues the row and all its lines for sync in one transaction. Until then nothing
 * of the import is in the outbox, so `rollback` (cancel, failure) deletes everything and sync can never
 * have sent half an import to the team server. A crash mid-import leaves an `importing` row that the
 * service removes at the next start (`staleImports`).
 */
export class SqlitePalletStore implements PalletStore {
  readonly analysisId = newId();
  private readonly ids: string[] = [];
  private meta: AnalysisMeta = emptyMeta();
  private lastTouch = 0;
  private committed = false;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: SqliteStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get storedLines(): number {
    return this.ids.length;
  }

  begin(info: StoreBegin): void {
    this.meta = {
      ...emptyMeta(),
      fileName: info.file.fileName,
      fileSize: info.file.fileSize,
      format: info.file.format,
      headerRowNumber: info.headerRowNumber,
      header: info.header,
      mapping: info.mapping,
      normalise: this.options.normalise,
      valuationOptions: this.options.valuationOptions,
      rules: ruleDictionary(info.rules),
    };
    const now = this.now();
    insertImportingAnalysis(
      this.db,
      {
        id: this.analysisId,
        name: this.options.name,
        supplier: this.options.supplier,
        sourceFile: this.options.sourceFile,
        sheetName: info.sheet,
        contentHash: info.file.fileHash,
        headerRow: info.header.headerRow,
        palletPrice: this.options.palletPrice,
        meta: this.meta,
      },
      now,
    );
    this.lastTouch = now;
  }

  insertLines(lines: readonly ScoredLine[]): void {
    const now = this.now();
    for (const id of insertLineBatch(this.db, this.analysisId, lines, now)) this.ids.push(id);
    if (now - this.lastTouch >= TOUCH_EVERY_MS) {
      touchImportingAnalysis(this.db, this.analysisId, now);
      this.lastTouch = now;
    }
    this.options.onStored?.(this.ids.length);
  }

  commit(summary: ImportSummary): void {
    const { valuation, palletsOmitted } = storedValuation(summary.valuation);
    this.meta = { ...this.meta, mapping: summary.mapping, header: summary.header, valuation, palletsOmitted, statuses: summary.stats.statuses, stats: summary.stats, warnings: summary.warnings };
    const now = this.now();
    finishImportedAnalysis(
      this.db,
      this.analysisId,
      { lineCount: summary.stats.lines, currency: summary.valuation.currency, meta: this.meta, contentHash: summary.file.fileHash, sheetName: summary.sheet, headerRow: summary.header.headerRow },
      () => {
        queueInsertedLines(this.db, this.ids, now);
        // The dashboard's groups of the new analysis, aggregated once here (~25 ms per 100k lines) rather
        // than when the dashboard next opens, after perhaps many imports.
        refreshDashboardGroups(this.db, [this.analysisId], now);
      },
      now,
    );
    this.committed = true;
  }

  rollback(): void {
    // After the commit the analysis is visible and queued: a later failure must not take it back.
    if (this.committed) return;
    deleteUnfinishedImport(this.db, this.analysisId);
    this.ids.length = 0;
  }
}
