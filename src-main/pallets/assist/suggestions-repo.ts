/**
 * Suggestions the model made for pallet lines (device-local) and the line corrections accepted ones
 * become (synced). Accepting writes a correction row with the values it replaces and updates the line's
 * normalised name / category / brand; the line's original cells (data_json) are never touched, so
 * nothing the supplier sent is lost.
 */
import { and, eq } from 'drizzle-orm';
import type { AssistReason, LineSuggestion, SuggestionStatus } from '@shared/contract/pallets';
import { AppError } from '@shared/contract/errors';
import { newId } from '@shared/ids';
import type { Db } from '@main/db/open';
import { palletItems, palletLineCorrections, palletLineSuggestions } from '@main/db/schema';
import { insertSynced, updateSynced } from '@main/db/synced-repo';

export interface AssistCandidate {
  id: string;
  row: number;
  name: string | null;
  category: string | null;
  brand: string | null;
  ean: string | null;
  sku: string | null;
  reasons: AssistReason[];
}

export interface Proposal {
  name: string | null;
  category: string | null;
  brand: string | null;
  model: string | null;
}

interface CandidateRow {
  id: string;
  row: number;
  name: string | null;
  category: string | null;
  brand: string | null;
  ean: string | null;
  sku: string | null;
  unknownCategory: number;
}

/**
 * A name the rules could not make sense of: missing, mostly capitals (a shouted export), glued with
 * separators, or carrying long article codes.
 */
export function isMessyName(name: string | null): boolean {
  const text = name?.trim() ?? '';
  if (text.length < 3) return true;
  const letters = text.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 8 && letters === letters.toUpperCase()) return true;
  if ((text.match(/[_;|#]/g) ?? []).length >= 2) return true;
  return /\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9-]{9,}\b/.test(text);
}

/** Live lines the rules could not place, without a decided suggestion or a correction, in source order. */
export function findCandidates(db: Db, analysisId: string): AssistCandidate[] {
  const rows = db.$client
    .prepare(
      `SELECT i.id, i.source_row AS row, i.name, i.category, i.brand, i.ean, i.sku,
              instr(i.data_json, '"unknown_category"') > 0 AS unknownCategory
         FROM pallet_items i
        WHERE i.analysis_id = ? AND i.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM pallet_line_suggestions s WHERE s.line_id = i.id AND s.status <> 'pending')
          AND NOT EXISTS (SELECT 1 FROM pallet_line_corrections c WHERE c.line_id = i.id AND c.deleted_at IS NULL)
        ORDER BY i.source_row`,
    )
    .all(analysisId) as CandidateRow[];
  const out: AssistCandidate[] = [];
  for (const r of rows) {
    const reasons: AssistReason[] = [];
    if (!r.category || r.category === 'other' || r.unknownCategory) reasons.push('category');
    if (!r.brand?.trim()) reasons.push('brand');
    if (isMessyName(r.name)) reasons.push('name');
    if (reasons.length > 0) out.push({ id: r.id, row: r.row, name: r.name, category: r.category, brand: r.brand, ean: r.ean, sku: r.sku, reasons });
  }
  return out;
}

/** Stores (or replaces a pending) suggestion per line; a decided one is never overwritten. */
export function saveSuggestions(db: Db, analysisId: string, items: { candidate: AssistCandidate; proposal: Proposal }[], now = Date.now()): number {
  const stmt = db.$client.prepare(
    `INSERT INTO pallet_line_suggestions (id, analysis_id, line_id, created_at, status, name, category, brand, model, reasons)
     VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)
     ON CONFLICT(line_id) DO UPDATE SET created_at = excluded.created_at, name = excluded.name, category = excluded.category,
       brand = excluded.brand, model = excluded.model, reasons = excluded.reasons
     WHERE pallet_line_suggestions.status = 'pending'`,
  );
  let saved = 0;
  db.$client.transaction(() => {
    for (const { candidate, proposal } of items) {
      saved += stmt.run(newId(), analysisId, candidate.id, now, proposal.name, proposal.category, proposal.brand, proposal.model, candidate.reasons.join(',')).changes;
    }
  })();
  return saved;
}

interface SuggestionRow {
  id: string;
  lineId: string;
  row: number;
  status: SuggestionStatus;
  reasons: string;
  createdAt: number;
  pName: string | null;
  pCategory: string | null;
  pBrand: string | null;
  pModel: string | null;
  name: string | null;
  category: string | null;
  brand: string | null;
}

const LIST_LIMIT = 5000;

export function listSuggestions(db: Db, analysisId: string, status: SuggestionStatus): { suggestions: LineSuggestion[]; pending: number; truncated: boolean } {
  const rows = db.$client
    .prepare(
      `SELECT s.id, s.line_id AS lineId, i.source_row AS row, s.status, s.reasons, s.created_at AS createdAt,
              s.name AS pName, s.category AS pCategory, s.brand AS pBrand, s.model AS pModel, i.name, i.category, i.brand
         FROM pallet_line_suggestions s JOIN pallet_items i ON i.id = s.line_id
        WHERE s.analysis_id = ? AND s.status = ? AND i.deleted_at IS NULL
        ORDER BY i.source_row LIMIT ?`,
    )
    .all(analysisId, status, LIST_LIMIT + 1) as SuggestionRow[];
  const pending = (db.$client
    .prepare(`SELECT count(*) AS n FROM pallet_line_suggestions WHERE analysis_id = ? AND status = 'pending'`)
    .get(analysisId) as { n: number }).n;
  return {
    pending,
    truncated: rows.length > LIST_LIMIT,
    suggestions: rows.slice(0, LIST_LIMIT).map((r) => ({
      id: r.id,
      lineId: r.lineId,
      row: r.row,
      status: r.status,
      reasons: r.reasons.split(',').filter((x): x is AssistReason => x === 'category' || x === 'brand' || x === 'name'),
      current: { name: r.name, category: r.category, brand: r.brand },
      proposed: { name: r.pName, category: r.pCategory, brand: r.pBrand, model: r.pModel },
      createdAt: r.createdAt,
    })),
  };
}

/** Accepts or rejects the listed pending suggestions (or every pending one of the analysis). */
export function decideSuggestions(db: Db, analysisId: string, decision: 'accept' | 'reject', ids?: readonly string[], now = Date.now()): { accepted: number; rejected: number } {
  const pending = db
    .select()
    .from(palletLineSuggestions)
    .where(and(eq(palletLineSuggestions.analysisId, analysisId), eq(palletLineSuggestions.status, 'pending')))
    .all();
  const wanted = ids ? new Set(ids) : null;
  const chosen = wanted ? pending.filter((s) => wanted.has(s.id)) : pending;
  if (wanted && chosen.length !== wanted.size) throw new AppError('NOT_FOUND', 'Some of these suggestions are no longer pending; reload the list.');
  let accepted = 0;
  let rejected = 0;
  db.transaction(() => {
    for (const s of chosen) {
      if (decision === 'accept') {
        const line = db.select({ name: palletItems.name, category: palletItems.category, brand: palletItems.brand }).from(palletItems).where(eq(palletItems.id, s.lineId)).get();
        if (!line) continue;
        const patch: { name?: string; category?: string; brand?: string } = {};
        if (s.name) patch.name = s.name;
        if (s.category) patch.category = s.category;
        if (s.brand) patch.brand = s.brand;
        insertSynced(db, palletLineCorrections, { analysisId, lineId: s.lineId, name: s.name, category: s.category, brand: s.brand, model: s.model, originalJson: JSON.stringify(line), source: 'model' }, now);
        if (Object.keys(patch).length > 0) updateSynced(db, palletItems, s.lineId, patch, now);
        accepted += 1;
      } else rejected += 1;
      db.update(palletLineSuggestions).set({ status: decision === 'accept' ? 'accepted' : 'rejected', decidedAt: now }).where(eq(palletLineSuggestions.id, s.id)).run();
    }
  });
  return { accepted, rejected };
}
