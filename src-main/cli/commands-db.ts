import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/contract/errors';
import { appPaths } from '../core/paths';
import { listBackups } from '../db/backups';
import { migrationStatus } from '../db/migrate';
import { checkStoreFile, newestUsableBackup, recoverStore, type RecoveryChoice } from '../db/open-store';
import { systemInfo } from '../system';
import { readAppVersion } from '../core/version';
import { requirePositional, UsageError, type CliCommand } from './command';

export const dbCommands: CliCommand[] = [
  {
    path: ['info'],
    usage: 'info [--json]',
    summary: 'Paths, schema version and row counts',
    async run(ctx) {
      const core = ctx.core();
      return systemInfo(core.db, core.paths, 'cli', readAppVersion(core.paths.appRoot));
    },
    human(result) {
      const info = result as ReturnType<typeof systemInfo>;
      const counts = Object.entries(info.rowCounts).map(([k, v]) => `  ${k.padEnd(20)} ${v}`);
      return [`Fieldmate ${info.appVersion}`, `data:   ${info.dataDir}`, `db:     ${info.dbFile}`, `schema: ${info.schema.applied}/${info.schema.available} (${info.schema.latest ?? 'none'})`, 'rows:', ...counts].join('\n');
    },
  },
  {
    path: ['db', 'migrate'],
    usage: 'db migrate [--json]',
    summary: 'Apply pending migrations (a backup is taken first)',
    async run(ctx) {
      // Opening the core migrates; report the state afterwards.
      const core = ctx.core();
      const status = migrationStatus(core.db, core.paths.migrationsDir);
      return { applied: status.applied, available: status.available.length, latest: status.available.at(-1) ?? null };
    },
    human: (r) => {
      const s = r as { applied: number; available: number };
      return `schema up to date (${s.applied}/${s.available})`;
    },
  },
  {
    path: ['db', 'backup'],
    usage: 'db backup <file> [--json]',
    summary: 'Write a consistent copy of the store (safe while the app runs)',
    async run(ctx, positionals) {
      const target = path.resolve(requirePositional(positionals, 0, 'file'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const core = ctx.core();
      const started = performance.now();
      await core.db.$client.backup(target);
      return { file: target, bytes: fs.statSync(target).size, ms: Math.round(performance.now() - started) };
    },
    human: (r) => {
      const b = r as { file: string; bytes: number };
      return `backup written: ${b.file} (${b.bytes} bytes)`;
    },
  },
  {
    path: ['db', 'check'],
    usage: 'db check [--full] [--json]',
    summary: 'Check the store for damage (exit 1 if damaged) and list its backups',
    options: { full: { type: 'boolean' } },
    async run(ctx, _positionals, values) {
      // Never opens the core: a damaged store must be inspectable without migrating or writing to it.
      const { dbFile } = appPaths(ctx.dataDir);
      const check = fs.existsSync(dbFile) ? checkStoreFile(dbFile, values.full === true ? 'full' : 'quick') : { ok: true, problems: [] };
      const report = { file: dbFile, exists: fs.existsSync(dbFile), ok: check.ok, problems: check.problems, newestUsableBackup: newestUsableBackup(dbFile)?.file ?? null, backups: listBackups(dbFile) };
      if (check.ok) return report;
      ctx.out(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : `${checkText(report)}\n`);
      throw new AppError('UNAVAILABLE', `The data file ${dbFile} is damaged: ${check.problems[0] ?? 'unknown problem'}.`);
    },
    human: (r) => checkText(r as CheckReport),
  },
  {
    path: ['db', 'restore'],
    usage: 'db restore <backup-file> | --newest | --fresh [--json]',
    summary: 'Replace the store by a backup (or start fresh); the current file is kept aside. Close the app first',
    options: { newest: { type: 'boolean' }, fresh: { type: 'boolean' } },
    async run(ctx, positionals, values) {
      const file = positionals[0];
      const picked = [file !== undefined, values.newest === true, values.fresh === true].filter(Boolean).length;
      if (picked !== 1) throw new UsageError('name one backup file, or --newest, or --fresh');
      const { dbFile } = appPaths(ctx.dataDir);
      const choice: RecoveryChoice = values.fresh === true ? { kind: 'fresh' } : { kind: 'restore', ...(file ? { file: path.resolve(file) } : {}) };
      const result = recoverStore(dbFile, choice, (line) => ctx.err(`${line}\n`));
      // Open it once: the restored copy is checked and migrated to this version's schema now.
      const core = ctx.core();
      const status = migrationStatus(core.db, core.paths.migrationsDir);
      return { ...result, file: dbFile, schema: { applied: status.applied, available: status.available.length } };
    },
    human: (r) => {
      const x = r as { file: string; keptAs: string | null; restoredFrom: string | null };
      return [x.restoredFrom ? `restored ${x.restoredFrom} to ${x.file}` : `started a fresh store at ${x.file}`, ...(x.keptAs ? [`the previous file is kept as ${x.keptAs}`] : [])].join('\n');
    },
  },
];

interface CheckReport {
  file: string;
  exists: boolean;
  ok: boolean;
  problems: string[];
  newestUsableBackup: string | null;
  backups: { file: string; kind: string; createdAt: string; bytes: number }[];
}

function checkText(r: CheckReport): string {
  const state = !r.exists ? 'no store yet' : r.ok ? 'ok' : `DAMAGED: ${r.problems.join('; ')}`;
  const backups = r.backups.map((b) => `  ${b.createdAt}  ${b.kind.padEnd(13)} ${b.file} (${b.bytes} bytes)`);
  return [`store:   ${r.file}`, `check:   ${state}`, `backups: ${r.backups.length === 0 ? 'none' : ''}`, ...backups].join('\n');
}
