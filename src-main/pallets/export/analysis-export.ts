import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import { CONDITION_GRADES, type CellValue } from '@shared/pallets/fields';
import { MIN_VALUED_SHARE, resolveValuationOptions } from '@shared/pallets/valuation';
import { valuationSummary } from '@shared/pallets/valuation-summary';
import type { ImportProgress } from '@shared/pallets/schemas';
import type { Db } from '@main/db/open';
import { safeFileName, type TransferDirs } from '@main/files';
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
    // Unknown figures stay empty cells, never 0 (valuationSummary; MIN_VALUED_SHARE in valuation.ts).
    const o = resolveValuationOptions({ ...meta.valuationOptions, analysisPrice: row.palletPrice }).o;
    const s = valuationSummary(v, o.target, row.currency ?? v.currency);
    out.push(
      ['Currency', s.currency],
      ['Lines valued (with a retail price)', s.linesValued],
      ['Units valued', v.unitsValued],
      ['Total retail (valued lines)', s.retail],
      ['Cost', s.cost],
      ['Cost basis', v.costSource],
      ['Extra costs (transport, fees)', s.extraCosts],
      ['Expected resale (low)', s.resaleLow],
      ['Expected resale (high)', s.resaleHigh],
      ['Margin (low)', s.marginLow],
      ['Margin (high)', s.marginHigh],
      ['ROI (low)', s.roiLow],
      ['ROI (high)', s.roiHigh],
      [`Max bid for ${s.maxBid.targetKind === 'roi' ? 'ROI' : 'margin'} ${Math.round(s.maxBid.target * 1000) / 10}% (low)`, s.maxBid.low],
      [`Max bid for ${s.maxBid.targetKind === 'roi' ? 'ROI' : 'margin'} ${Math.round(s.maxBid.target * 1000) / 10}% (high)`, s.maxBid.high],
      [],
      ['Assumptions'],
      ['Waste / damage share', o.wasteFactor],
      ['Quantity variance', o.quantityVariance],
      ['Blocked lines earn nothing', o.excludeBlocked ? 'yes' : 'no'],
      ['Known part needed for margin, ROI and max bid (share of units)', MIN_VALUED_SHARE],
      ...CONDITION_GRADES.map((g): CellValue[] => [`Recovery ${g} (low–high)`, o.recoveryRates[g].low, o.recoveryRates[g].high]),
      ...o.categoryFactors.map((f): CellValue[] => [`Category factor ${f.category}`, f.factor]),
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
