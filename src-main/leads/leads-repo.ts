import { and, asc, desc, eq, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { AppError } from '@shared/contract/errors';
import { CoachLanguage } from '@shared/coaching/keys';
import { LeadStage } from '@shared/coaching/pipeline';
import type { Lead, LeadFields } from '@shared/coaching/types';
import { clientProfiles, leads } from '../db/schema';
import { deleteSynced, insertSynced, updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';

type LeadRow = typeof leads.$inferSelect;

function parseTags(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

export function toLead(row: LeadRow, purchaseLikelihood: number | null = null): Lead {
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
    // A stage another (newer) build wrote reads as 'new' rather than breaking the list.
    stage: LeadStage.catch('new').parse(row.stage),
    lostReason: row.lostReason,
    dealValue: row.dealValue,
    currency: row.currency,
    source: row.source,
    tags: parseTags(row.tagsJson),
    owner: row.owner,
    nextStep: row.nextStep,
    nextStepDue: row.nextStepDue,
    nextStepDoneAt: row.nextStepDoneAt,
    nextStepSnoozedUntil: row.nextStepSnoozedUntil,
    purchaseLikelihood,
  };
}

/** LIKE wildcards in a search typed by a person are literal characters. */
function likePattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type LeadSort = 'updated' | 'due' | 'likelihood' | 'stage' | 'name';

export interface LeadListOptions {
  query?: string;
  limit?: number;
  stage?: LeadStage;
  /** Only leads whose open next step is due at or before this time. */
  dueBefore?: number;
  sort?: LeadSort;
}

const likelihood = sql<number | null>`(SELECT json_extract(${clientProfiles.analysisJson}, '$.purchase_likelihood') FROM ${clientProfiles}
  WHERE ${clientProfiles.leadId} = ${leads.id} AND ${clientProfiles.deletedAt} IS NULL ORDER BY ${clientProfiles.updatedAt} DESC LIMIT 1)`;

const stageOrder = sql`CASE ${leads.stage} ${sql.join(
  LeadStage.options.map((s, i) => sql`WHEN ${s} THEN ${i}`),
  sql` `,
)} ELSE 0 END`;

function orderFor(sort: LeadSort): SQL[] {
  switch (sort) {
    case 'due':
      // Leads without an open next step come last.
      return [sql`${leads.nextStepDue} IS NULL`, asc(leads.nextStepDue), desc(leads.updatedAt)];
    case 'likelihood':
      return [sql`${likelihood} IS NULL`, sql`${likelihood} DESC`, desc(leads.updatedAt)];
    case 'stage':
      return [stageOrder, desc(leads.updatedAt)];
    case 'name':
      return [sql`${leads.name} COLLATE NOCASE`];
    default:
      return [desc(leads.updatedAt)];
  }
}

export function listLeads(db: Db, options: LeadListOptions = {}): Lead[] {
  const conditions: (SQL | undefined)[] = [isNull(leads.deletedAt)];
  const query = options.query?.trim();
  if (query) {
    const pattern = likePattern(query);
    const like = (column: SQLiteColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
    conditions.push(or(like(leads.name), like(leads.company), like(leads.email)));
  }
  if (options.stage) conditions.push(eq(leads.stage, options.stage));
  if (options.dueBefore !== undefined) {
    conditions.push(isNotNull(leads.nextStepDue), isNull(leads.nextStepDoneAt), lte(leads.nextStepDue, options.dueBefore));
  }
  return db
    .select({ row: leads, likelihood })
    .from(leads)
    .where(and(...conditions))
    .orderBy(...orderFor(options.sort ?? 'updated'))
    .limit(options.limit ?? 200)
    .all()
    .map(({ row, likelihood: l }) => toLead(row, typeof l === 'number' ? l : null));
}

export function getLead(db: Db, id: string): Lead {
  const found = db.select({ row: leads, likelihood }).from(leads).where(eq(leads.id, id)).get();
  if (!found || found.row.deletedAt !== null) throw new AppError('NOT_FOUND', 'This lead does not exist (it may have been deleted).');
  return toLead(found.row, typeof found.likelihood === 'number' ? found.likelihood : null);
}

type LeadColumns = Partial<Omit<typeof leads.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>>;

/** Contract fields → columns; a new next step (text or due) reopens it (done/snooze belong to the old one). */
function toColumns(fields: Partial<LeadFields>): LeadColumns {
  const { tags, name, ...rest } = fields;
  const out: LeadColumns = {};
  for (const [key, value] of Object.entries({ ...rest, name: name?.trim() })) {
    if (value !== undefined) Object.assign(out, { [key]: value });
  }
  // Currency codes are stored upper-case whatever the caller typed (the contract also normalises them).
  if (typeof fields.currency === 'string') out.currency = fields.currency.trim().toUpperCase();
  if (tags !== undefined) out.tagsJson = JSON.stringify([...new Set(tags)]);
  if (fields.nextStep !== undefined || fields.nextStepDue !== undefined) {
    out.nextStepDoneAt = null;
    out.nextStepSnoozedUntil = null;
  }
  if (fields.stage !== undefined && fields.stage !== 'lost' && fields.lostReason === undefined) out.lostReason = null;
  return out;
}

export function createLead(db: Db, fields: LeadFields, now?: number): Lead {
  const columns = toColumns(fields);
  const row = insertSynced(
    db,
    leads,
    {
      ...columns,
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
  updateSynced(db, leads, id, toColumns(patch), now);
  return getLead(db, id);
}

/** Writes the reminder state of a lead's next step (done / snoozed) through the synced path. */
export function setNextStepState(db: Db, id: string, state: { doneAt?: number | null; snoozedUntil?: number | null }, now?: number): Lead {
  getLead(db, id);
  const patch: LeadColumns = {};
  if (state.doneAt !== undefined) patch.nextStepDoneAt = state.doneAt;
  if (state.snoozedUntil !== undefined) patch.nextStepSnoozedUntil = state.snoozedUntil;
  updateSynced(db, leads, id, patch, now);
  return getLead(db, id);
}

/** Soft delete; the lead's sessions stay (the dashboard's history must not change retroactively). */
export function deleteLead(db: Db, id: string, now?: number): void {
  getLead(db, id);
  deleteSynced(db, leads, id, now);
}
