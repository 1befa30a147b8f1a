import { BULK_ROW_ID, bulkProgressKey, cachedStatement, type BulkChange } from '../db/changes';
import { observeClock, readState } from '../db/clock';
import type { Db } from '../db/open';
import { syncAllowlist } from './allowlist';
import { readPullState, recordRejection, renewSyncLock, writePullState, type PullState } from './local-state';
import { step, type EngineContext, type PulledRows } from './engine-context';
import { SYNC_SCHEMA_VERSION } from './server/migrations';
import { qi } from './server/sql';

/** One pulled row: table, xid, id, values (in the order of `columns[table]`), base clock, per-field clocks. */
export type PulledRow = [table: string, xid: string, id: string, values: unknown[], base: string, clocks: Record<string, string>];

interface PullPage {
  watermark: string;
  columns: Record<string, string[]>;
  rows: PulledRow[];
  next: { table: number; xid: string; id: string } | null;
}

/**
 * Pulls every change the server committed since the cursor, page by page. The cursor is the xmin of
 * the first page's snapshot: every transaction below it has finished, so nothing committed later can
 * appear behind it (a sequence number would be: values are allocated before commit). Rows at or above
 * it may come again next round; applying a row twice changes nothing. Each page is applied and the
 * cursor saved in one local transaction, so an interrupted pull resumes at the next page.
 */
export async function pullChanges(ctx: EngineContext): Promise<void> {
  const { db, conn } = ctx;
  const info = conn.info;
  const origin = `${info.instance ?? ''}|${info.team ?? ''}|${info.user}`;
  const state = readPullState(db, origin);
  const bulk = new PendingBulk(db);
  try {
    await pullPages(ctx, origin, state, bulk);
  } finally {
    for (const listener of ctx.hooks.pulled ?? []) {
      try {
        listener.afterPull?.(db, ctx.log);
      } catch (error) {
        ctx.log(`[sync] a pull listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

async function pullPages(ctx: EngineContext, origin: string, from: PullState, bulk: PendingBulk): Promise<void> {
  const { conn } = ctx;
  let state = from;
  let pages = 0;
  while (!ctx.signal.aborted) {
    const pos = state.round ?? { table: 0, afterXid: state.from, afterId: '' };
    const result = await conn.client.query<{ r: PullPage }>('SELECT fieldmate.pull($1, $2, $3::xid8, $4, $5::xid8, $6, $7) AS r', [
      SYNC_SCHEMA_VERSION,
      ctx.device,
      state.from,
      pos.table,
      pos.afterXid,
      pos.afterId,
      ctx.limits.pullPage,
    ]);
    const page = result.rows[0]!.r;
    await step(ctx, 'pull:fetched', page.rows.length);
    const watermark = state.round?.watermark ?? page.watermark;
    const next: PullState = page.next
      ? { origin, from: state.from, round: { watermark, table: page.next.table, afterXid: page.next.xid, afterId: page.next.id } }
      : { origin, from: watermark, round: null };
    const unchanged = page.rows.length === 0 && next.from === state.from && next.round === null && state.round === null;
    if (!unchanged) ctx.stats.pulled += applyPulledPage(ctx, page, next, bulk);
    state = next;
    pages += 1;
    await step(ctx, 'pull:applied', page.rows.length);
    ctx.progress('pull', pages, null);
    if (!page.next) break;
  }
}

/** A page's rows of one table as listeners see them (values by server column name). */
function pulledRows(rows: readonly PulledRow[], serverColumns: readonly string[]): PulledRows {
  return {
    ids: rows.map((r) => r[2]),
    column: (name) => {
      const at = serverColumns.indexOf(name);
      return at < 0 ? [] : rows.map((r) => r[3][at]);
    },
  };
}

/** Pending bulk entries, parsed once per entry: their rows' fields count as locally written. */
class PendingBulk {
  private readonly parsed = new Map<number, { table: string; hlc: string; fields: Set<string> | null; ids: Map<string, number> }>();

  constructor(private readonly db: Db) {}

  /** Clock of a pending bulk write covering (table, id, field), if any. */
  lookup(): (table: string, id: string) => { hlc: string; fields: Set<string> | null } | null {
    const entries = cachedStatement(this.db, 'SELECT seq, table_name, hlc, changes_json FROM sync_outbox WHERE row_id = ?').all(BULK_ROW_ID) as {
      seq: number;
      table_name: string;
      hlc: string;
      changes_json: string;
    }[];
    if (entries.length === 0) return () => null;
    const live = entries.map((e) => {
      let p = this.parsed.get(e.seq);
      if (!p) {
        const change = JSON.parse(e.changes_json) as BulkChange;
        p = { table: e.table_name, hlc: e.hlc, fields: change.bulk.fields ? new Set(change.bulk.fields) : null, ids: new Map(change.bulk.ids.map((id, i) => [id, i])) };
        this.parsed.set(e.seq, p);
      }
      return { ...p, done: Number(readState(this.db, bulkProgressKey(e.seq)) ?? 0) };
    });
    return (table, id) => {
      let best: { hlc: string; fields: Set<string> | null } | null = null;
      for (const p of live) {
        if (p.table !== table) continue;
        const index = p.ids.get(id);
        // Rows of pages already accepted are on the server with this clock: no longer pending.
        if (index === undefined || index < p.done) continue;
        if (!best || p.hlc > best.hlc) best = { hlc: p.hlc, fields: p.fields };
      }
      return best;
    };
  }
}

/**
 * Positions of the page's columns for `table` that a pull may write (the allowlist). The server names
 * tables and columns and they are quoted into SQL, so a crafted or broken page must not reach a
 * device-local table (`__drizzle_migrations`, `models`, `sync_state`) or a column nobody syncs: such
 * rows or columns are skipped, with the reason in the log.
 */
function allowedColumns(ctx: EngineContext, table: string, serverColumns: unknown, rowCount: number): (readonly [string, number])[] {
  const allowed = syncAllowlist(ctx.tables).get(table);
  if (!allowed) {
    ctx.log(`[sync] pull refused ${rowCount} row(s) for ${JSON.stringify(table.slice(0, 80))}: not a synced table`);
    return [];
  }
  if (!Array.isArray(serverColumns)) {
    ctx.log(`[sync] pull refused ${rowCount} row(s) for ${table}: the page lists no columns for it`);
    return [];
  }
  const kept: (readonly [string, number])[] = [];
  const refused: string[] = [];
  serverColumns.forEach((c: unknown, i) => {
    if (typeof c === 'string' && allowed.has(c) && !kept.some(([k]) => k === c)) kept.push([c, i]);
    else if (c !== 'id') refused.push(JSON.stringify(String(c).slice(0, 80)));
  });
  if (refused.length > 0) ctx.log(`[sync] pull ignored column(s) ${refused.join(', ')} of ${table}: not synced columns`);
  return kept;
}

function toSqlite(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value ?? null;
}

/** Ids of `table` among `ids` that have local clocks or pending outbox entries (one query each per page). */
function idsWithLocalState(db: Db, table: string, ids: string[]): Set<string> {
  const list = JSON.stringify(ids);
  const out = new Set<string>();
  for (const sql of [
    'SELECT DISTINCT c.row_id AS id FROM json_each(?) j JOIN sync_field_clocks c ON c.table_name = ? AND c.row_id = j.value',
    'SELECT DISTINCT o.row_id AS id FROM json_each(?) j JOIN sync_outbox o ON o.table_name = ? AND o.row_id = j.value',
  ]) {
    for (const row of cachedStatement(db, sql).all(list, table) as { id: string }[]) out.add(row.id);
  }
  return out;
}

/**
 * Applies one page with per-field last-writer-wins against this device's own clocks: a field is taken
 * when the server's clock for it is higher than the local one (a pending outbox entry, a pending bulk
 * entry or the remembered clock of the last local write). Rows this device has no clock for are
 * inserted directly (initial sync). Raw statements: nothing re-enters the outbox. Foreign keys are off
 * for the page: a child may arrive before its parent.
 */
function applyPulledPage(ctx: EngineContext, page: PullPage, next: PullState, bulk: PendingBulk): number {
  const { db } = ctx;
  const client = db.$client;
  const pendingBulk = bulk.lookup();
  const now = ctx.now();
  const byTable = new Map<string, PulledRow[]>();
  for (const row of page.rows) {
    const table = String(row[0]);
    let list = byTable.get(table);
    if (!list) byTable.set(table, (list = []));
    list.push(row);
  }
  client.pragma('foreign_keys = OFF');
  try {
    return client.transaction(() => {
      let applied = 0;
      let maxClock = '';
      for (const [table, rows] of byTable) {
        const kept = allowedColumns(ctx, table, page.columns[table], rows.length);
        if (kept.length === 0) continue;
        const serverColumns = page.columns[table] ?? [];
        const names = kept.map(([c]) => c);
        const insert = cachedStatement(db, `INSERT INTO ${qi(table)} (id, ${names.map(qi).join(', ')}) VALUES (?${', ?'.repeat(names.length)}) ON CONFLICT(id) DO NOTHING`);
        const known = idsWithLocalState(db, table, rows.map((r) => r[2]));
        for (const listener of ctx.hooks.pulled ?? []) listener.beforeApply?.(db, table, pulledRows(rows, serverColumns));
        for (const [, , id, values, base, clocks] of rows) {
          if (typeof id !== 'string' || id.length === 0 || id.length > 64 || !Array.isArray(values)) {
            ctx.log(`[sync] pull refused a row of ${table}: no valid id or values`);
            continue;
          }
          const clockOf = (c: string) => clocks[c] ?? base ?? '';
          try {
            const marker = pendingBulk(table, id);
            if (!known.has(id) && !marker) {
              if (insert.run(id, ...kept.map(([, i]) => toSqlite(values[i]))).changes === 1) {
                applied += 1;
                for (const c of names) if (clockOf(c) > maxClock) maxClock = clockOf(c);
                continue;
              }
            }
            const local = new Map<string, string>();
            const raise = (field: string, hlc: string) => {
              if ((local.get(field) ?? '') < hlc) local.set(field, hlc);
            };
            for (const fc of cachedStatement(db, 'SELECT field, hlc FROM sync_field_clocks WHERE table_name = ? AND row_id = ?').all(table, id) as { field: string; hlc: string }[]) raise(fc.field, fc.hlc);
            for (const p of cachedStatement(db, 'SELECT changes_json, hlc FROM sync_outbox WHERE table_name = ? AND row_id = ?').all(table, id) as { changes_json: string; hlc: string }[]) {
              for (const field of Object.keys(JSON.parse(p.changes_json) as object)) raise(field, p.hlc);
            }
            const star = local.get('*') ?? '';
            const take = kept.filter(([c]) => {
              const mine = local.get(c) ?? star;
              const markerClock = marker && (!marker.fields || marker.fields.has(c)) ? marker.hlc : '';
              return clockOf(c) > (mine > markerClock ? mine : markerClock);
            });
            if (take.length === 0) continue;
            const update = cachedStatement(db, `UPDATE ${qi(table)} SET ${take.map(([c]) => `${qi(c)} = ?`).join(', ')} WHERE id = ?`);
            if (update.run(...take.map(([, i]) => toSqlite(values[i])), id).changes === 0) {
              // Known clocks but no row (removed outside sync): take the server's whole row.
              cachedStatement(db, `INSERT INTO ${qi(table)} (id, ${names.map(qi).join(', ')}) VALUES (?${', ?'.repeat(names.length)})`).run(id, ...kept.map(([, i]) => toSqlite(values[i])));
            }
            const remember = cachedStatement(
              db,
              'INSERT INTO sync_field_clocks (table_name, row_id, field, hlc) VALUES (?, ?, ?, ?) ON CONFLICT(table_name, row_id, field) DO UPDATE SET hlc = excluded.hlc WHERE excluded.hlc > sync_field_clocks.hlc',
            );
            for (const [c] of take) {
              remember.run(table, id, c, clockOf(c));
              if (clockOf(c) > maxClock) maxClock = clockOf(c);
            }
            applied += 1;
          } catch (error) {
            // A local constraint the server does not know (NOT NULL, a unique index): keep the local
            // version, say so on the record, and go on with the page.
            recordRejection(db, table, id, `The team's version could not be stored on this device: ${error instanceof Error ? error.message : String(error)}`, now);
            ctx.stats.rejected += 1;
          }
        }
      }
      if (maxClock) {
        try {
          observeClock(db, maxClock, now);
        } catch (error) {
          ctx.log(`[sync] not following a remote clock: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      writePullState(db, next);
      renewSyncLock(db, ctx.lockToken, now);
      return applied;
    })();
  } finally {
    client.pragma('foreign_keys = ON');
  }
}
