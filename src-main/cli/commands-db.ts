import fs from 'node:fs';
import path from 'node:path';
import { migrationStatus } from '../db/migrate';
import { systemInfo } from '../system/system-service';
import { readAppVersion } from '../core/version';
import { requirePositional, type CliCommand } from './command';

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
];
