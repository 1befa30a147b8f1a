import * as XLSX from 'xlsx';
import { z } from 'zod';
import { AppError } from '@shared/contract/errors';
import type { CoachLanguage, KnowledgeKind } from '@shared/coaching/keys';
import { KnowledgeFields } from '@shared/coaching/types';
import { knowledgeEntries } from '../db/schema';
import { updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';
import { openSpreadsheet, type WorkerEntry } from '../pallets';
import type { CellValue } from '@shared/pallets/fields';
import { createKnowledge, findByKey, getKnowledgeRow, listKnowledge, toKnowledgeEntry, updateKnowledge } from './knowledge-repo';

export const KNOWLEDGE_FORMAT = 'fieldmate-knowledge';
const MAX_IMPORT_ENTRIES = 20_000;
const MAX_REPORTED_ERRORS = 100;
const COLUMNS = ['id', 'key', 'kind', 'language', 'title', 'body', 'archetype', 'category', 'tags', 'origin', 'facts'] as const;
const TAG_SEPARATOR = ' | ';

const ImportEntry = KnowledgeFields.extend({ id: z.string().min(1).max(64).optional() });
type ImportEntry = z.infer<typeof ImportEntry>;

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { row: number; message: string }[];
}

function blankToNull(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? null : value;
}

/** One raw record (JSON object or spreadsheet row) → the fields the repository takes. */
function normaliseRecord(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const r = raw as Record<string, unknown>;
  const tags = typeof r.tags === 'string' ? r.tags.split(/\s*\|\s*/).map((t) => t.trim()).filter((t) => t.length > 0) : r.tags;
  const id = blankToNull(r.id);
  // Facts travel as an object in JSON and as JSON text in a spreadsheet cell.
  let facts: unknown = blankToNull(r.facts) ?? undefined;
  if (typeof facts === 'string') {
    try {
      facts = JSON.parse(facts) as unknown;
    } catch {
      facts = { invalid: facts };
    }
  }
  return {
    kind: r.kind,
    key: blankToNull(r.key) ?? undefined,
    language: r.language ?? r.lang,
    title: r.title,
    body: r.body ?? r.text ?? '',
    archetype: blankToNull(r.archetype) ?? undefined,
    category: blankToNull(r.category) ?? undefined,
    tags,
    ...(facts !== undefined ? { facts } : {}),
    ...(id ? { id: String(id) } : {}),
  };
}

function sameContent(a: ReturnType<typeof toKnowledgeEntry>, b: ImportEntry): boolean {
  return (
    a.kind === b.kind &&
    (a.key ?? null) === (b.key ?? null) &&
    a.language === b.language &&
    a.title === b.title &&
    a.body === b.body &&
    (a.archetype ?? null) === (b.archetype ?? null) &&
    (a.category ?? null) === (b.category ?? null) &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags ?? []) &&
    JSON.stringify(a.facts) === JSON.stringify(b.facts ?? null)
  );
}

/**
 * Imports records idempotently, in one transaction: a record with a known id updates that entry (a
 * deleted one is restored); else one with a key updates the entry with that key and language; else it
 * is created. Invalid records are reported by row and skipped; the valid ones are imported.
 */
export function importKnowledgeRecords(db: Db, records: readonly unknown[]): ImportReport {
  if (records.length > MAX_IMPORT_ENTRIES) throw new AppError('IMPORT_ERROR', `A knowledge file can hold at most ${MAX_IMPORT_ENTRIES.toLocaleString('en')} entries.`);
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: [] };
  db.$client.transaction(() => {
    records.forEach((raw, index) => {
      const parsed = ImportEntry.safeParse(normaliseRecord(raw));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ row: index + 1, message: `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}` });
        return;
      }
      const entry = parsed.data;
      const { id, ...fields } = entry;
      const byId = id ? getKnowledgeRow(db, id) : undefined;
      const target = byId ?? (fields.key ? findByKey(db, fields.key, fields.language) : undefined);
      try {
        if (!target) {
          createKnowledge(db, { ...fields, tags: fields.tags ?? [] }, id ? { id } : {});
          report.created += 1;
          return;
        }
        if (target.deletedAt !== null) updateSynced(db, knowledgeEntries, target.id, { deletedAt: null });
        else if (sameContent(toKnowledgeEntry(target), entry)) {
          report.unchanged += 1;
          return;
        }
        updateKnowledge(db, target.id, { ...fields, tags: fields.tags ?? [] });
        report.updated += 1;
      } catch (error) {
        if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ row: index + 1, message: error instanceof Error ? error.message : String(error) });
      }
    });
  })();
  return report;
}

export function parseKnowledgeJson(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('IMPORT_ERROR', 'The file is not valid JSON.');
  }
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null && Array.isArray((value as { entries?: unknown }).entries)) return (value as { entries: unknown[] }).entries;
  throw new AppError('IMPORT_ERROR', 'The JSON holds no knowledge entries (expected {"entries": [...]} or a list).');
}

/** A cell as the text SheetJS showed for it before (its "General" format; booleans as TRUE/FALSE). */
function cellText(value: CellValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return XLSX.SSF.format('General', value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return value;
}

/**
 * A knowledge spreadsheet to records. Parsed in the spreadsheet worker with the pallet import's bounds
 * (size, rows, nesting, inflated bytes, a capped heap): SheetJS on the main thread froze the core for
 * seconds and took gigabytes on a hostile 1.1 MB file.
 */
export async function parseKnowledgeXlsx(data: Uint8Array, options: { worker?: WorkerEntry } = {}): Promise<unknown[]> {
  const reader = await openSpreadsheet('knowledge.xlsx', { bytes: data, limits: { maxRows: MAX_IMPORT_ENTRIES }, ...(options.worker ? { worker: options.worker } : {}) });
  const rows: CellValue[][] = [];
  try {
    const sheets = reader.file.sheets;
    const sheet = sheets.find((s) => s.name.toLowerCase() === 'knowledge') ?? sheets[0];
    if (!sheet) throw new AppError('IMPORT_ERROR', 'The spreadsheet has no sheets.');
    for await (const chunk of reader.rows(sheet.name, 0, { release: true })) for (const row of chunk.rows) rows.push(row);
  } finally {
    await reader.close();
  }
  const [header, ...body] = rows.map((row) => row.map(cellText));
  if (!header) return [];
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.includes('kind') || !names.includes('title')) throw new AppError('IMPORT_ERROR', 'The first row must name the columns (at least "kind", "language", "title", "body").');
  return body.filter((row) => row.some((cell) => cell.trim() !== '')).map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] ?? ''])));
}

export async function importKnowledge(db: Db, format: 'json' | 'xlsx', data: string | Uint8Array): Promise<ImportReport> {
  const records = format === 'json' ? parseKnowledgeJson(typeof data === 'string' ? data : new TextDecoder().decode(data)) : await parseKnowledgeXlsx(typeof data === 'string' ? new TextEncoder().encode(data) : data);
  return importKnowledgeRecords(db, records);
}

export interface ExportFilter {
  language?: CoachLanguage;
  kind?: KnowledgeKind;
}

function exportEntries(db: Db, filter: ExportFilter) {
  return listKnowledge(db, { ...filter, limit: MAX_IMPORT_ENTRIES }).entries;
}

export function exportKnowledgeJson(db: Db, filter: ExportFilter = {}): string {
  const entries = exportEntries(db, filter).map(({ createdAt: _c, updatedAt: _u, ...entry }) => entry);
  return `${JSON.stringify({ format: KNOWLEDGE_FORMAT, version: 1, exportedAt: new Date().toISOString(), entries }, null, 2)}\n`;
}

/** Every cell is written as a string cell (never a formula), whatever it starts with. */
export function exportKnowledgeXlsx(db: Db, filter: ExportFilter = {}): Uint8Array {
  const rows: string[][] = [[...COLUMNS]];
  for (const e of exportEntries(db, filter)) {
    rows.push([e.id, e.key ?? '', e.kind, e.language, e.title, e.body, e.archetype ?? '', e.category ?? '', e.tags.join(TAG_SEPARATOR), e.origin, e.facts ? JSON.stringify(e.facts) : '']);
  }
  const sheet: XLSX.WorkSheet = { '!ref': XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows.length - 1, c: COLUMNS.length - 1 } }) };
  rows.forEach((row, r) => row.forEach((value, c) => (sheet[XLSX.utils.encode_cell({ r, c })] = { t: 's', v: value })));
  sheet['!cols'] = [{ wch: 38 }, { wch: 24 }, { wch: 11 }, { wch: 8 }, { wch: 40 }, { wch: 80 }, { wch: 14 }, { wch: 12 }, { wch: 60 }, { wch: 6 }];
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, 'Knowledge');
  return new Uint8Array(XLSX.write(workbook, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}
