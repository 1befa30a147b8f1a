import fs from 'node:fs';
import { AppError } from '@shared/contract/errors';
import type { SyncRunSummary, SyncStatus } from '@shared/contract/sync';
import { addServerUser, setupServer, type AddUserResult, type SetupResult } from '../sync';
import { readSecret } from './read-secret';
import { requirePositional, UsageError, type CliCommand, type CliValues } from './command';

export const ADMIN_URL_ENV = 'FIELDMATE_ADMIN_URL';

/** The new sync user's password, when it is not typed at a prompt or piped (`--password-stdin`). */
export const NEW_USER_PASSWORD_ENV = 'FIELDMATE_NEW_USER_PASSWORD';

/**
 * The admin URL: `--url` without a password (every local user can read a command line in the process
 * list), the password then from $PGPASSWORD (read by the driver); or the whole URL in $FIELDMATE_ADMIN_URL.
 */
function adminUrl(values: CliValues): string {
  const flag = typeof values.url === 'string' ? values.url : null;
  if (flag !== null) {
    let parsed: URL;
    try {
      parsed = new URL(flag);
    } catch {
      throw new UsageError('--url is not a valid postgres:// URL');
    }
    if (parsed.password) throw new UsageError(`--url must not contain a password (the process list shows it): set $PGPASSWORD, or put the whole URL in $${ADMIN_URL_ENV}`);
  }
  const url = flag ?? process.env[ADMIN_URL_ENV];
  if (!url) throw new UsageError(`missing --url <postgres://admin@host:5432/database> (or $${ADMIN_URL_ENV})`);
  return url;
}

/** A new user's password: piped or typed (`--password-stdin`), from $FIELDMATE_NEW_USER_PASSWORD, or null (generate one). */
async function newUserPassword(values: CliValues, user: string): Promise<string | null> {
  if (values.password !== undefined) {
    throw new UsageError(`--password would show the password in the process list: use --password-stdin (prompt or pipe) or $${NEW_USER_PASSWORD_ENV}`);
  }
  if (values['password-stdin']) {
    const typed = await readSecret(`Password for ${user}: `);
    if (!typed) throw new AppError('VALIDATION', 'The password cannot be empty.');
    return typed;
  }
  const fromEnv = process.env[NEW_USER_PASSWORD_ENV];
  if (fromEnv === '') throw new AppError('VALIDATION', 'The password cannot be empty.');
  return fromEnv ?? null;
}

const when = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toISOString());

function describeRun(r: SyncRunSummary): string {
  return `sync done: ${r.pushed} sent, ${r.pulled} received, ${r.rejected} refused (${Math.round(r.ms)} ms)${r.message ? `\n${r.message}` : ''}`;
}

/** Sync commands. The password comes from FIELDMATE_SYNC_PASSWORD; it is never a flag (shell history). */
export const syncCommands: CliCommand[] = [
  {
    path: ['sync', 'now'],
    usage: 'sync now [--json]',
    summary: "Send local changes and receive the team's (password: $FIELDMATE_SYNC_PASSWORD)",
    async run(ctx) {
      return ctx.core().sync().syncNow(ctx.signal);
    },
    human: (r) => describeRun(r as SyncRunSummary),
  },
  {
    path: ['sync', 'status'],
    usage: 'sync status [--json]',
    summary: 'Pending changes, last success, last error',
    async run(ctx) {
      return ctx.core().sync().status();
    },
    human(result) {
      const s = result as SyncStatus;
      return [
        `sync:          ${s.configured ? (s.enabled ? 'enabled' : 'configured, disabled') : 'not set up'}`,
        `pending:       ${s.pendingCount}`,
        `refused:       ${s.rejectedCount}`,
        `last success:  ${when(s.lastSuccessAt)}`,
        ...(s.lastError ? [`last error:    ${s.lastError.message}`] : []),
      ].join('\n');
    },
  },
  {
    path: ['sync', 'configure'],
    usage:
      'sync configure [--server <postgres://host:5432/db>] [--user <name>] [--ca-file <ca.pem>|--remove-ca] [--allow-insecure|--secure] [--enable|--disable] [--interval <minutes>]',
    summary: 'Set the sync server, user and TLS CA (password: $FIELDMATE_SYNC_PASSWORD; TLS verify-full except on loopback)',
    options: {
      server: { type: 'string' },
      user: { type: 'string' },
      'ca-file': { type: 'string' },
      'remove-ca': { type: 'boolean' },
      'allow-insecure': { type: 'boolean' },
      secure: { type: 'boolean' },
      enable: { type: 'boolean' },
      disable: { type: 'boolean' },
      interval: { type: 'string' },
    },
    async run(ctx, _positionals, values) {
      if (values.enable && values.disable) throw new UsageError('choose --enable or --disable');
      if (values['allow-insecure'] && values.secure) throw new UsageError('choose --allow-insecure or --secure');
      if (typeof values['ca-file'] === 'string' && values['remove-ca']) throw new UsageError('choose --ca-file or --remove-ca');
      const caFile = values['ca-file'];
      let caCertificate: string | null | undefined = values['remove-ca'] ? null : undefined;
      if (typeof caFile === 'string') {
        try {
          caCertificate = fs.readFileSync(caFile, 'utf8');
        } catch {
          throw new AppError('NOT_FOUND', `The CA file ${caFile} cannot be read.`);
        }
      }
      const interval = typeof values.interval === 'string' ? Number(values.interval) : undefined;
      if (interval !== undefined && (!Number.isInteger(interval) || interval < 1 || interval > 1440)) throw new UsageError('--interval is whole minutes from 1 to 1440');
      return ctx.core().sync().configure({
        ...(typeof values.server === 'string' ? { serverUrl: values.server } : {}),
        ...(typeof values.user === 'string' ? { user: values.user } : {}),
        ...(caCertificate !== undefined ? { caCertificate } : {}),
        ...(values['allow-insecure'] ? { allowInsecure: true } : values.secure ? { allowInsecure: false } : {}),
        ...(values.enable ? { enabled: true } : values.disable ? { enabled: false } : {}),
        ...(interval !== undefined ? { intervalMinutes: interval } : {}),
      });
    },
  },
  {
    path: ['server', 'setup'],
    usage: `server setup [--url <admin postgres url without password>] [--json]`,
    summary: 'Create or upgrade the team server schema, roles and row-level security',
    options: { url: { type: 'string' } },
    async run(_ctx, _positionals, values) {
      return setupServer(adminUrl(values));
    },
    human(result) {
      const r = result as SetupResult;
      return r.applied.length === 0 ? `server schema of ${r.database} is up to date (version ${r.to})` : `server schema of ${r.database}: ${r.from} → ${r.to} (${r.applied.join(', ')})`;
    },
  },
  {
    path: ['server', 'add-user'],
    usage: `server add-user <name> --team <team> [--url <admin postgres url without password>] [--password-stdin]`,
    summary: `Create a sync login for a team member (password: --password-stdin prompts or reads a pipe, else $${NEW_USER_PASSWORD_ENV}, else generated; only its SCRAM verifier is sent)`,
    options: { url: { type: 'string' }, team: { type: 'string' }, password: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run(_ctx, positionals, values) {
      const name = requirePositional(positionals, 0, 'name');
      if (typeof values.team !== 'string') throw new UsageError('missing --team <team>');
      const url = adminUrl(values);
      const password = await newUserPassword(values, name);
      return addServerUser(url, name, values.team, password);
    },
    human(result) {
      const r = result as AddUserResult;
      const head = `${r.created ? 'created' : 'updated'} sync user ${r.user} (team ${r.team})`;
      return r.generatedPassword ? `${head}\npassword (shown once): ${r.generatedPassword}` : head;
    },
  },
];
