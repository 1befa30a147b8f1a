import { leadsRequests } from '../../src-shared/contract/leads';
import type { HandlersOf } from '../core/dispatch';
import type { Db } from '../db/open';
import { createLead, deleteLead, listLeads, updateLead } from './leads-repo';

export interface LeadsContext {
  db: Db;
}

export interface LeadsFeature {
  handlers: HandlersOf<typeof leadsRequests>;
}

/** Leads: the clients a salesperson coaches for (sessions and the client profile hang off a lead). */
export function createLeadsFeature(ctx: LeadsContext): LeadsFeature {
  const { db } = ctx;
  return {
    handlers: {
      'leads:list': (input) => ({ leads: listLeads(db, input) }),
      'leads:create': (input) => createLead(db, input),
      'leads:update': ({ id, patch }) => updateLead(db, id, patch),
      'leads:delete': ({ id }) => {
        deleteLead(db, id);
        return { ok: true as const };
      },
    },
  };
}

// Coaching creates a placeholder lead for a quick session and reads a lead's language.
export { createLead, getLead } from './leads-repo';
