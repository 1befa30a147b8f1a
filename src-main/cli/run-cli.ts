import { parseArgs } from 'node:util';
import { AppError, isAppError } from '@shared/contract/errors';
import { createCore, type Core } from '../composition/create-core';
import { fileLogger } from '../core/logger';
import { appPaths, resolveDataDir } from '../core/paths';
import { readAppVersion } from '../core/version';
import { StoreDamaged } from '../db/open-store';
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
  return ['usage: fieldmate [--data-dir <dir>] [--json] <command> (global options may also follow the command)', '', ...table.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`])].join('\n');
}

interface GlobalOptions {
  json: boolean;
  help: boolean;
  dataDir: string | null;
  /** Everything else, in order: the command words, its positionals and its own options. */
  rest: string[];
}

/**
 * Takes the global options (--json, --help, --data-dir DIR or --data-dir=DIR) out of the arguments
 * wherever they stand, so `--data-dir /tmp/x info` and `info --data-dir /tmp/x` mean the same. After
 * `--` everything is a positional.
 */
export function splitGlobalOptions(argv: readonly string[]): GlobalOptions {
  const out: GlobalOptions = { json: false, help: false, dataDir: null, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--json') out.json = true;
    else if (arg === '--help' || arg === '-h') out.help = true;
    else if (arg.startsWith('--data-dir=')) out.dataDir = arg.slice('--data-dir='.length);
    else if (arg === '--data-dir') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError('--data-dir needs a folder');
      out.dataDir = value;
      i++;
    } else out.rest.push(arg);
  }
  if (out.dataDir === '') throw new UsageError('--data-dir needs a folder');
  return out;
}

/** The command words are the arguments before the first option or `--`. */
function leadingWords(rest: readonly string[]): string[] {
  const end = rest.findIndex((a) => a.startsWith('-'));
  return end < 0 ? [...rest] : rest.slice(0, end);
}

/**
 * Runs one CLI invocation and returns the exit code: 0 success, 1 failure, 2 usage error. Errors are
 * one line on stderr; `--json` results are one JSON document on stdout.
 */
export async function runCli(argv: string[], table: CliCommand[], io: CliIo, signal = new AbortController().signal): Promise<number> {
  let globals: GlobalOptions;
  try {
    globals = splitGlobalOptions(argv);
  } catch (error) {
    io.stderr(`fieldmate: ${error instanceof Error ? error.message : String(error)} (try --help)\n`);
    return 2;
  }
  const words = leadingWords(globals.rest);
  if (argv.length === 0 || globals.help || words[0] === 'help') {
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
    const parsed = parseArgs({ args: globals.rest, allowPositionals: true, strict: true, options: { ...command.options } });
    const positionals = parsed.positionals.slice(command.path.length);
    const json = globals.json;
    const dataDir = resolveDataDir(globals.dataDir === null ? [] : ['--data-dir', globals.dataDir]);
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
    // A damaged store: say which commands recover it (the app offers the same choices in its window).
    const hint = error instanceof StoreDamaged ? ` Run "fieldmate db restore --newest" or "fieldmate db restore --fresh" (see "fieldmate db check").` : '';
    io.stderr(`fieldmate: ${message.split('\n')[0]}${hint}\n`);
    return error instanceof AppError && error.code === 'CANCELLED' ? 130 : 1;
  } finally {
    const opened = core as Core | null;
    if (opened) await opened.close();
  }
}
