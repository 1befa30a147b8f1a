import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src-shared/contract/errors';
import type { CellValue } from '../../../src-shared/pallets/fields';
import type { ImportProgress } from '../../../src-shared/pallets/schemas';
import type { Db } from '../../db/open';
import { safeFileName, type TransferDirs } from '../../files';
import { getAnalysis, type StoredAnalysis } from '../store/analyses-repo';
import { exportToXlsx, type ExportLine } from './xlsx-writer';
import { exportPage } from '../store/lines-repo';
import type { WorkerEntry } from '../reading/spreadsheet';

const PAGE = 2000;

/** The summary sheet: what the analysis is, its valuation, and the rules its lines were scored with. */
function summaryRows({ row, meta }: StoredAnalysis): CellValue[][] {
  const v = meta.valuation;
  const out: CellValue[][] = [
    ['Analysis', row.name],
    ['Supplier', row.supplier],
    ['Source file', row.sourceFile],
    ['Sheet', row.sheetName],
    ['Lines', row.lineCount],
    ['OK', meta.statuses.ok],
    ['Warning', meta.statuses.warning],
    ['Blocked', meta.statuses.blocked],
    ['Pallet price', row.palletPrice],
  ];
  if (v) {
    out.push(
      ['Currency', v.currency],
      ['Total retail', v.totalRetail],
      ['Cost', v.cost],
      ['Cost basis', v.costSource],
      ['Expected resale (low)', v.resale.low],
      ['Expected resale (high)', v.resale.high],
      ['Margin (low)', v.margin?.low ?? null],
      ['Margin (high)', v.margin?.high ?? null],
      ['ROI (low)', v.roi?.low ?? null],
      ['ROI (high)', v.roi?.high ?? null],
    );
  }
  out.push([], ['Rule', 'Action', 'Weight', 'Condition']);
  for (const r of Object.values(meta.rules)) out.push([r.name, r.action, r.weight, r.condition]);
  return out;
}

async function* storedLines(db: Db, analysisId: string, rules: StoredAnalysis['meta']['rules'], signal?: AbortSignal): AsyncGenerator<ExportLine> {
  let after = -1;
  for (;;) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'The export was cancelled.');
    // A page per query (keyset on the source row): no cursor stays open while the worker writes.
    const page = exportPage(db, analysisId, after, PAGE, rules);
    for (const line of page) yield line;
    if (page.length < PAGE) return;
    after = (page[page.length - 1] as ExportLine).row;
  }
}

export interface ExportResult {
  downloadId: string;
  fileName: string;
  size: number;
  path: string;
  rows: number;
}

/**
 * Writes an analysis to `<exports>/<analysisId>/<name>.xlsx` through `exportToXlsx` (a worker thread;
 * every text cell neutralised against formula injection), fed page by page from the database. The
 * download id is the path relative to the exports folder.
 */
export async function exportAnalysis(
  db: Db,
  analysisId: string,
  dirs: TransferDirs,
  opts: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; worker?: WorkerEntry; target?: string } = {},
): Promise<ExportResult> {
  const stored = getAnalysis(db, analysisId);
  const base = safeFileName(stored.row.name).replace(/\.(xlsx|xlsm|xls|csv|ods)$/i, '') || 'analysis';
  const fileName = `${base}.xlsx`;
  const file = opts.target ?? path.join(dirs.exports, analysisId, fileName);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const headers = stored.meta.mapping?.columns.map((c) => c.header) ?? stored.meta.header?.headers ?? [];
  const written = await exportToXlsx({
    path: file,
    headers,
    lines: storedLines(db, analysisId, stored.meta.rules, opts.signal),
    summary: summaryRows(stored),
    signal: opts.signal,
    onProgress: (p) => opts.onProgress?.({ ...p, total: p.total ?? stored.row.lineCount }),
    ...(opts.worker ? { worker: opts.worker } : {}),
  });
  return { downloadId: path.relative(dirs.exports, file).split(path.sep).join('/'), fileName, size: fs.statSync(file).size, path: file, rows: written.rows };
}
