import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { AppError } from '../../src-shared/contract/errors';
import { CoachLanguage } from '../../src-shared/coaching/keys';
import type { Lead, LeadFields } from '../../src-shared/coaching/types';
import { leads } from '../db/schema';
import { deleteSynced, insertSynced, updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';

type LeadRow = typeof leads.$inferSelect;

export function toLead(row: LeadRow): Lead {
  return {
    id: row.id,
    name: row.name,
    company: row.company,
    email: row.email,
    phone: row.phone,
    notes: row.notes,
    language: CoachLanguage.catch('pl').parse(row.language),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** LIKE wildcards in a search typed by a person are literal characters. */
function likePattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function listLeads(db: Db, options: { query?: string; limit?: number } = {}): Lead[] {
  const conditions = [isNull(leads.deletedAt)];
  const query = options.query?.trim();
  if (query) {
    const pattern = likePattern(query);
    const like = (column: SQLiteColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
    const match = or(like(leads.name), like(leads.company), like(leads.email));
    if (match) conditions.push(match);
  }
  return db
    .select()
    .from(leads)
    .where(and(...conditions))
    .orderBy(desc(leads.updatedAt))
    .limit(options.limit ?? 200)
    .all()
    .map(toLead);
}

export function getLead(db: Db, id: string): Lead {
  const row = db.select().from(leads).where(eq(leads.id, id)).get();
  if (!row || row.deletedAt !== null) throw new AppError('NOT_FOUND', 'This lead does not exist (it may have been deleted).');
  return toLead(row);
}

export function createLead(db: Db, fields: LeadFields, now?: number): Lead {
  const row = insertSynced(
    db,
    leads,
    {
      name: fields.name.trim(),
      company: fields.company ?? null,
      email: fields.email ?? null,
      phone: fields.phone ?? null,
      notes: fields.notes ?? null,
      language: fields.language ?? 'pl',
    },
    now,
  );
  return toLead(row);
}

export function updateLead(db: Db, id: string, patch: Partial<LeadFields>, now?: number): Lead {
  getLead(db, id);
  const values = Object.fromEntries(Object.entries({ ...patch, name: patch.name?.trim() }).filter(([, v]) => v !== undefined));
  return toLead(updateSynced(db, leads, id, values, now));
}

/** Soft delete; the lead's sessions stay (the dashboard's history must not change retroactively). */
export function deleteLead(db: Db, id: string, now?: number): void {
  getLead(db, id);
  deleteSynced(db, leads, id, now);
}
