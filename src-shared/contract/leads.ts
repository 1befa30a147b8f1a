import { z } from 'zod';
import { Id, Limit, Ok, Text, request } from './define';
import { PIPELINE_LIMITS } from './limits';
import { Lead, LeadFields } from '../coaching/types';
import { DueFollowup, FollowupKind, FollowupSequence, FollowupStep, LeadStage, Outcome, OutcomeKind } from '../coaching/pipeline';
import { PreCallBrief, TeamInsights, TodayView } from '../coaching/pipeline-views';

/** Lead channels: the people a salesperson coaches for, their pipeline, follow-ups and outcomes (issue 16). */

const Millis = z.number().int().min(0);
const LeadSort = z.enum(['updated', 'due', 'likelihood', 'stage', 'name']);
const Reminder = z.object({ kind: FollowupKind, id: Id }).strict();

export const leadsRequests = {
  'leads:list': request(
    z.object({ query: Text(200).optional(), limit: Limit(1000), stage: LeadStage.optional(), dueBefore: Millis.optional(), sort: LeadSort.optional() }).strict(),
    z.object({ leads: z.array(Lead) }),
    'Leads, most recently changed first (optional search, stage / due filter and sort)',
  ),
  'leads:create': request(LeadFields.strict(), Lead, 'Create a lead'),
  'leads:update': request(z.object({ id: Id, patch: LeadFields.partial().strict() }).strict(), Lead, 'Change a lead (stage, deal, next step…)'),
  'leads:delete': request(z.object({ id: Id }).strict(), Ok, 'Delete a lead (its sessions stay)'),
  'leads:due': request(
    z.object({ at: Millis.optional(), horizonMs: z.number().int().min(0).max(31 * 86_400_000).optional(), leadId: Id.optional() }).strict(),
    z.object({ items: z.array(DueFollowup) }),
    'Reminders: open next steps and unsent sequence steps due by at + horizon, oldest first',
  ),
  'leads:snooze': request(z.object({ target: Reminder, until: Millis }).strict(), Ok, 'Snooze a reminder until a time'),
  'leads:done': request(z.object({ target: Reminder }).strict(), Ok, 'Mark a reminder done (a sequence step counts as sent)'),
  'leads:sequences': request(z.object({ leadId: Id }).strict(), z.object({ sequences: z.array(FollowupSequence) }), "A lead's follow-up sequences, newest first"),
  'leads:startSequence': request(
    z.object({ leadId: Id, templateKey: z.enum(['standard']).optional(), language: z.enum(['pl', 'en']).optional() }).strict(),
    FollowupSequence,
    'Start a follow-up sequence (day 0 thank you, day 2 offer, day 7 check-in), drafted from the template',
  ),
  'leads:draftStep': request(z.object({ stepId: Id }).strict(), FollowupStep, "Draft a step's message again: by the model when loaded, else from the template"),
  'leads:editStep': request(
    z.object({ stepId: Id, subject: Text(PIPELINE_LIMITS.subjectChars).optional(), body: Text(PIPELINE_LIMITS.bodyChars).optional(), dueAt: Millis.optional() }).strict(),
    FollowupStep,
    "Edit a step's message or due time",
  ),
  'leads:markSent': request(z.object({ stepId: Id }).strict(), FollowupSequence, 'Mark a step sent'),
  'leads:logReply': request(z.object({ sequenceId: Id, text: Text(PIPELINE_LIMITS.bodyChars).nullable() }).strict(), FollowupSequence, "Log the client's reply: pauses the sequence"),
  'leads:setSequenceStatus': request(z.object({ sequenceId: Id, status: z.enum(['active', 'stopped']) }).strict(), FollowupSequence, 'Resume or stop a sequence'),
  'leads:recordOutcome': request(
    z.object({ target: Id, outcome: OutcomeKind, reason: Text(PIPELINE_LIMITS.reasonChars).nullable().optional(), nextMeetingAt: Millis.nullable().optional() }).strict(),
    Outcome,
    'Record how a session or a lead ended (won, lost with a reason, next meeting); links the session’s suggestions',
  ),
  'leads:outcomes': request(z.object({ leadId: Id }).strict(), z.object({ outcomes: z.array(Outcome) }), "A lead's outcomes, newest first"),
  'leads:brief': request(z.object({ leadId: Id }).strict(), PreCallBrief, 'Pre-call brief: archetype history, open objections, last next step, what worked with similar clients'),
  'leads:today': request(z.object({ at: Millis.optional(), tzOffsetMinutes: z.number().int().min(-840).max(840).optional() }).strict(), TodayView, 'The Today screen: due and overdue follow-ups, next meetings, quiet leads, undecided analyses'),
  'leads:teamInsights': request(z.object({}).strict(), TeamInsights, 'Responses ranked by outcomes and ratings across the team, with who wrote or used them'),
  'leads:saveToLibrary': request(
    z.object({ text: Text(PIPELINE_LIMITS.bodyChars).min(1), title: Text(300).optional(), author: Text(PIPELINE_LIMITS.ownerChars).optional(), language: z.enum(['pl', 'en']).optional() }).strict(),
    z.object({ knowledgeId: z.string() }),
    'Save a chat message or suggestion to the team library (a synced knowledge entry with its author)',
  ),
} as const;

export const leadsEvents = {} as const;
