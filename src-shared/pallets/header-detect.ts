import type { CellValue } from './fields';
import { looksLikeHeader } from './header-vocab';
import { cellText, cleanText, columnLetter, isBlankCell } from './text';

/** A merged range relative to the first row/column of the rows handed in (0-based, inclusive). */
export interface MergeRange {
  s: { r: number; c: number };
  e: { r: number; c: number };
}

export interface HeaderDetection {
  /** 0-based index of the header row within the rows handed in. */
  headerRow: number;
  /** 0..1: how sure the detector is (keywords recognised, data below lines up). */
  confidence: number;
  /** One display name per column; blanks become "Column C", duplicates get " (2)". */
  headers: string[];
  reason: string;
}

const SCAN_ROWS = 40;
const NUMERIC_TEXT_RE = /^[\s\d.,%+\-−()€$£zł]*\d[\s\d.,%+\-−()€$£zł]*$/i;

function isNumericLike(value: CellValue): boolean {
  return typeof value === 'number' || (typeof value === 'string' && NUMERIC_TEXT_RE.test(value));
}

/**
 * Find the header row under titles, logos, blank rows and merged banners: the row whose cells read
 * like manifest column names and whose columns the rows below actually fill. Null when no row has
 * at least two non-empty cells.
 */
export function detectHeaderRow(rows: readonly (readonly CellValue[])[], merges: readonly MergeRange[] = [], width = maxWidth(rows)): HeaderDetection | null {
  const limit = Math.min(rows.length, SCAN_ROWS);
  let best: { index: number; score: number; keywords: number; consistency: number; filled: number } | null = null;
  for (let i = 0; i < limit; i++) {
    const row = rows[i] ?? [];
    let filled = 0;
    let text = 0;
    let numeric = 0;
    let keywords = 0;
    const distinct = new Set<string>();
    for (let c = 0; c < width; c++) {
      const v = row[c] ?? null;
      if (isBlankCell(v)) continue;
      filled++;
      if (isNumericLike(v)) numeric++;
      else {
        text++;
        const t = cleanText(cellText(v));
        distinct.add(t.toLowerCase());
        if (t.length <= 60 && looksLikeHeader(t)) keywords++;
      }
    }
    if (filled < 2) continue;
    const consistency = belowConsistency(rows, i, width);
    const banner = merges.some((m) => m.s.r <= i && m.e.r >= i && m.e.c - m.s.c + 1 >= Math.max(2, width * 0.5));
    const score = keywords * 4 + text - numeric * 2 + consistency * 3 - (distinct.size < text ? 2 : 0) - (banner ? 3 : 0);
    if (best === null || score > best.score) best = { index: i, score, keywords, consistency, filled };
  }
  if (best === null) return null;
  if (isSubHeader(rows, best.index, merges, width)) {
    const index = best.index + 1;
    const confidence = Math.min(0.99, 0.25 + Math.min(best.keywords, 5) * 0.12 + best.consistency * 0.15);
    return {
      headerRow: index,
      confidence: Math.round(confidence * 100) / 100,
      headers: buildHeaders(rows, index, merges, width, true),
      reason: `Rows ${index}–${index + 1}: a two-row header (group names above column names).`,
    };
  }
  const confidence = Math.min(0.99, 0.25 + Math.min(best.keywords, 5) * 0.12 + best.consistency * 0.15);
  const reason =
    best.keywords > 0
      ? `Row ${best.index + 1}: ${best.keywords} of ${best.filled} cells read as column names.`
      : `Row ${best.index + 1}: the first row with text in several columns; no known column names found.`;
  return { headerRow: best.index, confidence: Math.round(confidence * 100) / 100, headers: buildHeaders(rows, best.index, merges, width), reason };
}

/** The header the user chose by hand (0-based row index): names built the same way as detection does. */
export function headersAt(rows: readonly (readonly CellValue[])[], index: number, merges: readonly MergeRange[] = [], width = maxWidth(rows)): HeaderDetection {
  return { headerRow: index, confidence: 1, headers: buildHeaders(rows, index, merges, width), reason: `Row ${index + 1}: chosen by the user.` };
}

export function maxWidth(rows: readonly (readonly CellValue[])[]): number {
  let w = 0;
  for (const row of rows) {
    for (let c = row.length - 1; c >= w; c--) {
      if (!isBlankCell(row[c] ?? null)) {
        w = c + 1;
        break;
      }
    }
  }
  return w;
}

/** Share of the next non-blank rows' cells that sit in columns the candidate header names. */
function belowConsistency(rows: readonly (readonly CellValue[])[], index: number, width: number): number {
  const header = rows[index] ?? [];
  let inside = 0;
  let total = 0;
  let seen = 0;
  for (let r = index + 1; r < rows.length && seen < 5; r++) {
    const row = rows[r] ?? [];
    let any = false;
    for (let c = 0; c < width; c++) {
      if (isBlankCell(row[c] ?? null)) continue;
      any = true;
      total++;
      if (!isBlankCell(header[c] ?? null)) inside++;
    }
    if (any) seen++;
  }
  return total === 0 ? 0 : inside / total;
}

/**
 * Is the row under the header a second header line ("netto | brutto" under a merged "Cena")? It is
 * short text only, sits under merged group cells or blank header cells, and fills few columns.
 */
function isSubHeader(rows: readonly (readonly CellValue[])[], h: number, merges: readonly MergeRange[], width: number): boolean {
  const header = rows[h] ?? [];
  const next = rows[h + 1];
  if (!next) return false;
  let filled = 0;
  let headerFilled = 0;
  for (let c = 0; c < width; c++) {
    if (!isBlankCell(header[c] ?? null)) headerFilled++;
    const v = next[c] ?? null;
    if (isBlankCell(v)) continue;
    if (typeof v !== 'string' || isNumericLike(v) || v.length > 30) return false;
    const underGroup = merges.some((m) => m.s.r === h && m.e.c > m.s.c && m.s.c <= c && m.e.c >= c);
    if (!underGroup && !isBlankCell(header[c] ?? null)) return false;
    filled++;
  }
  return filled > 0 && filled < headerFilled * 0.6;
}

function mergeAt(merges: readonly MergeRange[], r: number, c: number): MergeRange | undefined {
  return merges.find((m) => m.s.r <= r && m.e.r >= r && m.s.c <= c && m.e.c >= c);
}

/**
 * Column names of the header row. A blank cell inside a merge takes the merge's text; a group label
 * merged across a few columns in the row above ("Cena" over "netto | brutto") is prefixed.
 */
function buildHeaders(rows: readonly (readonly CellValue[])[], h: number, merges: readonly MergeRange[], width: number, twoRow = false): string[] {
  const row = rows[h] ?? [];
  const out: string[] = [];
  const beside = besideBlock(rows, h, width);
  for (let c = 0; c < width; c++) {
    let name = cleanText(cellText(row[c] ?? null));
    if (name === '') {
      const m = mergeAt(merges, h, c);
      if (m) name = cleanText(cellText(rows[m.s.r]?.[m.s.c] ?? null));
      // In a two-row header a column named only in the upper row keeps that name.
      else if (twoRow) name = cleanText(cellText(rows[h - 1]?.[c] ?? null));
    }
    if (h > 0) {
      const group = mergeAt(merges, h - 1, c);
      if (group && group.s.r === h - 1 && group.e.c > group.s.c && group.e.c - group.s.c + 1 < width * 0.8) {
        const parent = cleanText(cellText(rows[group.s.r]?.[group.s.c] ?? null));
        if (parent !== '' && !name.toLowerCase().includes(parent.toLowerCase())) name = name === '' ? parent : `${parent} ${name}`;
      }
    }
    // A header is a label: a pasted paragraph in the header row is cut to a readable length.
    out.push(name === '' || beside.has(c) ? `Column ${columnLetter(c)}` : name.slice(0, 200));
  }
  return dedupe(out);
}

const BESIDE_SCAN = 30;

/**
 * Columns of a summary block beside the table ("Total MSRP | $9,120" right of the header, after a blank
 * column): past the first gap in the header row, a named column the data rows below leave mostly empty
 * is not a manifest column, so its text must not become a header (it would map "Total MSRP" to retail).
 */
function besideBlock(rows: readonly (readonly CellValue[])[], h: number, width: number): Set<number> {
  const out = new Set<number>();
  const header = rows[h] ?? [];
  let first = -1;
  let gap = -1;
  for (let c = 0; c < width; c++) {
    const blank = isBlankCell(header[c] ?? null);
    if (!blank && first < 0) first = c;
    else if (blank && first >= 0 && gap < 0) gap = c;
  }
  if (gap < 0) return out;
  let dataRows = 0;
  const filled = new Array<number>(width).fill(0);
  for (let r = h + 1; r < rows.length && r <= h + BESIDE_SCAN; r++) {
    const row = rows[r] ?? [];
    if (row.every((v) => isBlankCell(v))) continue;
    dataRows++;
    for (let c = gap + 1; c < width; c++) if (!isBlankCell(row[c] ?? null)) filled[c] = (filled[c] ?? 0) + 1;
  }
  if (dataRows < 5) return out;
  for (let c = gap + 1; c < width; c++) if (!isBlankCell(header[c] ?? null) && (filled[c] ?? 0) < dataRows * 0.2) out.add(c);
  return out;
}

function dedupe(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const key = name.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}
