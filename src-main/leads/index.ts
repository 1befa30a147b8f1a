import { leadsRequests } from '@shared/contract/leads';
import type { HandlersOf } from '../core/dispatch';
import type { Db } from '../db/open';
import { preCallBrief } from './brief';
import { completeFollowup, dueFollowups, snoozeFollowup } from './followups';
import { saveToLibrary, teamInsights } from './insights';
import { createLead, deleteLead, listLeads, updateLead } from './leads-repo';
import { listOutcomes, recordOutcome } from './outcomes';
import { draftStep, editStep, type FollowupDrafter, listSequences, logReply, markStepSent, setSequenceStatus, startSequence } from './sequences';
import { todayView } from './today';

export interface LeadsContext {
  db: Db;
  /** The coaching model port (drafts follow-ups when a model is loaded); absent in tools without a model. */
  llm?: FollowupDrafter;
}

export interface LeadsFeature {
  handlers: HandlersOf<typeof leadsRequests>;
}

/** Leads: the clients a salesperson coaches for, their pipeline, reminders, follow-up sequences and outcomes. */
export function createLeadsFeature(ctx: LeadsContext): LeadsFeature {
  const { db } = ctx;
  const ok = { ok: true as const };
  return {
    handlers: {
      'leads:list': (input) => ({ leads: listLeads(db, input) }),
      'leads:create': (input) => createLead(db, input),
      'leads:update': ({ id, patch }) => updateLead(db, id, patch),
      'leads:delete': ({ id }) => {
        deleteLead(db, id);
        return ok;
      },
      'leads:due': ({ at, horizonMs, leadId }) => ({ items: dueFollowups(db, { at: at ?? Date.now(), horizonMs, leadId }) }),
      'leads:snooze': ({ target, until }) => {
        snoozeFollowup(db, target, until);
        return ok;
      },
      'leads:done': ({ target }) => {
        completeFollowup(db, target);
        return ok;
      },
      'leads:sequences': ({ leadId }) => ({ sequences: listSequences(db, leadId) }),
      'leads:startSequence': ({ leadId, templateKey, language }) => startSequence(db, leadId, { templateKey, language }),
      'leads:draftStep': ({ stepId }, call) => draftStep(db, stepId, ctx.llm ?? null, call.signal),
      'leads:editStep': ({ stepId, ...patch }) => editStep(db, stepId, patch),
      'leads:markSent': ({ stepId }) => markStepSent(db, stepId),
      'leads:logReply': ({ sequenceId, text }) => logReply(db, sequenceId, text),
      'leads:setSequenceStatus': ({ sequenceId, status }) => setSequenceStatus(db, sequenceId, status),
      'leads:recordOutcome': (input) => recordOutcome(db, input),
      'leads:outcomes': ({ leadId }) => ({ outcomes: listOutcomes(db, leadId) }),
      'leads:brief': ({ leadId }) => preCallBrief(db, leadId),
      'leads:today': (input) => todayView(db, input),
      'leads:teamInsights': () => teamInsights(db),
      'leads:saveToLibrary': (input) => saveToLibrary(db, input),
    },
  };
}

// Coaching creates a placeholder lead for a quick session and reads a lead's language; its dashboard shows win rates.
export { createLead, getLead, listLeads, updateLead } from './leads-repo';
export type { FollowupDrafter } from './sequences';
export { completeFollowup, dueFollowups, snoozeFollowup } from './followups';
export { recordOutcome, winRates } from './outcomes';
