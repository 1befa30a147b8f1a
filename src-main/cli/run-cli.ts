import { parseArgs } from 'node:util';
import { AppError, isAppError } from '../../src-shared/contract/errors';
import { createCore, type Core } from '../core/create-core';
import { fileLogger } from '../core/logger';
import { appPaths, resolveDataDir } from '../core/paths';
import { readAppVersion } from '../core/version';
import { UsageError, type CliCommand } from './command';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

function findCommand(table: CliCommand[], words: string[]): { command: CliCommand; rest: string[] } | null {
  let best: CliCommand | null = null;
  for (const command of table) {
    if (command.path.every((w, i) => words[i] === w) && (!best || command.path.length > best.path.length)) best = command;
  }
  return best ? { command: best, rest: words.slice(best.path.length) } : null;
}

export function helpText(table: CliCommand[]): string {
  return ['usage: fieldmate <command> [--data-dir <dir>] [--json]', '', ...table.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`])].join('\n');
}

/**
 * Runs one CLI invocation and returns the exit code: 0 success, 1 failure, 2 usage error. Errors are
 * one line on stderr; `--json` results are one JSON document on stdout.
 */
export async function runCli(argv: string[], table: CliCommand[], io: CliIo, signal = new AbortController().signal): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (argv.length === 0 || argv.includes('--help') || argv[0] === 'help') {
    io.stdout(`${helpText(table)}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(table, words);
  if (!found) {
    io.stderr(`fieldmate: unknown command "${words.join(' ')}" (try --help)\n`);
    return 2;
  }
  const { command } = found;
  let core: Core | null = null;
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' }, ...command.options },
    });
    const positionals = parsed.positionals.slice(command.path.length);
    const json = parsed.values.json === true;
    const dataDir = resolveDataDir(argv);
    const ctx = {
      dataDir,
      json,
      signal,
      out: (text: string) => io.stdout(text),
      err: (text: string) => io.stderr(text),
      core: () => {
        if (!core) {
          const paths = appPaths(dataDir);
          core = createCore({
            paths,
            transport: 'cli',
            appVersion: readAppVersion(paths.appRoot),
            osLocale: process.env.FIELDMATE_LOCALE ?? Intl.DateTimeFormat().resolvedOptions().locale,
            log: fileLogger(paths.logFile),
          });
        }
        return core;
      },
    };
    const result = await command.run(ctx, positionals, parsed.values);
    if (json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else if (command.human) io.stdout(`${command.human(result)}\n`);
    else if (result !== undefined) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`fieldmate: ${error.message}\nusage: fieldmate ${command.usage}\n`);
      return 2;
    }
    const message = isAppError(error) ? error.message : error instanceof Error ? error.message : String(error);
    io.stderr(`fieldmate: ${message.split('\n')[0]}\n`);
    return error instanceof AppError && error.code === 'CANCELLED' ? 130 : 1;
  } finally {
    const opened = core as Core | null;
    if (opened) await opened.close();
  }
}
