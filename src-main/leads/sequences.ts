import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { AppError } from '@shared/contract/errors';
import { Archetype, CoachLanguage } from '@shared/coaching/keys';
import type { FollowupSequence, FollowupStep } from '@shared/coaching/pipeline';
import { newId } from '@shared/ids';
import { clientProfiles, coachingSessions, followupSequences, followupSteps } from '../db/schema';
import { insertSynced, updateSynced } from '../db/synced-repo';
import type { Db } from '../db/open';
import { stepRow } from './followups';
import { getLead } from './leads-repo';
import { fillTemplate, sequenceTemplate, type DraftContext, type SequenceTemplateKey } from './sequence-templates';

const DAY_MS = 86_400_000;
type SequenceRow = typeof followupSequences.$inferSelect;
type StepRow = typeof followupSteps.$inferSelect;

function toStep(row: StepRow): FollowupStep {
  const { createdAt: _c, updatedAt: _u, deletedAt: _d, ...rest } = row;
  return rest;
}

function toSequence(db: Db, row: SequenceRow): FollowupSequence {
  const steps = db.select().from(followupSteps).where(and(eq(followupSteps.sequenceId, row.id), isNull(followupSteps.deletedAt))).orderBy(asc(followupSteps.position)).all();
  return {
    id: row.id,
    leadId: row.leadId,
    templateKey: row.templateKey,
    language: row.language,
    archetype: row.archetype,
    status: row.status,
    startedAt: row.startedAt,
    repliedAt: row.repliedAt,
    replyText: row.replyText,
    steps: steps.map(toStep),
  };
}

function sequenceRow(db: Db, id: string): SequenceRow {
  const row = db.select().from(followupSequences).where(and(eq(followupSequences.id, id), isNull(followupSequences.deletedAt))).get();
  if (!row) throw new AppError('NOT_FOUND', 'This follow-up sequence does not exist (it may have been deleted).');
  return row;
}

/** What a draft is made from: the lead, its last session's title and its latest archetype. */
function draftContext(db: Db, leadId: string): DraftContext & { archetype: Archetype | null; language: CoachLanguage } {
  const lead = getLead(db, leadId);
  const session = db.select().from(coachingSessions).where(and(eq(coachingSessions.leadId, leadId), isNull(coachingSessions.deletedAt))).orderBy(desc(coachingSessions.updatedAt)).get();
  const profile = db.select().from(clientProfiles).where(and(eq(clientProfiles.leadId, leadId), isNull(clientProfiles.deletedAt))).orderBy(desc(clientProfiles.updatedAt)).get();
  const archetype = Archetype.safeParse(profile?.archetype ?? session?.archetype);
  return {
    name: lead.name,
    company: lead.company,
    topic: session?.title ?? null,
    nextStep: lead.nextStep,
    archetype: archetype.success ? archetype.data : null,
    language: CoachLanguage.catch(lead.language).parse(session?.language ?? lead.language),
  };
}

export function listSequences(db: Db, leadId: string): FollowupSequence[] {
  return db
    .select()
    .from(followupSequences)
    .where(and(eq(followupSequences.leadId, leadId), isNull(followupSequences.deletedAt)))
    .orderBy(desc(followupSequences.startedAt))
    .all()
    .map((row) => toSequence(db, row));
}

export function getSequence(db: Db, id: string): FollowupSequence {
  return toSequence(db, sequenceRow(db, id));
}

/** Starts a sequence on a lead: every step is scheduled (start + day offset) and drafted from the template. */
export function startSequence(db: Db, leadId: string, options: { templateKey?: SequenceTemplateKey; language?: CoachLanguage; now?: number } = {}): FollowupSequence {
  const now = options.now ?? Date.now();
  const ctx = draftContext(db, leadId);
  const language = options.language ?? ctx.language;
  const templateKey = options.templateKey ?? 'standard';
  const id = newId();
  db.transaction(() => {
    insertSynced(db, followupSequences, { id, leadId, templateKey, language, archetype: ctx.archetype, status: 'active', startedAt: now }, now);
    sequenceTemplate(templateKey, language, ctx.archetype).forEach((step, position) => {
      insertSynced(
        db,
        followupSteps,
        {
          sequenceId: id,
          leadId,
          position,
          kind: step.kind,
          dayOffset: step.dayOffset,
          dueAt: now + step.dayOffset * DAY_MS,
          subject: fillTemplate(step.subject, ctx, language),
          body: fillTemplate(step.body, ctx, language),
          draftSource: 'template',
        },
        now,
      );
    });
  });
  return getSequence(db, id);
}

function draftPrompt(step: StepRow, template: string, ctx: DraftContext, language: CoachLanguage): string {
  const lang = language === 'pl' ? 'Polish' : 'English';
  return [
    `Write a short follow-up e-mail in ${lang} from a salesperson to a client. Return only the e-mail body, no subject line.`,
    `Step: ${step.kind} (day ${step.dayOffset} after the meeting).`,
    `Client: ${ctx.name}${ctx.company ? `, ${ctx.company}` : ''}. Last conversation: ${ctx.topic ?? 'none recorded'}. Agreed next step: ${ctx.nextStep ?? 'none recorded'}.`,
    `Base it on this template, keep it as short: """${template}"""`,
  ].join('\n');
}

/**
 * What drafting a follow-up needs from a model: whether one is loaded, and one reply to one prompt
 * (null when it was cancelled). The composition root adapts the coaching model port to it, so leads
 * does not depend on coaching.
 */
export interface FollowupDrafter {
  ready(): boolean;
  draft(request: { conversationId: string; systemPrompt: string; prompt: string; maxTokens: number }, signal: AbortSignal): Promise<string | null>;
}

/**
 * Re-drafts a step: by the model when one is loaded (ready), otherwise from the template. A model that
 * fails or returns nothing leaves the template draft, so drafting never blocks a follow-up.
 */
export async function draftStep(db: Db, stepId: string, llm: FollowupDrafter | null, signal: AbortSignal, now = Date.now()): Promise<FollowupStep> {
  const step = stepRow(db, stepId);
  const sequence = sequenceRow(db, step.sequenceId);
  const ctx = draftContext(db, step.leadId);
  const language = CoachLanguage.catch('pl').parse(sequence.language);
  const template = sequenceTemplate('standard', language, Archetype.safeParse(sequence.archetype).data ?? null).find((t) => t.kind === step.kind);
  const templateBody = fillTemplate(template?.body ?? step.body, ctx, language);
  let body = templateBody;
  let source = 'template';
  if (llm?.ready()) {
    try {
      const text = (
        (await llm.draft(
          { conversationId: `followup-${step.id}`, systemPrompt: 'You write concise, polite sales follow-up e-mails.', prompt: draftPrompt(step, templateBody, ctx, language), maxTokens: 400 },
          signal,
        )) ?? ''
      ).trim();
      if (text) {
        body = text;
        source = 'model';
      }
    } catch {
      // The template draft stands; the model's failure is not the salesperson's problem here.
    }
  }
  return toStep(updateSynced(db, followupSteps, step.id, { body, draftSource: source }, now));
}

export function editStep(db: Db, stepId: string, patch: { subject?: string; body?: string; dueAt?: number }, now?: number): FollowupStep {
  const step = stepRow(db, stepId);
  const values: Partial<StepRow> = { draftSource: 'user' };
  if (patch.subject !== undefined) values.subject = patch.subject;
  if (patch.body !== undefined) values.body = patch.body;
  if (patch.dueAt !== undefined) values.dueAt = patch.dueAt;
  return toStep(updateSynced(db, followupSteps, step.id, values, now));
}

/** Marks a step sent; the sequence is done once every step is. */
export function markStepSent(db: Db, stepId: string, now = Date.now()): FollowupSequence {
  const step = stepRow(db, stepId);
  updateSynced(db, followupSteps, step.id, { sentAt: now }, now);
  const sequence = getSequence(db, step.sequenceId);
  if (sequence.status === 'active' && sequence.steps.every((s) => s.sentAt !== null)) {
    updateSynced(db, followupSequences, sequence.id, { status: 'done' }, now);
    return getSequence(db, sequence.id);
  }
  return sequence;
}

/** A reply from the client pauses the sequence: the salesperson answers in person instead of the autopilot. */
export function logReply(db: Db, sequenceId: string, text: string | null, now = Date.now()): FollowupSequence {
  sequenceRow(db, sequenceId);
  updateSynced(db, followupSequences, sequenceId, { status: 'paused', repliedAt: now, replyText: text }, now);
  return getSequence(db, sequenceId);
}

export function setSequenceStatus(db: Db, sequenceId: string, status: 'active' | 'stopped', now?: number): FollowupSequence {
  sequenceRow(db, sequenceId);
  updateSynced(db, followupSequences, sequenceId, { status }, now);
  return getSequence(db, sequenceId);
}
