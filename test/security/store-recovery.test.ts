import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '@main/cli/commands';
import { runCli } from '@main/cli/run-cli';
import { listBackups, writeBackup } from '@main/db/backups';
import { checkStoreFile, openWithRecovery, recoverStore, StoreDamaged, type RecoveryChoice } from '@main/db/open-store';
import { createTempCore, tempDir } from '../helpers/temp-core';

const LEADS_IN_BACKUP = 120;

/** A store with leads, a periodic backup of it, and one more lead written after the backup. */
async function storeWithBackup(): Promise<{ dataDir: string; dbFile: string; backup: string }> {
  const dataDir = tempDir('fm-store-');
  const core = createTempCore({ dataDir });
  for (let i = 0; i < LEADS_IN_BACKUP; i++) expect(await core.call('leads:create', { name: `Client ${i} ${'x'.repeat(100)}` })).toMatchObject({ ok: true });
  const backup = await writeBackup(core.db, core.paths.dbFile);
  await core.call('leads:create', { name: 'After the backup' });
  const dbFile = core.paths.dbFile;
  await core.close();
  return { dataDir, dbFile, backup: backup.file };
}

function damagedOpen(dataDir: string): StoreDamaged {
  try {
    createTempCore({ dataDir });
  } catch (error) {
    if (error instanceof StoreDamaged) return error;
    throw error;
  }
  throw new Error('the damaged store opened');
}

async function leadCount(dataDir: string): Promise<number> {
  const core = createTempCore({ dataDir });
  try {
    return (await core.call('leads:list', { limit: 1000 }).then((r) => (r.ok ? (r.value as { leads: unknown[] }).leads.length : -1)));
  } finally {
    await core.close();
  }
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, commands, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const damage = {
  truncated: (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)),
  overwritten: (file: string) => fs.writeFileSync(file, crypto.randomBytes(fs.statSync(file).size)),
  'header overwritten': (file: string) => {
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from('Name;EAN;Qty\nKettle;5901234123457;1\n'.repeat(200)), 0, 4096, 0);
    fs.closeSync(fd);
  },
  emptied: (file: string) => fs.truncateSync(file, 0),
};

describe('a damaged store offers recovery instead of a dead end', () => {
  for (const [kind, apply] of Object.entries(damage)) {
    it(`${kind}: opening throws StoreDamaged naming the newest usable backup`, async () => {
      const { dataDir, dbFile, backup } = await storeWithBackup();
      apply(dbFile);
      const failure = damagedOpen(dataDir);
      expect(failure.code).toBe('UNAVAILABLE');
      expect(failure.recovery.dbFile).toBe(dbFile);
      expect(failure.recovery.newestBackup?.file).toBe(backup);
      expect(failure.message).toMatch(/is damaged .*restore the newest backup .* or start fresh/);
      expect(failure.message.split('\n')).toHaveLength(1);
      expect(checkStoreFile(dbFile).ok).toBe(false);
    });
  }

  it('restoring the newest backup brings its data back and keeps the damaged file aside', async () => {
    const { dataDir, dbFile } = await storeWithBackup();
    damage.truncated(dbFile);
    const damagedBytes = fs.readFileSync(dbFile);
    const result = recoverStore(dbFile, { kind: 'restore' }, () => undefined);
    expect(result.keptAs).toMatch(/fieldmate\.sqlite\.damaged-\d{8}T\d{9}Z$/);
    expect(fs.readFileSync(result.keptAs as string).equals(damagedBytes)).toBe(true);
    expect(await leadCount(dataDir)).toBe(LEADS_IN_BACKUP);
  });

  it('starting fresh gives an empty working store and keeps the damaged file aside', async () => {
    const { dataDir, dbFile } = await storeWithBackup();
    damage.overwritten(dbFile);
    const damagedBytes = fs.readFileSync(dbFile);
    const result = recoverStore(dbFile, { kind: 'fresh' }, () => undefined);
    expect(result.restoredFrom).toBeNull();
    expect(fs.readFileSync(result.keptAs as string).equals(damagedBytes)).toBe(true);
    expect(await leadCount(dataDir)).toBe(0);
  });

  it('a damaged backup is refused, and the newest usable one is chosen over it', async () => {
    const { dataDir, dbFile, backup } = await storeWithBackup();
    const newer = path.join(path.dirname(backup), 'fieldmate-29991231T235959000Z.sqlite');
    fs.writeFileSync(newer, 'not a database');
    damage.truncated(dbFile);
    expect(damagedOpen(dataDir).recovery.newestBackup?.file).toBe(backup);
    expect(() => recoverStore(dbFile, { kind: 'restore', file: newer }, () => undefined)).toThrow(/is damaged too/);
    expect(fs.existsSync(dbFile)).toBe(true);
  });

  it('CLI: every command names the recovery, db check exits 1, db restore --newest and <file> work', async () => {
    const { dataDir, dbFile, backup } = await storeWithBackup();
    expect((await cli(['db', 'check', '--data-dir', dataDir])).code).toBe(0);
    damage.truncated(dbFile);
    const info = await cli(['--data-dir', dataDir, 'info']);
    expect(info.code).toBe(1);
    expect(info.stderr.trim().split('\n')).toHaveLength(1);
    expect(info.stderr).toMatch(/damaged.*db restore --newest.*db restore --fresh/);
    const check = await cli(['db', 'check', '--json', '--data-dir', dataDir]);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: false, newestUsableBackup: backup });
    const restored = await cli(['--data-dir', dataDir, '--json', 'db', 'restore', '--newest']);
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ restoredFrom: backup });
    expect(await leadCount(dataDir)).toBe(LEADS_IN_BACKUP);
    damage.overwritten(dbFile);
    expect((await cli(['db', 'restore', backup, '--data-dir', dataDir])).code).toBe(0);
    expect((await cli(['db', 'check', '--full', '--data-dir', dataDir])).code).toBe(0);
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('.damaged-'))).toHaveLength(2);
    const usage = await cli(['db', 'restore', '--data-dir', dataDir]);
    expect(usage.code).toBe(2);
  });
});

describe('the desktop flow: ask, apply, open again', () => {
  it('asks again with the reason when a choice fails, opens after a good one, and stops on quit', async () => {
    const { dataDir, dbFile, backup } = await storeWithBackup();
    damage.truncated(dbFile);
    const answers: RecoveryChoice[] = [{ kind: 'restore', file: path.join(dataDir, 'no-such.sqlite') }, { kind: 'restore' }];
    const asked: (string | null)[] = [];
    const core = await openWithRecovery(() => createTempCore({ dataDir }), async (recovery, failure) => {
      expect(recovery.newestBackup?.file).toBe(backup);
      asked.push(failure);
      return answers.shift() ?? null;
    }, dbFile, () => undefined);
    expect(asked).toEqual([null, expect.stringMatching(/No backup file at/)]);
    expect(core).not.toBeNull();
    await core?.close();
    expect(await leadCount(dataDir)).toBe(LEADS_IN_BACKUP);
    damage.overwritten(dbFile);
    expect(await openWithRecovery(() => createTempCore({ dataDir }), async () => null, dbFile, () => undefined)).toBeNull();
    expect(fs.existsSync(dbFile)).toBe(true);
  });
});

describe('automatic backups', () => {
  it('rotate: only the newest ones are kept', async () => {
    const dataDir = tempDir('fm-backups-');
    const core = createTempCore({ dataDir });
    try {
      const start = Date.UTC(2026, 0, 1);
      for (let i = 0; i < 9; i++) await writeBackup(core.db, core.paths.dbFile, { now: new Date(start + i * 3_600_000), keep: 4 });
      const kept = listBackups(core.paths.dbFile).filter((b) => b.kind === 'periodic');
      expect(kept.map((b) => b.createdAt)).toEqual([8, 7, 6, 5].map((i) => new Date(start + i * 3_600_000).toISOString()));
      for (const b of kept) expect(checkStoreFile(b.file).ok).toBe(true);
      expect(fs.readdirSync(path.join(dataDir, 'backups')).filter((f) => !f.endsWith('.sqlite'))).toEqual([]);
    } finally {
      await core.close();
    }
  });

  it('are taken when the newest is older than the limit, not before', async () => {
    const dataDir = tempDir('fm-backups-');
    const core = createTempCore({ dataDir });
    try {
      const { startAutoBackups } = await import('@main/db/backups');
      let now = new Date(Date.UTC(2026, 0, 1));
      const auto = startAutoBackups(core.db, core.paths.dbFile, () => undefined, { now: () => now, startDelayMs: 3_600_000 });
      const day = 24 * 3_600_000;
      expect(await auto.runIfDue(day)).not.toBeNull();
      now = new Date(now.getTime() + day - 1000);
      expect(await auto.runIfDue(day)).toBeNull();
      now = new Date(now.getTime() + 2000);
      expect(await auto.runIfDue(day)).not.toBeNull();
      await auto.stop();
      expect(await auto.runIfDue(0)).toBeNull();
      expect(listBackups(core.paths.dbFile)).toHaveLength(2);
    } finally {
      await core.close();
    }
  });
});
