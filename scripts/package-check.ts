/**
 * `npm run package:check`: builds the unpacked desktop app from out/ (run `npm run build` first) with
 * a stand-in Electron runtime, then proves from its app.asar that everything the app loads at run time
 * is packaged, that native code is unpacked, that the built layout helper's paths exist and that the
 * fuses are flipped. Exit 0 when all holds; otherwise one line per problem and exit 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findAppRoot } from '@main/core/paths';
import { buildUnpackedApp, installedElectronVersion, makeStandInElectron } from './package-check/build-unpacked';
import { inspectPackage } from './package-check/inspect';

async function main(): Promise<number> {
  const root = findAppRoot(import.meta.dirname);
  if (!fs.existsSync(path.join(root, 'out', 'main', 'index.js'))) {
    process.stderr.write('package:check needs the built app: run `npm run build` first.\n');
    return 1;
  }
  const keep = process.argv.includes('--keep');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldmate-package-'));
  const started = performance.now();
  try {
    const electronDist = makeStandInElectron(path.join(scratch, 'electron-dist'), installedElectronVersion(root));
    const appOutDir = await buildUnpackedApp(root, electronDist, path.join(scratch, 'release'));
    const built = performance.now();
    const report = inspectPackage(appOutDir, { scratchDir: path.join(scratch, 'view') });
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    process.stdout.write(
      `package:check: ${report.files} files in app.asar (${report.unpackedFiles} unpacked), ${report.checkedReferences} run-time files followed, ` +
        `${Object.keys(report.modules).length} packages loaded from the app; fuses ${JSON.stringify(report.fuses)}; build ${seconds(built - started)} s, check ${seconds(performance.now() - built)} s\n`,
    );
    if (keep) process.stdout.write(`package:check: kept ${scratch}\n`);
    for (const problem of report.problems) process.stderr.write(`package:check: ${problem}\n`);
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    if (!keep) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`package:check failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
