import { fork } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_ROW_ID, insertSyncedBulk, type BulkChange } from '@main/db/changes';
import type { Db } from '@main/db/open';
import { analyses, coachingSessions, followupSequences, followupSteps, leadArchetypes, leads, messages, outcomes, palletItems, rules } from '@main/db/schema';
import { deleteSynced, insertSynced, updateSynced } from '@main/db/synced-repo';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres';
import { localSnapshot, openDevice, serverSnapshot, syncOnce, syncServer, type SyncServer } from './helpers';

/**
 * Convergence under faults. Three devices (own SQLite files, clocks minutes apart) run random creates,
 * single-field updates, deletes and re-creates (restores) on leads (pipeline fields too), messages, rules,
 * pallet items, archetype history, follow-up sequences and steps and outcomes,
 * and sync on a random schedule while faults hit: the backend terminated mid-batch, the server
 * restarted, an acknowledgement lost after commit, the device process SIGKILLed mid-sync. Afterwards
 * every device and the server hold identical data, and every field holds the value of the write with
 * the highest clock among all writes any device committed (so no committed write is lost unless a
 * later write to the same field superseded it).
 *
 * SYNC_SEEDS (default 3) seeds × SYNC_RUNS (default 5) runs; SYNC_SEED picks the first seed.
 */

const SEEDS = Number(process.env.SYNC_SEEDS ?? 3);
const RUNS = Number(process.env.SYNC_RUNS ?? 5);
const FIRST_SEED = Number(process.env.SYNC_SEED ?? 20261122);
const WORKER = path.join(import.meta.dirname, 'sync-worker.ts');

type Table = 'leads' | 'messages' | 'rules' | 'pallet_items' | 'lead_archetypes' | 'followup_sequences' | 'followup_steps' | 'outcomes';
const TABLES: Table[] = ['leads', 'messages', 'rules', 'pallet_items', 'lead_archetypes', 'followup_sequences', 'followup_steps', 'outcomes'];
const FIELDS: Record<Table, { field: string; kind: 'text' | 'int' | 'real' | 'bool' }[]> = {
  leads: [
    { field: 'name', kind: 'text' }, { field: 'company', kind: 'text' }, { field: 'notes', kind: 'text' },
    { field: 'stage', kind: 'text' }, { field: 'deal_value', kind: 'real' }, { field: 'next_step_due', kind: 'int' },
  ],
  messages: [{ field: 'content', kind: 'text' }, { field: 'seq', kind: 'int' }],
  rules: [{ field: 'name', kind: 'text' }, { field: 'weight', kind: 'int' }, { field: 'enabled', kind: 'bool' }],
  pallet_items: [{ field: 'name', kind: 'text' }, { field: 'quantity', kind: 'int' }, { field: 'price_net', kind: 'real' }],
  lead_archetypes: [{ field: 'archetype', kind: 'text' }, { field: 'confidence', kind: 'text' }, { field: 'evidence_json', kind: 'text' }],
  followup_sequences: [{ field: 'status', kind: 'text' }, { field: 'replied_at', kind: 'int' }, { field: 'reply_text', kind: 'text' }],
  followup_steps: [{ field: 'body', kind: 'text' }, { field: 'due_at', kind: 'int' }, { field: 'sent_at', kind: 'int' }],
  outcomes: [{ field: 'outcome', kind: 'text' }, { field: 'reason', kind: 'text' }, { field: 'next_meeting_at', kind: 'int' }],
};
const DRIZZLE = { leads, messages, rules, pallet_items: palletItems, lead_archetypes: leadArchetypes, followup_sequences: followupSequences, followup_steps: followupSteps, outcomes } as const;
const CAMEL: Record<string, string> = {
  price_net: 'priceNet', evidence_json: 'evidenceJson', deal_value: 'dealValue', next_step_due: 'nextStepDue',
  replied_at: 'repliedAt', reply_text: 'replyText', due_at: 'dueAt', sent_at: 'sentAt', next_meeting_at: 'nextMeetingAt',
};

type Fault = 'none' | 'terminate' | 'lost-ack' | 'restart' | 'kill';
type Op =
  | { kind: 'create'; device: number; table: Table; bulk: number }
  | { kind: 'update'; device: number; table: Table; pick: number; field: number; value: number }
  | { kind: 'delete' | 'restore'; device: number; table: Table; pick: number }
  /** The fault hits at the `at`-th step of the run (a batch sent, committed, a page fetched, applied…). */
  | { kind: 'sync'; device: number; fault: Fault; at: number; write: { at: number; pick: number; field: number; value: number } | null };

const device = fc.integer({ min: 0, max: 2 });
const table = fc.constantFrom(...TABLES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('create' as const), device, table, bulk: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 40 }) }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('update' as const), device, table, pick: fc.nat(), field: fc.nat(), value: fc.integer({ min: 0, max: 999 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('delete' as const, 'restore' as const), device, table, pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      device,
      fault: fc.oneof(
        { weight: 5, arbitrary: fc.constant('none' as const) },
        { weight: 2, arbitrary: fc.constantFrom('terminate' as const, 'lost-ack' as const) },
        { weight: 1, arbitrary: fc.constantFrom('restart' as const, 'kill' as const) },
      ),
      at: fc.integer({ min: 1, max: 5 }),
      // The user keeps editing while sync runs: a local write at some step of the run.
      write: fc.option(fc.record({ at: fc.integer({ min: 1, max: 5 }), pick: fc.nat(), field: fc.nat(), value: fc.integer({ min: 0, max: 999 }) }), { freq: 2 }),
    }),
  },
);

interface Write {
  table: string;
  id: string;
  field: string;
  value: unknown;
  hlc: string;
}

let pgs: TestPostgres;
beforeAll(async () => {
  pgs = await startTestPostgres();
});
afterAll(async () => {
  await pgs?.stop();
});

/** Every field write a device committed, read back from its outbox right after the operation. */
function collectWrites(db: Db, since: number, log: Write[]): number {
  const rows = db.$client.prepare('SELECT seq, table_name, row_id, changes_json, hlc FROM sync_outbox WHERE seq > ? ORDER BY seq').all(since) as {
    seq: number;
    table_name: string;
    row_id: string;
    changes_json: string;
    hlc: string;
  }[];
  let last = since;
  for (const row of rows) {
    last = row.seq;
    if (row.row_id === BULK_ROW_ID) {
      const { ids } = (JSON.parse(row.changes_json) as BulkChange).bulk;
      for (const id of ids) {
        const current = db.$client.prepare(`SELECT * FROM "${row.table_name}" WHERE id = ?`).get(id) as Record<string, unknown>;
        for (const [field, value] of Object.entries(current)) if (field !== 'id') log.push({ table: row.table_name, id, field, value, hlc: row.hlc });
      }
      continue;
    }
    for (const [field, value] of Object.entries(JSON.parse(row.changes_json) as Record<string, unknown>)) {
      if (field !== 'id') log.push({ table: row.table_name, id: row.row_id, field, value: typeof value === 'boolean' ? Number(value) : value, hlc: row.hlc });
    }
  }
  return last;
}

/**
 * A write the user made and the server has not acknowledged yet must stay visible on the device, unless
 * a write with a higher clock (pulled) replaced it. Checked after every operation and after every
 * pulled page, so a pull that clobbers a pending edit fails here even when the end state heals.
 */
function checkPendingVisible(db: Db): void {
  const pending = db.$client.prepare('SELECT table_name, row_id, changes_json, hlc FROM sync_outbox WHERE row_id <> ? ORDER BY seq').all(BULK_ROW_ID) as {
    table_name: string;
    row_id: string;
    changes_json: string;
    hlc: string;
  }[];
  const latest = new Map<string, { table: string; id: string; field: string; value: unknown; hlc: string }>();
  for (const p of pending) {
    for (const [field, value] of Object.entries(JSON.parse(p.changes_json) as Record<string, unknown>)) {
      if (field === 'id') continue;
      const key = `${p.table_name}\u0000${p.row_id}\u0000${field}`;
      const seen = latest.get(key);
      if (!seen || p.hlc > seen.hlc) latest.set(key, { table: p.table_name, id: p.row_id, field, value: typeof value === 'boolean' ? Number(value) : value, hlc: p.hlc });
    }
  }
  for (const w of latest.values()) {
    const row = db.$client.prepare(`SELECT "${w.field}" AS v FROM "${w.table}" WHERE id = ?`).get(w.id) as { v: unknown } | undefined;
    const clock = db.$client.prepare('SELECT hlc FROM sync_field_clocks WHERE table_name = ? AND row_id = ? AND field = ?').get(w.table, w.id, w.field) as { hlc: string } | undefined;
    if (row?.v === w.value || (clock && clock.hlc > w.hlc)) continue;
    expect.fail(`pending local write ${w.table}.${w.field} of ${w.id} = ${JSON.stringify(w.value)} was replaced by ${JSON.stringify(row?.v)} without a later clock`);
  }
}

function rowsOf(db: Db, t: Table): { id: string }[] {
  return db.$client.prepare(`SELECT id FROM "${t}" ORDER BY id`).all() as { id: string }[];
}

async function terminateBackend(srv: SyncServer, pid: number): Promise<void> {
  const admin = await srv.admin();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

function killMidSync(file: string, srv: SyncServer & { roles: Record<string, string> }, skewMs: number, at: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let outcome = 'finished before the fault point';
    child.on('message', (msg: { at?: string; done?: unknown; error?: string }) => {
      if (msg.at) {
        outcome = `killed at ${msg.at}`;
        child.kill('SIGKILL');
      } else if (msg.error) outcome = `failed: ${msg.error}`;
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(outcome);
      else reject(new Error(`sync worker exited with ${code}: ${stderr.slice(-500)}`));
    });
    child.send({ file, target: { url: srv.url, user: srv.roles.alice, password: srv.passwords.alice }, stopAfter: at, skewMs, limits: { bulkPage: 16, batchEntries: 8 } });
  });
}

async function runScenario(ops: Op[], skews: number[]): Promise<void> {
  const srv = await syncServer(pgs, { alice: 'A' });
  const devices = [0, 1, 2].map(() => openDevice());
  const now = (d: number) => Date.now() + skews[d]!;
  const log: Write[] = [];
  const lastSeq = [0, 0, 0];
  let kills = 0;
  let restarts = 0;
  const faults: string[] = [];
  const limits = { bulkPage: 16, batchEntries: 8, pullPage: 25 };
  try {
    // Parents that messages and pallet items need, known to every device before the random phase.
    const d0 = devices[0]!.db;
    const lead = insertSynced(d0, leads, { name: 'Parent lead', language: 'pl' }, now(0));
    insertSynced(d0, coachingSessions, { leadId: lead.id, mode: 'coach', title: 'Parent session', language: 'pl' }, now(0));
    insertSynced(d0, analyses, { name: 'Parent analysis' }, now(0));
    const parentSequence = insertSynced(d0, followupSequences, { leadId: lead.id, templateKey: 'standard', language: 'pl', startedAt: now(0) }, now(0));
    lastSeq[0] = collectWrites(d0, 0, log);
    for (let d = 0; d < 3; d++) await syncOnce(srv, 'alice', devices[d]!.db, { now: () => now(d), limits });
    const sessionId = (d0.select().from(coachingSessions).get() as { id: string }).id;
    const analysisId = (d0.select().from(analyses).get() as { id: string }).id;
    const parentLeadId = lead.id;

    let counter = 0;
    const write = (op: Exclude<Op, { kind: 'sync' }>) => {
      const { db } = devices[op.device]!;
      const t = now(op.device);
      const rows = rowsOf(db, op.table);
      if (op.kind === 'create') {
        counter += 1;
        const label = `d${op.device}#${counter}`;
        if (op.table === 'pallet_items' && op.bulk > 0) {
          insertSyncedBulk(
            db,
            'pallet_items',
            Array.from({ length: op.bulk }, (_, i) => ({ analysis_id: analysisId, source_row: i + 2, name: `${label}.${i}`, quantity: i, price_net: i / 4, status: 'ok', score: 50, data_json: '{}' })),
            t,
          );
        } else if (op.table === 'leads') insertSynced(db, leads, { name: label, language: 'pl' }, t);
        else if (op.table === 'messages') insertSynced(db, messages, { sessionId, role: 'salesperson', content: label, seq: counter }, t);
        else if (op.table === 'rules') insertSynced(db, rules, { name: label, type: 'category', action: 'warn', conditionJson: '{}' }, t);
        else if (op.table === 'lead_archetypes') insertSynced(db, leadArchetypes, { leadId: parentLeadId, sessionId, archetype: label, confidence: 'low', evidenceJson: '[]' }, t);
        else if (op.table === 'followup_sequences') insertSynced(db, followupSequences, { leadId: parentLeadId, templateKey: label, language: 'en', startedAt: t }, t);
        else if (op.table === 'followup_steps') {
          insertSynced(db, followupSteps, { sequenceId: parentSequence.id, leadId: parentLeadId, position: counter, kind: 'check_in', dayOffset: 7, dueAt: t, subject: label, body: label }, t);
        } else if (op.table === 'outcomes') insertSynced(db, outcomes, { leadId: parentLeadId, sessionId, outcome: 'next_meeting', reason: label }, t);
        else insertSynced(db, palletItems, { analysisId, sourceRow: counter, name: label }, t);
      } else if (rows.length > 0) {
        const id = rows[op.pick % rows.length]!.id;
        const target = DRIZZLE[op.table];
        if (op.kind === 'delete') deleteSynced(db, target, id, t);
        else if (op.kind === 'restore') updateSynced(db, target, id, { deletedAt: null } as never, t);
        else if (op.kind === 'update') {
          const spec = FIELDS[op.table][op.field % FIELDS[op.table].length]!;
          const value = spec.kind === 'text' ? `v${op.value}@d${op.device}` : spec.kind === 'int' ? op.value : spec.kind === 'real' ? op.value / 8 : op.value % 2 === 0;
          updateSynced(db, target, id, { [CAMEL[spec.field] ?? spec.field]: value } as never, t);
        }
      }
      lastSeq[op.device] = collectWrites(db, lastSeq[op.device]!, log);
    };

    for (const op of ops) {
      const { db, file } = devices[op.device]!;
      if (op.kind === 'sync') {
        const conn = op.fault === 'kill' || op.fault === 'restart' ? null : await srv.connect('alice');
        if (op.fault === 'kill' && kills < 1) {
          kills += 1;
          faults.push(`kill: ${await killMidSync(file, srv, skews[op.device]!, op.at)}`);
          continue;
        }
        const { runSync } = await import('@main/sync/engine');
        const connection = conn ?? (await srv.connect('alice'));
        const pid = (await connection.client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        let seen = 0;
        let violation: unknown = null;
        try {
          await runSync(db, connection, {
            now: () => now(op.device),
            limits,
            hooks: {
              step: async (s) => {
                if (s === 'pull:applied') {
                  try {
                    checkPendingVisible(db);
                  } catch (error) {
                    violation = error;
                    throw error;
                  }
                }
                seen += 1;
                if (op.write && seen === op.write.at) write({ kind: 'update', device: op.device, table: TABLES[op.write.pick % TABLES.length]!, pick: op.write.pick, field: op.write.field, value: op.write.value });
                if (seen !== op.at || op.fault === 'none' || op.fault === 'kill') return;
                faults.push(`${op.fault} at ${s}`);
                if (op.fault === 'terminate') await terminateBackend(srv, pid);
                else if (op.fault === 'lost-ack') throw new Error('acknowledgement lost');
                else if (op.fault === 'restart' && restarts < 1 && pgs.canRestart) {
                  restarts += 1;
                  await pgs.restart();
                } else faults.pop();
              },
            },
          });
        } catch {
          // The fault's failure: nothing to do, the next sync must recover.
        } finally {
          await connection.close();
        }
        if (violation) throw violation;
        checkPendingVisible(db);
        continue;
      }
      write(op);
      checkPendingVisible(db);
    }

    // Quiesce: two fault-free rounds (the first pushes everything, the second pulls everything).
    for (let round = 0; round < 2; round++) {
      for (let d = 0; d < 3; d++) await syncOnce(srv, 'alice', devices[d]!.db, { now: () => now(d), limits });
    }

    const server = await serverSnapshot(srv, 'A');
    if (process.env.SYNC_VERBOSE) {
      const counts = Object.entries(server).map(([t, rows]) => `${t}=${rows.length}`).filter((x) => !x.endsWith('=0'));
      console.log(`[convergence] ${ops.length} ops, ${log.length} field writes, faults: ${faults.join('; ') || 'none'}; rows: ${counts.join(' ')}`);
    }
    for (const { db } of devices) {
      expect((db.$client.prepare('SELECT count(*) AS n FROM sync_outbox').get() as { n: number }).n).toBe(0);
      expect(localSnapshot(db)).toEqual(server);
    }
    // Every committed write is there, or a write with a higher clock to the same field replaced it.
    const winners = new Map<string, Write>();
    for (const w of log) {
      const key = `${w.table}\u0000${w.id}\u0000${w.field}`;
      const best = winners.get(key);
      if (!best || w.hlc > best.hlc) winners.set(key, w);
    }
    const byId = new Map<string, Record<string, unknown>>();
    for (const [t, rows] of Object.entries(server)) for (const row of rows) byId.set(`${t}\u0000${row.id as string}`, row);
    for (const w of winners.values()) {
      const row = byId.get(`${w.table}\u0000${w.id}`);
      expect(row, `row ${w.table} ${w.id} is missing`).toBeDefined();
      const actual = row![w.field];
      const expected = typeof actual === 'boolean' ? Boolean(w.value) : w.value;
      expect(actual, `${w.table}.${w.field} of ${w.id}`).toEqual(expected);
    }
  } finally {
    for (const d of devices) d.close();
  }
}

describe('convergence under faults (fast-check, real PostgreSQL, three SQLite devices)', () => {
  for (let s = 0; s < SEEDS; s++) {
    const seed = FIRST_SEED + s;
    it(`seed ${seed}: every device and the server converge with no committed write lost`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 25, maxLength: 60 }), fc.array(fc.integer({ min: -240_000, max: 240_000 }), { minLength: 3, maxLength: 3 }), runScenario),
        { seed, numRuns: RUNS, endOnFailure: process.env.SYNC_SHRINK !== '1' },
      );
    }, 120_000);
  }
});
