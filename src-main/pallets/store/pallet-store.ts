import type { HeaderDetection } from '@shared/pallets/header-detect';
import type { ColumnMapping } from '@shared/pallets/mapper';
import type { Rule } from '@shared/pallets/rules';
import type { FileInfo, ImportSummary } from '@shared/pallets/schemas';
import type { ScoredLine } from '@shared/pallets/scoring';

export interface StoreBegin {
  file: FileInfo;
  sheet: string;
  /** Header row as the spreadsheet shows it (1-based). */
  headerRowNumber: number;
  header: HeaderDetection;
  mapping: ColumnMapping;
  /** The rules the lines are scored with (enabled and disabled), for the analysis record. */
  rules: readonly Rule[];
}

/**
 * Where an import's lines go. The pipeline calls begin → insertLines (batches, row order) → commit,
 * or rollback after begin when anything fails or the import is cancelled. Methods may be synchronous
 * (better-sqlite3 prepared statements in one transaction per batch) or return promises.
 *
 * Per line the store receives: row (source row number), values (canonical fields), issues, source
 * (all original cells, in header order), score, status, fired (rules with effects).
 */
export interface PalletStore {
  begin(info: StoreBegin): void | Promise<void>;
  insertLines(lines: readonly ScoredLine[]): void | Promise<void>;
  commit(summary: ImportSummary): void | Promise<void>;
  rollback(reason: unknown): void | Promise<void>;
}

/** A store that keeps everything in memory (tests, dry runs). */
export class MemoryPalletStore implements PalletStore {
  info: StoreBegin | null = null;
  lines: ScoredLine[] = [];
  summary: ImportSummary | null = null;
  rolledBack: unknown = null;
  batches = 0;

  begin(info: StoreBegin): void {
    this.info = info;
  }
  insertLines(lines: readonly ScoredLine[]): void {
    this.batches++;
    for (const l of lines) this.lines.push(l);
  }
  commit(summary: ImportSummary): void {
    this.summary = summary;
  }
  rollback(reason: unknown): void {
    this.rolledBack = reason ?? 'rolled back';
    this.lines = [];
  }
}
