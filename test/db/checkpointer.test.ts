import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointSoon, startCheckpointer } from '@main/db/checkpointer';
import { closeDatabase, openDatabase } from '@main/db/open';
import { tempDir } from '../helpers/temp-core';

const autocheckpoint = (db: ReturnType<typeof openDatabase>) => db.$client.pragma('wal_autocheckpoint', { simple: true });

async function until(test: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return test();
}

describe('background WAL checkpoints', () => {
  it('copies a large commit into the database from a worker thread, the main connection checkpointing nothing itself', async () => {
    const file = path.join(tempDir(), 'store.sqlite');
    const db = openDatabase(file);
    db.$client.exec('CREATE TABLE t (x TEXT)');
    const log: string[] = [];
    const checkpoints = startCheckpointer(db, { intervalMs: 60_000, log: (m) => log.push(m) });
    expect(await checkpoints.ready).toBe(true);
    expect(autocheckpoint(db)).toBe(0);
    const before = fs.statSync(file).size;
    // ~4,000 pages: far above the 1,000 at which the connection would checkpoint itself.
    const insert = db.$client.prepare('INSERT INTO t (x) VALUES (?)');
    db.$client.transaction(() => {
      for (let i = 0; i < 4000; i++) insert.run('x'.repeat(3000));
    })();
    // The commit left everything in the WAL.
    expect(fs.statSync(file).size).toBe(before);
    checkpointSoon(db);
    expect(await until(() => fs.statSync(file).size > 4000 * 3000)).toBe(true);
    await checkpoints.stop();
    expect(autocheckpoint(db)).toBe(1000);
    expect(db.$client.prepare('SELECT count(*) FROM t').pluck().get()).toBe(4000);
    expect(log).toEqual([]);
    closeDatabase(db);
  });

  it('leaves the automatic checkpoint on when the worker cannot open the store, or there is no WAL file', async () => {
    const file = path.join(tempDir(), 'store.sqlite');
    const db = openDatabase(file);
    // The worker opens the file by name: gone, it cannot.
    fs.rmSync(file);
    const log: string[] = [];
    const checkpoints = startCheckpointer(db, { log: (m) => log.push(m) });
    expect(await checkpoints.ready).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
    expect(log.join('\n')).toMatch(/background checkpoints unavailable/);
    checkpointSoon(db);
    await checkpoints.stop();
    closeDatabase(db);

    const memory = openDatabase(':memory:');
    const none = startCheckpointer(memory, { log: (m) => log.push(m) });
    expect(await none.ready).toBe(false);
    expect(autocheckpoint(memory)).toBe(1000);
    expect(log.at(-1)).toMatch(/need a writable database file in WAL mode/);
    closeDatabase(memory);
  });
});
