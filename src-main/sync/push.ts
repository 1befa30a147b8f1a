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

/** Pushes one bulk entry page by page (resuming after the last acknowledged page). Returns rows sent. */
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
  let done = Number(readState(db, bulkProgressKey(entry.seq)) ?? 0);
  let sent = 0;
  while (done < ids.length && !ctx.signal.aborted) {
    const slice = ids.slice(done, done + ctx.limits.bulkPage);
    const rows = read.all(JSON.stringify(slice)) as Record<string, unknown>[];
    const lines: string[] = [];
    const refused: string[] = [];
    for (const row of rows) {
      const values = [String(done + Number(row._pos) + 1), copyValue(row.id, 'text')];
      let ok = values[1] !== null;
      for (const [c, type] of columns) {
        const v = copyValue(row[c], type);
        if (v === null) ok = false;
        values.push(v);
      }
      if (ok) lines.push(`${values.join('\t')}\n`);
      else refused.push(String(row.id));
    }
    const to = done + slice.length;
    if (lines.length > 0) {
      await conn.client.query('BEGIN');
      try {
        await conn.client.query('SELECT fieldmate.begin_bulk($1, $2)', [SYNC_SCHEMA_VERSION, table]);
        const chunks: string[] = [];
        for (let i = 0; i < lines.length; i += 2000) chunks.push(lines.slice(i, i + 2000).join(''));
        await pipeline(Readable.from(chunks), conn.client.query(copyFrom(copySql)));
        await step(ctx, 'bulk:copied', lines.length);
        await conn.client.query('SELECT fieldmate.push_bulk($1, $2, $3, $4, $5, $6, $7)', [SYNC_SCHEMA_VERSION, ctx.device, table, entry.seq, to, entry.hlc, fields]);
        await conn.client.query('COMMIT');
      } catch (error) {
        await conn.client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      for (const chunk of lines) ctx.stats.bytesSent += chunk.length;
      ctx.stats.rowsSent += lines.length;
      await step(ctx, 'bulk:committed', lines.length);
    }
    const now = ctx.now();
    db.$client.transaction(() => {
      for (const id of refused) recordRejection(db, table, id, 'A value does not fit the server column (wrong type or a NUL character).', now);
      if (to >= ids.length) {
        cachedStatement(db, 'DELETE FROM sync_outbox WHERE seq = ?').run(entry.seq);
        deleteState(db, bulkProgressKey(entry.seq));
      } else {
        writeState(db, bulkProgressKey(entry.seq), String(to));
      }
      renewSyncLock(db, ctx.lockToken, now);
    })();
    ctx.stats.pushed += lines.length;
    ctx.stats.rejected += refused.length;
    sent += slice.length;
    done = to;
    ctx.progress('push', done, ids.length);
  }
  return sent;
}
