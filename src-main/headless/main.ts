import path from 'node:path';
import { createCore, type Core } from '../composition/create-core';
import { fileLogger } from '../core/logger';
import { appPaths, resolveDataDir } from '../core/paths';
import { readAppVersion } from '../core/version';
import { StoreDamaged, recoverStore } from '../db/open-store';
import { startHeadlessServer, type StoreRecoveryHost } from './server';

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
  const locale = process.env.FIELDMATE_LOCALE ?? Intl.DateTimeFormat().resolvedOptions().locale;
  const open = () => {
    const opened = createCore({
      paths,
      transport: 'headless',
      appVersion: readAppVersion(paths.appRoot),
      osLocale: locale,
      log,
      autoLoadModel: true,
      // FIELDMATE_FIRST_RUN=skip: no first-run guide (kiosk set-ups, and the browser tests of other pages).
      offerFirstRun: process.env.FIELDMATE_FIRST_RUN !== 'skip',
      // Tests point recommended models at a loopback server with their own catalog file.
      recommendedModelsFile: process.env.FIELDMATE_RECOMMENDED_MODELS ?? null,
    });
    // Periodic sync when configured; the password comes from FIELDMATE_SYNC_PASSWORD here.
    opened.sync({ start: true });
    return opened;
  };
  let source: Core | StoreRecoveryHost;
  try {
    source = open();
  } catch (error) {
    if (!(error instanceof StoreDamaged)) throw error;
    // A damaged store: serve a page offering the recovery choices instead of the app.
    source = {
      recovery: error.recovery,
      locale,
      recover: async (choice) => {
        recoverStore(paths.dbFile, choice, log);
        return open();
      },
    };
    process.stderr.write(`${error.message}\nOpen the URL below to restore the newest backup or start fresh.\n`);
  }
  const server = await startHeadlessServer(source, path.join(paths.appRoot, 'out', 'renderer'), port);
  log(`[headless] serving ${paths.dataDir} on port ${server.port}`);
  process.stdout.write(`Fieldmate headless host (data: ${paths.dataDir})\nOpen: ${server.url}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await server.core()?.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Fieldmate could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
