// Runs under plain Node inside a copy of the packaged app (copied there as out/main/package-probe.mjs),
// so every import resolves the way the built main bundle's imports resolve: from the app's own
// node_modules and nowhere else. Prints one JSON object on stdout.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const appRoot = path.resolve(input.appRoot);
const inside = (file) => file === appRoot || file.startsWith(appRoot + path.sep);
const result = { modules: {}, failures: [], sqlite: null, llama: null, checkpointerDriver: null };

for (const specifier of input.specifiers) {
  try {
    const file = fileURLToPath(import.meta.resolve(specifier));
    if (!inside(file)) throw new Error(`resolves outside the app: ${file}`);
    if (!fs.existsSync(file)) throw new Error(`resolves to a missing file: ${file}`);
    result.modules[specifier] = path.relative(appRoot, file);
    // Loading proves the package's own dependencies are there too; electron-log/main needs the
    // Electron runtime itself, which only the real app has.
    if (!input.resolveOnly.includes(specifier)) await import(specifier);
  } catch (error) {
    result.failures.push({ specifier, message: String(error instanceof Error ? error.message : error).split('\n')[0] });
  }
}

// The checkpointer thread requires better-sqlite3 by the path the main bundle resolves (CommonJS).
try {
  const require = createRequire(path.join(appRoot, 'out', 'main', 'index.js'));
  const driver = require.resolve('better-sqlite3');
  if (!inside(driver)) throw new Error(`resolves outside the app: ${driver}`);
  result.checkpointerDriver = path.relative(appRoot, driver);
  const Database = require(driver);
  const db = new Database(':memory:');
  result.sqlite = db.prepare('select sqlite_version() as v').get().v;
  db.close();
} catch (error) {
  result.failures.push({ specifier: 'better-sqlite3 (native)', message: String(error instanceof Error ? error.message : error).split('\n')[0] });
}

// node-llama-cpp's prebuilt binary for this machine, loaded the way the model child loads it.
if (input.loadLlama) {
  try {
    const { getLlama } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never', usePrebuiltBinaries: true, skipDownload: true, progressLogs: false, maxThreads: 1 });
    result.llama = llama.buildType ?? 'loaded';
    await llama.dispose();
  } catch (error) {
    result.failures.push({ specifier: 'node-llama-cpp (native)', message: String(error instanceof Error ? error.message : error).split('\n')[0] });
  }
}

process.stdout.write(`${JSON.stringify(result)}\n`);
