import { and, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { AppError } from '@shared/contract/errors';
import type { DueFollowup } from '@shared/coaching/pipeline';
import { followupSequences, followupSteps, leads } from '../db/schema';
import { updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';
import { setNextStepState } from './leads-repo';

/**
 * Reminders: a lead's open next step and every unsent step of an active sequence, due once their due
 * time (or the end of a snooze, whichever is later) has come. Read from the local store only, so they
 * work with no network; done and snooze are synced writes like any other edit.
 */

export interface DueOptions {
  /** "Now": items due at or before `at + horizonMs` are listed; those before `at` are overdue. */
  at: number;
  horizonMs?: number;
  leadId?: string;
}

export function dueFollowups(db: Db, options: DueOptions): DueFollowup[] {
  const until = options.at + (options.horizonMs ?? 0);
  const effectiveLead = sql<number>`max(${leads.nextStepDue}, coalesce(${leads.nextStepSnoozedUntil}, 0))`;
  const nextSteps = db
    .select({ id: leads.id, name: leads.name, text: leads.nextStep, due: leads.nextStepDue, effective: effectiveLead })
    .from(leads)
    .where(
      and(
        isNull(leads.deletedAt),
        isNotNull(leads.nextStepDue),
        isNull(leads.nextStepDoneAt),
        lte(effectiveLead, until),
        options.leadId ? eq(leads.id, options.leadId) : undefined,
      ),
    )
    .all();
  const effectiveStep = sql<number>`max(${followupSteps.dueAt}, coalesce(${followupSteps.snoozedUntil}, 0))`;
  const steps = db
    .select({ id: followupSteps.id, leadId: followupSteps.leadId, name: leads.name, subject: followupSteps.subject, due: followupSteps.dueAt, effective: effectiveStep })
    .from(followupSteps)
    .innerJoin(followupSequences, eq(followupSequences.id, followupSteps.sequenceId))
    .innerJoin(leads, eq(leads.id, followupSteps.leadId))
    .where(
      and(
        isNull(followupSteps.deletedAt),
        isNull(followupSteps.sentAt),
        isNull(followupSequences.deletedAt),
        eq(followupSequences.status, 'active'),
        isNull(leads.deletedAt),
        lte(effectiveStep, until),
        options.leadId ? eq(followupSteps.leadId, options.leadId) : undefined,
      ),
    )
    .all();
  const items: DueFollowup[] = [
    ...nextSteps.map((r) => ({ id: r.id, leadId: r.id, leadName: r.name, kind: 'next_step' as const, due: r.effective, text: r.text ?? '', overdue: r.effective < options.at })),
    ...steps.map((r) => ({ id: r.id, leadId: r.leadId, leadName: r.name, kind: 'sequence_step' as const, due: r.effective, text: r.subject, overdue: r.effective < options.at })),
  ];
  // Oldest first; the id breaks ties so the order is the same on every run.
  return items.sort((a, b) => a.due - b.due || a.id.localeCompare(b.id));
}

export type ReminderTarget = { kind: 'next_step' | 'sequence_step'; id: string };

export function snoozeFollowup(db: Db, target: ReminderTarget, until: number, now?: number): void {
  if (target.kind === 'next_step') setNextStepState(db, target.id, { snoozedUntil: until }, now);
  else updateSynced(db, followupSteps, stepRow(db, target.id).id, { snoozedUntil: until }, now);
}

/** Done: a next step is closed; a sequence step counts as sent (the salesperson handled it). */
export function completeFollowup(db: Db, target: ReminderTarget, now = Date.now()): void {
  if (target.kind === 'next_step') setNextStepState(db, target.id, { doneAt: now }, now);
  else updateSynced(db, followupSteps, stepRow(db, target.id).id, { sentAt: now }, now);
}

export function stepRow(db: Db, id: string): typeof followupSteps.$inferSelect {
  const row = db.select().from(followupSteps).where(and(eq(followupSteps.id, id), isNull(followupSteps.deletedAt))).get();
  if (!row) throw new AppError('NOT_FOUND', 'This follow-up step does not exist (it may have been deleted).');
  return row;
}

/** Leads whose last change and last session are older than `quietMs` and that are still open. */
export function quietLeads(db: Db, at: number, quietMs: number): { id: string; name: string; lastActivity: number }[] {
  const last = sql<number>`max(${leads.updatedAt}, coalesce((SELECT max(s.updated_at) FROM coaching_sessions s WHERE s.lead_id = ${leads.id} AND s.deleted_at IS NULL), 0))`;
  return db
    .select({ id: leads.id, name: leads.name, lastActivity: last })
    .from(leads)
    .where(and(isNull(leads.deletedAt), sql`${leads.stage} NOT IN ('won', 'lost')`, lte(last, at - quietMs), or(isNull(leads.nextStepDue), isNotNull(leads.nextStepDoneAt))))
    .orderBy(last)
    .limit(20)
    .all();
}
