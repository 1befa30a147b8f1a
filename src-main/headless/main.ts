import path from 'node:path';
import { createCore } from '../core/create-core';
import { fileLogger } from '../core/logger';
import { appPaths, resolveDataDir } from '../core/paths';
import { readAppVersion } from '../core/version';
import { attachSync } from '../sync/sync-handlers';
import { startHeadlessServer } from './server';

/**
 * `npm run headless`: the same core as the desktop app in a plain Node process, serving the built
 * renderer to any browser on this machine. Prints the URL (with its one-run token) on stdout.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const portFlag = argv.indexOf('--port');
  const port = portFlag >= 0 ? Number(argv[portFlag + 1]) : Number(process.env.FIELDMATE_PORT ?? 0);
  const paths = appPaths(resolveDataDir(argv));
  const log = fileLogger(paths.logFile, process.env.FIELDMATE_LOG_ECHO === '1');
  const core = createCore({
    paths,
    transport: 'headless',
    appVersion: readAppVersion(paths.appRoot),
    osLocale: process.env.FIELDMATE_LOCALE ?? Intl.DateTimeFormat().resolvedOptions().locale,
    log,
  });
  // Periodic sync when configured; the password comes from FIELDMATE_SYNC_PASSWORD here.
  attachSync(core, { start: true });
  const server = await startHeadlessServer(core, path.join(paths.appRoot, 'out', 'renderer'), port);
  log(`[headless] serving ${paths.dataDir} on port ${server.port}`);
  process.stdout.write(`Fieldmate headless host (data: ${paths.dataDir})\nOpen: ${server.url}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Fieldmate could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
