import path from 'node:path';

/**
 * Where the desktop app finds what it loads at run time, from three facts Electron gives it: the
 * folder of the main bundle (out/main, inside app.asar once packaged), the app path (the asar itself
 * when packaged, the repo in development) and the resources folder. Pure and built as its own entry
 * (out/main/app-layout.js) so the package check (scripts/package-check.ts) calls this very code on the
 * packaged layout instead of trusting a copy of it. Used by src-main/app/main.ts.
 */
export interface LayoutInput {
  /** `import.meta.dirname` of the main entry (out/main/index.js): never a shared chunk's folder. */
  mainDir: string;
  appPath: string;
  resourcesPath: string;
  packaged: boolean;
}

export interface RuntimeLayout {
  rendererRoot: string;
  preload: string;
  llmChild: string;
  spreadsheetWorker: string;
  rescoreWorker: string;
  migrationsDir: string;
}

export function runtimeLayout(input: LayoutInput): RuntimeLayout {
  const outDir = path.join(input.mainDir, '..');
  return {
    rendererRoot: path.join(outDir, 'renderer'),
    preload: path.join(outDir, 'preload', 'index.cjs'),
    llmChild: path.join(input.mainDir, 'llm-child.js'),
    // The same paths the core computes (palletWorkerEntry from the app path, workerEntry beside the bundle).
    spreadsheetWorker: path.join(input.appPath, 'out', 'main', 'spreadsheet-worker.js'),
    rescoreWorker: path.join(input.mainDir, 'rescore-worker.js'),
    // Migrations are extraResources: plain files beside app.asar, not inside it.
    migrationsDir: input.packaged ? path.join(input.resourcesPath, 'drizzle') : path.join(input.appPath, 'drizzle'),
  };
}
