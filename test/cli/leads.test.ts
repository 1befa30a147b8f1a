import { describe, expect, it } from 'vitest';
import { commands } from '@main/cli/commands';
import { runCli } from '@main/cli/run-cli';
import { tempDir } from '../helpers/temp-core';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

async function json<T>(args: string[]): Promise<T> {
  const r = await cli([...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe('CLI: leads, followups, outcome (issue 16 item 9)', () => {
  it('adds, lists, updates leads and lists what is due oldest first', async () => {
    const dir = ['--data-dir', tempDir()];
    const a = await json<{ id: string; stage: string; dealValue: number; currency: string; nextStep: string }>([
      'leads', 'add', '--name', 'Anna Nowak', '--stage', 'offer', '--value', '12500', '--currency', 'pln', '--next', 'Send the offer', '--due', '2026-12-05T10:00:00Z', ...dir,
    ]);
    expect(a).toMatchObject({ stage: 'offer', dealValue: 12_500, currency: 'PLN', nextStep: 'Send the offer' });
    const b = await json<{ id: string }>(['leads', 'add', '--name', 'Bob', '--next', 'Call', '--due', '2026-12-03T08:00:00Z', ...dir]);
    await json(['leads', 'add', '--name', 'Later', '--next', 'Visit', '--due', '2027-01-10T08:00:00Z', ...dir]);

    expect((await json<{ leads: { name: string }[] }>(['leads', 'list', '--stage', 'offer', ...dir])).leads.map((l) => l.name)).toEqual(['Anna Nowak']);
    expect((await json<{ leads: { name: string }[] }>(['leads', 'list', '--due-before', '2026-12-06T00:00:00Z', '--sort', 'due', ...dir])).leads.map((l) => l.name)).toEqual(['Bob', 'Anna Nowak']);

    const due = await json<{ leadId: string; kind: string; due: string; text: string }[]>(['followups', 'due', '--at', '2026-12-08T00:00:00Z', ...dir]);
    expect(due.map(({ leadId, kind, due: d, text }) => ({ leadId, kind, due: d, text }))).toEqual([
      { leadId: b.id, kind: 'next_step', due: '2026-12-03T08:00:00.000Z', text: 'Call' },
      { leadId: a.id, kind: 'next_step', due: '2026-12-05T10:00:00.000Z', text: 'Send the offer' },
    ]);

    const moved = await json<{ stage: string; nextStep: string; nextStepDue: number }>(['leads', 'update', a.id, '--stage', 'negotiation', '--next', 'Negotiate', '--due', '2026-12-20T09:00:00Z', ...dir]);
    expect(moved).toMatchObject({ stage: 'negotiation', nextStep: 'Negotiate', nextStepDue: Date.parse('2026-12-20T09:00:00Z') });
    expect((await json<unknown[]>(['followups', 'due', '--at', '2026-12-08T00:00:00Z', ...dir])).length).toBe(1);

    const lost = await cli(['outcome', b.id, 'lost', ...dir]);
    expect(lost.code).toBe(2);
    expect(lost.stderr).toMatch(/--reason/);
    const outcome = await json<{ outcome: string; leadId: string; reason: string }>(['outcome', b.id, 'lost', '--reason', 'Chose a competitor', ...dir]);
    expect(outcome).toMatchObject({ outcome: 'lost', leadId: b.id, reason: 'Chose a competitor' });
    expect((await json<{ leads: { id: string; lostReason: string }[] }>(['leads', 'list', '--stage', 'lost', ...dir])).leads).toMatchObject([{ id: b.id, lostReason: 'Chose a competitor' }]);
    expect((await json<{ outcome: string }>(['outcome', a.id, 'won', ...dir])).outcome).toBe('won');

    const human = await cli(['followups', 'due', '--at', '2027-02-01T00:00:00Z', ...dir]);
    expect(human.stdout).toMatch(/OVERDUE next_step\s+Later: Visit/);
  });

  it('refuses bad input with usage errors', async () => {
    const dir = ['--data-dir', tempDir()];
    expect((await cli(['leads', 'add', '--stage', 'offer', ...dir])).stderr).toMatch(/missing --name/);
    expect((await cli(['leads', 'add', '--name', 'X', '--stage', 'maybe', ...dir])).code).toBe(2);
    expect((await cli(['leads', 'add', '--name', 'X', '--due', 'tomorrow', ...dir])).stderr).toMatch(/ISO/);
    expect((await cli(['outcome', 'nope', 'won', ...dir])).code).toBe(1);
    expect((await cli(['outcome', 'nope', 'maybe', ...dir])).code).toBe(2);
  });
});
