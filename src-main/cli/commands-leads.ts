import type { z } from 'zod';
import { leadsRequests } from '@shared/contract/leads';
import type { DueFollowup, OutcomeKind } from '@shared/coaching/pipeline';
import { LeadStage, OutcomeKind as OutcomeKindSchema } from '@shared/coaching/pipeline';
import type { Lead } from '@shared/coaching/types';
import { createLead, dueFollowups, listLeads, recordOutcome, updateLead } from '../leads';
import { requirePositional, UsageError, type CliCommand, type CliOptions, type CliValues } from './command';

/** `leads`, `followups` and `outcome` (issue 16 item 9): the pipeline from a terminal or a script. */

const str = (values: CliValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

function isoTime(values: CliValues, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} must be an ISO date/time such as 2026-12-08T09:00`);
  return ms;
}

function stage(values: CliValues): LeadStage | undefined {
  const raw = str(values, 'stage');
  if (raw === undefined) return undefined;
  const parsed = LeadStage.safeParse(raw);
  if (!parsed.success) throw new UsageError(`--stage must be one of ${LeadStage.options.join(', ')}`);
  return parsed.data;
}

const FIELD_OPTIONS: CliOptions = {
  name: { type: 'string' },
  company: { type: 'string' },
  email: { type: 'string' },
  phone: { type: 'string' },
  stage: { type: 'string' },
  reason: { type: 'string' },
  value: { type: 'string' },
  currency: { type: 'string' },
  source: { type: 'string' },
  tag: { type: 'string', multiple: true },
  owner: { type: 'string' },
  next: { type: 'string' },
  due: { type: 'string' },
  lang: { type: 'string' },
};

/** Flags → lead fields; only the flags given (an update changes nothing else). */
function leadFields(values: CliValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const copy = (flag: string, field: string) => {
    const v = str(values, flag);
    if (v !== undefined) out[field] = v;
  };
  copy('name', 'name');
  copy('company', 'company');
  copy('email', 'email');
  copy('phone', 'phone');
  copy('reason', 'lostReason');
  copy('currency', 'currency');
  copy('source', 'source');
  copy('owner', 'owner');
  copy('next', 'nextStep');
  copy('lang', 'language');
  const s = stage(values);
  if (s) out.stage = s;
  const value = str(values, 'value');
  if (value !== undefined) {
    const n = Number(value.replace(',', '.'));
    if (!Number.isFinite(n) || n < 0) throw new UsageError('--value must be a non-negative number');
    out.dealValue = n;
  }
  const due = isoTime(values, 'due');
  if (due !== undefined) out.nextStepDue = due;
  const tags = values.tag;
  if (Array.isArray(tags)) out.tags = tags.filter((t): t is string => typeof t === 'string');
  return out;
}

/** Contract validation, so the CLI refuses what the app refuses, with the same sentences. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  return parsed.data;
}

function leadLine(l: Lead): string {
  const deal = l.dealValue !== null ? ` ${l.dealValue} ${l.currency ?? ''}`.trimEnd() : '';
  const next = l.nextStep ? ` | next: ${l.nextStep}${l.nextStepDue ? ` (${new Date(l.nextStepDue).toISOString()})` : ''}` : '';
  return `${l.id}  ${l.stage.padEnd(11)} ${l.name}${deal}${next}`;
}

export const leadCommands: CliCommand[] = [
  {
    path: ['leads', 'add'],
    usage: 'leads add --name N [--stage S] [--value X --currency C] [--next "text" --due ISO] [--company C] [--owner O] [--source S] [--tag T]... [--json]',
    summary: 'Add a lead to the pipeline',
    options: FIELD_OPTIONS,
    async run(ctx, _positionals, values) {
      if (str(values, 'name') === undefined) throw new UsageError('missing --name');
      const fields = parse(leadsRequests['leads:create'].input, leadFields(values));
      return createLead(ctx.core().db, fields);
    },
    human: (result) => leadLine(result as Lead),
  },
  {
    path: ['leads', 'list'],
    usage: 'leads list [--stage S] [--due-before ISO] [--sort updated|due|likelihood|stage|name] [--json]',
    summary: 'Leads, filtered by stage or by a next step due before a time',
    options: { stage: { type: 'string' }, 'due-before': { type: 'string' }, sort: { type: 'string' }, limit: { type: 'string' } },
    async run(ctx, _positionals, values) {
      const input = parse(leadsRequests['leads:list'].input, {
        stage: stage(values),
        dueBefore: isoTime(values, 'due-before'),
        sort: str(values, 'sort'),
        limit: str(values, 'limit') === undefined ? 1000 : Number(str(values, 'limit')),
      });
      return { leads: listLeads(ctx.core().db, input) };
    },
    human: (result) => {
      const { leads } = result as { leads: Lead[] };
      return leads.length === 0 ? 'no leads' : leads.map(leadLine).join('\n');
    },
  },
  {
    path: ['leads', 'update'],
    usage: 'leads update <id> [--name N] [--stage S [--reason R]] [--value X --currency C] [--next "text" --due ISO] [--owner O] [--tag T]... [--json]',
    summary: 'Change a lead (stage, deal, next step…); only the flags given change',
    options: FIELD_OPTIONS,
    async run(ctx, positionals, values) {
      const id = requirePositional(positionals, 0, 'id');
      const patch = leadFields(values);
      if (Object.keys(patch).length === 0) throw new UsageError('nothing to change: pass at least one flag such as --stage or --next');
      const input = parse(leadsRequests['leads:update'].input, { id, patch });
      return updateLead(ctx.core().db, input.id, input.patch);
    },
    human: (result) => leadLine(result as Lead),
  },
  {
    path: ['followups', 'due'],
    usage: 'followups due [--at ISO] [--json]',
    summary: 'Every due or overdue next step and sequence step, oldest first',
    options: { at: { type: 'string' } },
    async run(ctx, _positionals, values) {
      const at = isoTime(values, 'at') ?? Date.now();
      // The documented shape: leadId, kind, due (ISO), text — plus the reminder's id and whether it is overdue.
      return dueFollowups(ctx.core().db, { at }).map((f: DueFollowup) => ({ leadId: f.leadId, kind: f.kind, due: new Date(f.due).toISOString(), text: f.text, id: f.id, leadName: f.leadName, overdue: f.overdue }));
    },
    human: (result) => {
      const items = result as { due: string; kind: string; leadName: string; text: string; overdue: boolean }[];
      return items.length === 0 ? 'nothing due' : items.map((i) => `${i.due}  ${i.overdue ? 'OVERDUE ' : ''}${i.kind.padEnd(13)} ${i.leadName}: ${i.text}`).join('\n');
    },
  },
  {
    path: ['outcome'],
    usage: 'outcome <sessionId|leadId> won|lost|next_meeting [--reason R] [--at ISO] [--json]',
    summary: "Record how a session or lead ended (links the session's suggestions; lost needs --reason; --at: the next meeting's time)",
    options: { reason: { type: 'string' }, at: { type: 'string' } },
    async run(ctx, positionals, values) {
      const target = requirePositional(positionals, 0, 'sessionId|leadId');
      const kind = OutcomeKindSchema.safeParse(requirePositional(positionals, 1, 'won|lost|next_meeting'));
      if (!kind.success) throw new UsageError('the outcome must be won, lost or next_meeting');
      const outcome: OutcomeKind = kind.data;
      if (outcome === 'lost' && !str(values, 'reason')) throw new UsageError('a lost deal needs --reason');
      const input = parse(leadsRequests['leads:recordOutcome'].input, { target, outcome, reason: str(values, 'reason') ?? null, nextMeetingAt: isoTime(values, 'at') ?? null });
      return recordOutcome(ctx.core().db, input);
    },
    human: (result) => {
      const o = result as { outcome: string; leadId: string; sessionId: string | null; suggestionIds: string[] };
      return `${o.outcome} recorded for lead ${o.leadId}${o.sessionId ? ` (session ${o.sessionId}, ${o.suggestionIds.length} suggestions linked)` : ''}`;
    },
  },
];
