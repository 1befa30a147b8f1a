import * as XLSX from 'xlsx';
import type { ErrorCode } from '@shared/contract/errors';
import type { CellValue } from '@shared/pallets/fields';
import type { MergeRange } from '@shared/pallets/header-detect';
import type { ImportLimits, SheetInfo } from '@shared/pallets/schemas';
import { columnLetter } from '@shared/pallets/text';
import type { FastBook } from './xlsx-fast';

/*
 * One view of an opened workbook for the spreadsheet worker, whichever reader produced it: SheetJS
 * (every format) or the fast .xlsx reader. Rows come out as primitives of the sheet's width.
 */

export class Fail extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SheetExtent {
  /** Rows counted from row 1 (0 when the sheet holds no value). */
  rows: number;
  /** Rows including those past the row limit. */
  fullRows: number;
  /** Columns up to the last one holding a value. */
  width: number;
}

export interface BookSheet {
  readonly name: string;
  readonly hidden: boolean;
  extent(): SheetExtent;
  /** Row r's values, `width` long; fails on a limit the row breaks. */
  row(r: number, width: number): CellValue[];
  /** Drop row r (streaming with release: memory goes back as the import proceeds). */
  release(r: number): void;
  merges(): MergeRange[];
  /** A limit the sheet breaks that the reader found while reading it, if any. */
  problem(): string | null;
}

export interface Book {
  readonly reader: 'sheetjs' | 'fast';
  sheets(): BookSheet[];
  remove(name: string): void;
}

export function sheetInfos(book: Book): SheetInfo[] {
  return book.sheets().map((s, index) => {
    const e = s.extent();
    return { index, name: s.name, rows: e.fullRows, columns: e.width, hidden: s.hidden };
  });
}

// ---------------------------------------------------------------------------------------------
// SheetJS

function isoDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

function convertRow(row: XLSX.CellObject[] | undefined, width: number, r: number, sheet: string, limits: ImportLimits): CellValue[] {
  const out: CellValue[] = new Array<CellValue>(width).fill(null);
  if (!row) return out;
  const n = Math.min(row.length, width);
  for (let c = 0; c < n; c++) {
    const cell = row[c];
    if (!cell) continue;
    const v = cell.v;
    switch (cell.t) {
      case 's': {
        const s = v as string;
        if (s.length > limits.maxCellLength) throw new Fail('IMPORT_ERROR', `Cell ${columnLetter(c)}${r + 1} on sheet "${sheet}" is longer than ${limits.maxCellLength.toLocaleString('en')} characters.`);
        // A cell showing "Link" / "Zdjęcie" whose hyperlink holds the address: the address is the value.
        const target = cell.l?.Target;
        out[c] = target && /^https?:\/\//i.test(target) && !/^https?:\/\//i.test(s) ? target : s === '' ? null : s;
        break;
      }
      case 'n': {
        const num = v as number;
        const z = typeof cell.z === 'string' ? cell.z : '';
        // Codes formatted as "0000000000000" lose their leading zeros as numbers; the format restores them.
        out[c] = z !== '' && /^0+$/.test(z) && Number.isInteger(num) && num >= 0 ? num.toFixed(0).padStart(z.length, '0') : num;
        break;
      }
      case 'b':
        out[c] = v as boolean;
        break;
      case 'd': {
        // A serial far outside the calendar is no date at all.
        const iso = v instanceof Date ? isoDate(v) : '';
        out[c] = iso === '' ? null : iso;
        break;
      }
      default:
        // 'e' (error such as #N/A) and 'z' (stub) carry no value.
        break;
    }
  }
  return out;
}

function dataOf(ws: XLSX.WorkSheet): (XLSX.CellObject[] | undefined)[] {
  return (ws['!data'] as (XLSX.CellObject[] | undefined)[] | undefined) ?? [];
}

/** Rows counted from A1; the width is what the cells actually use (a formatted column XFD is not data). */
function sheetJsExtent(ws: XLSX.WorkSheet): SheetExtent {
  const ref = ws['!ref'];
  if (!ref) return { rows: 0, fullRows: 0, width: 0 };
  const range = XLSX.utils.decode_range(ref);
  const full = ws['!fullref'] ? XLSX.utils.decode_range(ws['!fullref']) : range;
  let width = 0;
  for (const row of dataOf(ws)) {
    if (!row) continue;
    for (let c = row.length - 1; c >= width; c--) {
      const cell = row[c];
      if (cell && cell.t !== 'z' && cell.v !== undefined && cell.v !== '') {
        width = c + 1;
        break;
      }
    }
  }
  return { rows: width === 0 ? 0 : range.e.r + 1, fullRows: width === 0 ? 0 : full.e.r + 1, width };
}

/**
 * Values only: no formatted text, HTML or formulas (the cached results are the values), dates as Date;
 * number formats kept so zero-padded codes ("000123") survive.
 */
export function sheetJsReadOptions(sheetRows: number, only: string | null): XLSX.ParsingOptions {
  return { dense: true, cellText: false, cellHTML: false, cellFormula: false, cellDates: true, cellNF: true, sheetRows, ...(only !== null ? { sheets: only } : {}) };
}

export function sheetJsBook(workbook: XLSX.WorkBook, limits: ImportLimits): Book {
  const sheet = (name: string, index: number): BookSheet => {
    const ws = workbook.Sheets[name];
    let extent: SheetExtent | null = null;
    return {
      name,
      hidden: (workbook.Workbook?.Sheets?.[index]?.Hidden ?? 0) !== 0,
      extent: () => (extent ??= ws ? sheetJsExtent(ws) : { rows: 0, fullRows: 0, width: 0 }),
      row: (r, width) => convertRow(ws ? dataOf(ws)[r] : undefined, width, r, name, limits),
      release: (r) => {
        if (ws) dataOf(ws)[r] = undefined;
      },
      merges: () => (ws?.['!merges'] ?? []).map((m) => ({ s: { r: m.s.r, c: m.s.c }, e: { r: m.e.r, c: m.e.c } })),
      problem: () => null,
    };
  };
  let sheets = workbook.SheetNames.map(sheet);
  return {
    reader: 'sheetjs',
    sheets: () => sheets,
    remove: (name) => {
      delete workbook.Sheets[name];
      sheets = sheets.filter((s) => s.name !== name);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Fast .xlsx reader

export function fastBook(book: FastBook): Book {
  let sheets: BookSheet[] = book.sheets.map(({ name, hidden, scanned }) => ({
    name,
    hidden,
    extent: () => (scanned && scanned.width > 0 ? { rows: scanned.rowCount, fullRows: scanned.fullRows, width: scanned.width } : { rows: 0, fullRows: 0, width: 0 }),
    row: (r, width) => {
      const out = new Array<CellValue>(width).fill(null);
      const row = scanned?.rows[r];
      if (!row) return out;
      const n = Math.min(row.length, width);
      for (let c = 0; c < n; c++) {
        const v = row[c];
        if (v !== undefined && v !== '') out[c] = v;
      }
      return out;
    },
    release: (r) => {
      if (scanned) scanned.rows[r] = undefined;
    },
    merges: () => scanned?.merges ?? [],
    problem: () => scanned?.problem ?? null,
  }));
  return {
    reader: 'fast',
    sheets: () => sheets,
    remove: (name) => {
      sheets = sheets.filter((s) => s.name !== name);
    },
  };
}
