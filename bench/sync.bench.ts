/**
 * Sync benchmark (`npm run bench:sync`). One embedded PostgreSQL (default durability settings), in
 * the same run:
 *   initialPush — 100,000 pallet lines queued by one bulk outbox entry, pushed by the sync engine
 *                 (COPY pages + per-field LWW merge + device position), vs the raw baseline: read the
 *                 same rows from the same SQLite file, COPY into a temp table, INSERT … ON CONFLICT
 *                 DO UPDATE into a plain table. Alternating runs, medians, ratio (goal ≤ 1.5).
 *   noopRound   — a sync round with nothing to send or receive, on an open connection (goal ≤ 30 ms).
 *   oneField    — one field of one row changed: latency, bytes sent, rows sent (must be 1).
 *   bulkOutbox  — the extra local cost of queueing 100,000 inserted rows (insertSyncedBulk vs the same
 *                 prepared insert without the outbox entry).
 *   initialPull — a fresh device pulling the 100,000 lines.
 * Writes bench-results/sync.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { eq } from 'drizzle-orm';
import { insertSyncedBulk, recordBulkInsert } from '@main/db/changes';
import { newId } from '@shared/ids';
import { analyses, palletItems } from '@main/db/schema';
import { insertSynced, updateSynced } from '@main/db/synced-repo';
import { runSync } from '@main/sync/engine';
import { serverTablesAt } from '@main/sync/server/migrations';
import { startTestPostgres } from '../test/helpers/postgres';
import { openDevice, syncServer, tempDir } from '../test/sync/helpers';

const ROWS = Number(process.env.SYNC_BENCH_ROWS ?? 100_000);
const RUNS = Number(process.env.SYNC_BENCH_RUNS ?? 5);
const root = path.join(import.meta.dirname, '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function manifestRows(analysisId: string): Record<string, unknown>[] {
  const categories = ['Electronics', 'Home', 'Toys', 'Garden', 'Kitchen', 'Sports'];
  const conditions = ['New', 'Like New', 'Used-Good', 'Used-Fair', 'Salvage'];
  return Array.from({ length: ROWS }, (_, i) => ({
    analysis_id: analysisId,
    source_row: i + 2,
    pallet_id: `P${Math.floor(i / 500)}`,
    name: `Product ${i} – ${categories[i % 6]} item with a realistic description`,
    category: categories[i % 6],
    brand: `Brand ${i % 97}`,
    ean: String(5_900_000_000_000 + i),
    sku: `SKU-${i}`,
    quantity: 1 + (i % 7),
    price_net: round(10 + (i % 1000) / 7, 2),
    price_gross: round((10 + (i % 1000) / 7) * 1.23, 2),
    retail_price: round(20 + (i % 1000) / 5, 2),
    currency: 'PLN',
    condition: conditions[i % 5],
    score: 30 + (i % 70),
    status: i % 13 === 0 ? 'warning' : 'ok',
    data_json: JSON.stringify({ issues: [], raw: { lpn: `LPN${i}` } }),
  }));
}

/** The raw baseline: the same rows from the same file, COPY into a temp table, one merge statement. */
async function rawCopyMerge(client: pg.Client, file: string): Promise<number> {
  const columns = serverTablesAt().pallet_items!;
  const device = openDevice(file);
  const t0 = performance.now();
  const rows = device.db.$client.prepare('SELECT * FROM pallet_items').all() as Record<string, unknown>[];
  const escape = (v: unknown): string => {
    if (v === null || v === undefined) return '\\N';
    return String(v).replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
  };
  const lines: string[] = [];
  for (const row of rows) lines.push(`${[row.id, ...columns.map(([c]) => row[c])].map(escape).join('\t')}\n`);
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 2000) chunks.push(lines.slice(i, i + 2000).join(''));
  await client.query('BEGIN');
  await client.query('CREATE TEMP TABLE raw_stage (LIKE bench_raw.pallet_items) ON COMMIT DROP');
  await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY raw_stage (id, ${columns.map(([c]) => `"${c}"`).join(', ')}) FROM STDIN`)));
  await client.query(`INSERT INTO bench_raw.pallet_items SELECT * FROM raw_stage ON CONFLICT (id) DO UPDATE SET ${columns.map(([c]) => `"${c}" = excluded."${c}"`).join(', ')}`);
  await client.query('COMMIT');
  const ms = performance.now() - t0;
  device.close();
  return ms;
}

async function main(): Promise<void> {
  const server = await startTestPostgres({ durable: true });
  try {
    // ---- A device with 100k queued pallet lines (and the cost of queueing them) -----------------
    const seedDir = tempDir('fieldmate-bench-sync-');
    const seedFile = path.join(seedDir, 'seed.sqlite');
    const seed = openDevice(seedFile);
    const analysis = insertSynced(seed.db, analyses, { name: 'Bench pallet' });
    const rows = manifestRows(analysis.id);
    const t0 = performance.now();
    insertSyncedBulk(seed.db, 'pallet_items', rows);
    const bulkInsertMs = performance.now() - t0;
    // The same prepared insert into the same table on another device, without the outbox entry, and the
    // outbox entry alone (recordBulkInsert inside that transaction).
    const other = openDevice();
    const otherAnalysis = insertSynced(other.db, analyses, { name: 'Bench pallet' });
    const columns = Object.keys(rows[0]!);
    const plain = other.db.$client.prepare(`INSERT INTO pallet_items (id, created_at, updated_at, ${columns.join(', ')}) VALUES (?, ?, ?${', ?'.repeat(columns.length)})`);
    const otherIds: string[] = [];
    let recordMs = 0;
    const t1 = performance.now();
    for (let i = 0; i < rows.length; i++) otherIds.push(newId());
    other.db.$client.transaction(() => {
      rows.forEach((r, i) => plain.run(otherIds[i], 1, 1, ...columns.map((c) => (c === 'analysis_id' ? otherAnalysis.id : r[c]))));
      const tr = performance.now();
      recordBulkInsert(other.db, 'pallet_items', otherIds);
      recordMs = performance.now() - tr;
    })();
    const plainInsertMs = performance.now() - t1 - recordMs;
    other.close();
    seed.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    seed.close();

    // ---- Initial push vs raw COPY + merge, alternating ------------------------------------------
    const syncMs: number[] = [];
    const rawMs: number[] = [];
    let pushed = 0;
    let lastSrv: Awaited<ReturnType<typeof syncServer>> | null = null;
    let lastDeviceFile = '';
    const rawDb = await server.createDatabase('bench_raw');
    const rawClient = new pg.Client({ connectionString: server.adminUrl(rawDb) });
    await rawClient.connect();
    await rawClient.query(`CREATE SCHEMA bench_raw; CREATE TABLE bench_raw.pallet_items (id text COLLATE "C" PRIMARY KEY, ${serverTablesAt()
      .pallet_items!.map(([c, t]) => `"${c}" ${t}`)
      .join(', ')})`);
    const rawRun = async () => {
      await rawClient.query('TRUNCATE bench_raw.pallet_items');
      await rawClient.query('VACUUM bench_raw.pallet_items');
      rawMs.push(await rawCopyMerge(rawClient, seedFile));
    };
    for (let run = 0; run < RUNS; run++) {
      // Alternate which path goes first, so neither always meets a warmer server.
      if (run % 2 === 1) await rawRun();
      const srv = await syncServer(server, { alice: 'A' });
      const file = path.join(seedDir, `device-${run}.sqlite`);
      fs.copyFileSync(seedFile, file);
      const device = openDevice(file);
      const conn = await srv.connect('alice');
      const ts = performance.now();
      const result = await runSync(device.db, conn, { skipPull: true });
      syncMs.push(performance.now() - ts);
      pushed = result.pushed;
      await conn.close();
      device.close();
      lastSrv = srv;
      lastDeviceFile = file;
      if (run % 2 === 0) await rawRun();
      process.stdout.write(`run ${run + 1}/${RUNS}: sync ${round(syncMs.at(-1)!)} ms, raw ${round(rawMs.at(-1)!)} ms\n`);
    }
    await rawClient.end();
    const srv = lastSrv!;

    // ---- Initial pull on a fresh device --------------------------------------------------------
    const fresh = openDevice();
    const pullConn = await srv.connect('carol' in srv.roles ? 'carol' : 'alice');
    const tp = performance.now();
    const pulled = await runSync(fresh.db, pullConn, {});
    const initialPullMs = performance.now() - tp;
    await pullConn.close();
    fresh.close();

    // ---- No-op rounds and a one-field change on the pushing device ------------------------------
    const device = openDevice(lastDeviceFile);
    const conn = await srv.connect('alice');
    await runSync(device.db, conn); // consume the echo of the initial push (filtered server-side)
    await runSync(device.db, conn);
    const noop: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const r = await runSync(device.db, conn);
      noop.push(performance.now() - t);
      if (r.pushed + r.pulled !== 0) throw new Error('the no-op round moved data');
    }
    const ids = device.db.$client.prepare('SELECT id FROM pallet_items ORDER BY id LIMIT 20').all() as { id: string }[];
    const change: { ms: number; bytes: number; rows: number }[] = [];
    for (let i = 0; i < 10; i++) {
      updateSynced(device.db, palletItems, ids[i]!.id, { quantity: 100 + i });
      const t = performance.now();
      const r = await runSync(device.db, conn);
      change.push({ ms: performance.now() - t, bytes: r.bytesSent, rows: r.rowsSent });
    }
    const check = device.db.select().from(palletItems).where(eq(palletItems.id, ids[0]!.id)).get();
    if (check?.quantity !== 100) throw new Error('the one-field change did not stick');
    await conn.close();
    device.close();

    const results = {
      benchmark: 'sync',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      rows: ROWS,
      initialPush: {
        what: 'runSync push of one bulk outbox entry: SQLite read → COPY pages of 25k into a staging temp table → per-field LWW merge (team, clocks, xid) → device position; vs raw: SQLite read → COPY → INSERT … ON CONFLICT DO UPDATE into a plain table',
        syncRunsMs: syncMs.map((x) => round(x)),
        rawRunsMs: rawMs.map((x) => round(x)),
        syncMedianMs: round(median(syncMs)),
        rawMedianMs: round(median(rawMs)),
        ratio: round(median(syncMs) / median(rawMs), 2),
        goal: 1.5,
        rowsPushed: pushed,
      },
      noopRound: { what: 'push (empty outbox) + one pull call + lock, open connection', medianMs: round(median(noop), 2), maxMs: round(Math.max(...noop), 2), goalMs: 30 },
      oneFieldChange: {
        what: 'updateSynced one field of one pallet line, then a sync round',
        medianMs: round(median(change.map((c) => c.ms)), 2),
        bytesSent: median(change.map((c) => c.bytes)),
        rowsSent: Math.max(...change.map((c) => c.rows)),
        goal: 'one row sent',
      },
      bulkOutbox: {
        what: `queueing ${ROWS} inserted rows for sync: recordBulkInsert (one outbox entry) timed inside the insert transaction; for scale, insertSyncedBulk total and the same prepared insert without the entry`,
        recordBulkInsertMs: round(recordMs),
        insertSyncedBulkMs: round(bulkInsertMs),
        plainInsertMs: round(plainInsertMs),
      },
      initialPull: { what: 'fresh device pulls every row (5,000-row pages, per-field LWW apply)', ms: round(initialPullMs), rows: pulled.pulled },
    };
    fs.mkdirSync(path.join(root, 'bench-results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench-results', 'sync.json'), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    fs.rmSync(seedDir, { recursive: true, force: true });
  } finally {
    await server.stop();
  }
}

await main();
