import { z } from 'zod';
import { Id, Limit, Ok, Text, request } from './define';
import { Lead, LeadFields } from '../coaching/types';

/** Lead channels: the people a salesperson coaches for (their sessions and profile hang off a lead). */

export const leadsRequests = {
  'leads:list': request(z.object({ query: Text(200).optional(), limit: Limit(1000) }).strict(), z.object({ leads: z.array(Lead) }), 'Leads, most recently changed first (optional search)'),
  'leads:create': request(LeadFields.strict(), Lead, 'Create a lead'),
  'leads:update': request(z.object({ id: Id, patch: LeadFields.partial().strict() }).strict(), Lead, 'Change a lead'),
  'leads:delete': request(z.object({ id: Id }).strict(), Ok, 'Delete a lead (its sessions stay)'),
} as const;

export const leadsEvents = {} as const;
