import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { BULK_ROW_ID, bulkProgressKey, cachedStatement, pendingChangeCount, type BulkChange } from '../db/changes';
import { deleteState, readState, writeState } from '../db/clock';
import { clearRejection, hasRejections, recordRejection, renewSyncLock } from './local-state';
import { step, type EngineContext } from './engine-context';
import { SYNC_SCHEMA_VERSION } from './server/migrations';
import { qi } from './server/sql';
import type { ServerColumnType } from './server/types';

interface OutboxRow {
  seq: number;
  table_name: string;
  row_id: string;
  changes_json: string;
  hlc: string;
}

interface ServerRejection {
  s: number;
  t: string;
  i: string;
  reason: string;
}

/**
 * Sends the outbox in order: runs of single-row entries as JSON batches, bulk entries as COPY pages.
 * Each batch is one server transaction; the local outbox shrinks only after the server committed, so a
 * lost acknowledgement just replays the batch, which the server recognises by the device position.
 */
export async function pushOutbox(ctx: EngineContext): Promise<void> {
  const { db } = ctx;
  let total = pendingChangeCount(db);
  let done = 0;
  ctx.progress('push', 0, total);
  while (!ctx.signal.aborted) {
    const head = cachedStatement(db, 'SELECT seq, table_name, row_id, changes_json, hlc FROM sync_outbox ORDER BY seq LIMIT ?').all(ctx.limits.batchEntries) as OutboxRow[];
    if (head.length === 0) break;
    const first = head[0]!;
    if (first.row_id === BULK_ROW_ID) {
      done += await pushBulkEntry(ctx, first);
    } else {
      const batch: OutboxRow[] = [];
      let bytes = 0;
      for (const row of head) {
        if (row.row_id === BULK_ROW_ID || (batch.length > 0 && bytes + row.changes_json.length > ctx.limits.batchBytes)) break;
        batch.push(row);
        bytes += row.changes_json.length + 120;
      }
      await pushBatch(ctx, batch);
      done += batch.length;
    }
    total = Math.max(total, done);
    ctx.progress('push', done, total);
  }
}

async function pushBatch(ctx: EngineContext, batch: OutboxRow[]): Promise<void> {
  const { db, conn } = ctx;
  const local: ServerRejection[] = [];
  const parts: string[] = [];
  for (const row of batch) {
    // PostgreSQL text and jsonb cannot hold NUL: refuse here instead of blocking the queue forever.
    if (row.changes_json.includes('\\u0000')) {
      local.push({ s: row.seq, t: row.table_name, i: row.row_id, reason: 'Contains a NUL character, which the server cannot store.' });
      continue;
    }
    parts.push(`{"s":${row.seq},"t":${JSON.stringify(row.table_name)},"i":${JSON.stringify(row.row_id)},"h":${JSON.stringify(row.hlc)},"f":${row.changes_json}}`);
  }
  let rejected: ServerRejection[] = [];
  if (parts.length > 0) {
    const payload = `[${parts.join(',')}]`;
    const batchId = `${batch[0]!.seq}-${batch.at(-1)!.seq}`;
    ctx.stats.bytesSent += payload.length + batchId.length + ctx.device.length;
    ctx.stats.rowsSent += parts.length;
    await conn.client.query('BEGIN');
    try {
      const result = await conn.client.query<{ r: { applied: number; rejected: ServerRejection[] } }>('SELECT fieldmate.push($1, $2, $3, $4::jsonb) AS r', [
        SYNC_SCHEMA_VERSION,
        ctx.device,
        batchId,
        payload,
      ]);
      rejected = result.rows[0]?.r.rejected ?? [];
      await step(ctx, 'push:before-commit', parts.length);
      await conn.client.query('COMMIT');
    } catch (error) {
      await conn.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await step(ctx, 'push:committed', parts.length);
  }
  const all = [...local, ...rejected];
  const now = ctx.now();
  db.$client.transaction(() => {
    cachedStatement(db, 'DELETE FROM sync_outbox WHERE seq >= ? AND seq <= ? AND row_id <> ?').run(batch[0]!.seq, batch.at(-1)!.seq, BULK_ROW_ID);
    const refused = new Set(all.map((r) => `${r.t}\u0000${r.i}`));
    for (const r of all) recordRejection(db, r.t, r.i, r.reason, now);
    if (hasRejections(db)) {
      for (const row of batch) if (!refused.has(`${row.table_name}\u0000${row.row_id}`)) clearRejection(db, row.table_name, row.row_id);
    }
    renewSyncLock(db, ctx.lockToken, now);
  })();
  ctx.stats.pushed += parts.length - rejected.length;
  ctx.stats.rejected += all.length;
  if (all.length > 0) ctx.log(`[sync] ${all.length} change(s) refused, e.g. ${all[0]!.t} ${all[0]!.i}: ${all[0]!.reason}`);
}

// ---- Bulk entries ------------------------------------------------------------------------------------

/** COPY text format: tab-separated, \N for NULL, backslash escapes. Null result: the value does not fit. */
function copyValue(value: unknown, type: ServerColumnType): string | null {
  if (value === null || value === undefined) return '\\N';
  switch (type) {
    case 'bigint':
      if (typeof value === 'bigint') return value.toString();
      return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : null;
    case 'double precision':
      return typeof value === 'number' && !Number.isNaN(value) ? String(value) : null;
    case 'boolean':
      if (typeof value === 'boolean') return value ? 't' : 'f';
      return value === 0 || value === 1 ? (value ? 't' : 'f') : null;
    case 'text': {
      const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
      if (text === null || text.includes('\u0000')) return null;
      return text.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
    }
  }
}

interface BulkPage {
  from: number;
  to: number;
  chunks: string[];
  lines: number;
  bytes: number;
  refused: string[];
}

/**
 * Pushes one bulk entry page by page (resuming after the last acknowledged page). While the server
 * merges a page, the next one is read and encoded: the device's CPU and the server's overlap.
 */
async function pushBulkEntry(ctx: EngineContext, entry: OutboxRow): Promise<number> {
  const { db, conn } = ctx;
  const table = entry.table_name;
  const change = JSON.parse(entry.changes_json) as BulkChange;
  const { ids, fields } = change.bulk;
  const allColumns = ctx.tables[table];
  if (!allColumns) throw new Error(`No server table for ${table}`);
  const columns = fields ? allColumns.filter(([c]) => fields.includes(c)) : allColumns;
  const copySql = `COPY pg_temp.${qi(`fm_stage_${table}`)} (_pos, id, ${columns.map(([c]) => qi(c)).join(', ')}) FROM STDIN`;
  const read = db.$client.prepare(`SELECT j.key AS _pos, t.* FROM json_each(?) j JOIN ${qi(table)} t ON t.id = j.value`);

  const prepare = (from: number): BulkPage => {
    const to = Math.min(ids.length, from + ctx.limits.bulkPage);
    const rows = read.all(JSON.stringify(ids.slice(from, to))) as Record<string, unknown>[];
    const lines: string[] = [];
    const refused: string[] = [];
    for (const row of rows) {
      const values = [String(from + Number(row._pos) + 1), copyValue(row.id, 'text')];
      let ok = values[1] !== null;
      for (const [c, type] of columns) {
        const v = copyValue(row[c], type);
        if (v === null) ok = false;
        values.push(v);
      }
      if (ok) lines.push(`${values.join('\t')}\n`);
      else refused.push(String(row.id));
    }
    const chunks: string[] = [];
    let bytes = 0;
    for (let i = 0; i < lines.length; i += 2000) {
      const chunk = lines.slice(i, i + 2000).join('');
      chunks.push(chunk);
      bytes += chunk.length;
    }
    return { from, to, chunks, lines: lines.length, bytes, refused };
  };

  let sent = 0;
  const start = Number(readState(db, bulkProgressKey(entry.seq)) ?? 0);
  let page: BulkPage | null = start < ids.length && !ctx.signal.aborted ? prepare(start) : null;
  while (page) {
    let next: BulkPage | null = null;
    if (page.lines > 0) {
      await conn.client.query('BEGIN');
      try {
        await conn.client.query('SELECT fieldmate.begin_bulk($1, $2)', [SYNC_SCHEMA_VERSION, table]);
        await pipeline(Readable.from(page.chunks), conn.client.query(copyFrom(copySql)));
        await step(ctx, 'bulk:copied', page.lines);
        const merging = conn.client.query('SELECT fieldmate.push_bulk($1, $2, $3, $4, $5, $6, $7)', [SYNC_SCHEMA_VERSION, ctx.device, table, entry.seq, page.to, entry.hlc, fields]);
        let prepareError: unknown = null;
        try {
          if (page.to < ids.length && !ctx.signal.aborted) next = prepare(page.to);
        } catch (error) {
          prepareError = error;
        }
        await merging;
        if (prepareError) throw prepareError;
        await conn.client.query('COMMIT');
      } catch (error) {
        await conn.client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      ctx.stats.bytesSent += page.bytes;
      ctx.stats.rowsSent += page.lines;
      await step(ctx, 'bulk:committed', page.lines);
    } else if (page.to < ids.length && !ctx.signal.aborted) {
      next = prepare(page.to);
    }
    const now = ctx.now();
    const done = page;
    db.$client.transaction(() => {
      for (const id of done.refused) recordRejection(db, table, id, 'A value does not fit the server column (wrong type or a NUL character).', now);
      if (done.to >= ids.length) {
        cachedStatement(db, 'DELETE FROM sync_outbox WHERE seq = ?').run(entry.seq);
        deleteState(db, bulkProgressKey(entry.seq));
      } else {
        writeState(db, bulkProgressKey(entry.seq), String(done.to));
      }
      renewSyncLock(db, ctx.lockToken, now);
    })();
    ctx.stats.pushed += done.lines;
    ctx.stats.rejected += done.refused.length;
    sent += done.to - done.from;
    ctx.progress('push', done.to, ids.length);
    page = ctx.signal.aborted ? null : next;
  }
  return sent;
}
