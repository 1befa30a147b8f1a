import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { createPackageWithOptions } from '@electron/asar';
import { afterAll, describe, expect, it } from 'vitest';
import { ELECTRON_DEFAULT_FUSES, REQUIRED_FUSES, standInExecutable } from '../../scripts/package-check/fuses';
import { inspectPackage } from '../../scripts/package-check/inspect';
import { moduleReferences, outFolderPaths, pageReferences, workerEntryNames } from '../../scripts/package-check/references';
import { findAppRoot } from '@main/core/paths';

// Issue 13 item 12: the pieces of `npm run package:check` on a small packaged app made here, good and
// broken in each way the check exists for. The full check (electron-builder --dir on the real build)
// runs as `npm run package:check` in the test chain.
const root = findAppRoot(import.meta.dirname);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldmate-pkgcheck-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const llamaPlatform = `linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;

/** The real layout helper, compiled from src-main/shell/layout.ts as electron-vite would emit it. */
const layoutJs = ts.transpileModule(fs.readFileSync(path.join(root, 'src-main', 'shell', 'layout.ts'), 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;

type Files = Record<string, string>;
const goodApp = (): Files => ({
  'package.json': JSON.stringify({ name: 'fieldmate', main: 'out/main/index.js', type: 'module' }),
  'out/main/index.js': [
    'import path from "node:path";',
    'import { app } from "electron";',
    'import { z } from "zod";',
    'import { helper } from "./chunks/helper-1.js";',
    '/** @type {import("./not-a-real-file.js").X} */',
    'const rescore = workerEntry("rescore-worker", import.meta.url);',
    'const sheet = path.join(appRoot, "out", "main", "spreadsheet-worker.js");',
    'const later = () => import("./chunks/lazy-2.js");',
  ].join('\n'),
  'out/main/chunks/helper-1.js': 'export const helper = 1;',
  'out/main/chunks/lazy-2.js': 'export const lazy = 2;',
  'out/main/spreadsheet-worker.js': 'import { helper } from "./chunks/helper-1.js";',
  'out/main/rescore-worker.js': 'import { z } from "zod";',
  'out/main/llm-child.js': 'import { z } from "zod";',
  'out/main/app-layout.js': layoutJs,
  'out/preload/index.cjs': 'const { contextBridge } = require("electron");',
  'out/renderer/index.html': '<script type="module" src="./assets/index-1.js"></script><link rel="stylesheet" href="./assets/index-1.css"><a href="https://example.com/">x</a>',
  'out/renderer/assets/index-1.js': 'import { x } from "./chunk-2.js"; // see https://react-redux.js.org/',
  'out/renderer/assets/chunk-2.js': 'export const x = 1;',
  'out/renderer/assets/index-1.css': 'body { background: url(data:image/png;base64,AAAA); } @font-face { src: url(./font-3.woff2) }',
  'out/renderer/assets/font-3.woff2': 'font',
  'node_modules/zod/package.json': JSON.stringify({ name: 'zod', type: 'module', exports: './index.js' }),
  'node_modules/zod/index.js': 'export const z = {};',
  'node_modules/better-sqlite3/package.json': JSON.stringify({ name: 'better-sqlite3', main: 'lib/index.js' }),
  // A stand-in driver: the probe opens an in-memory database through whatever the package exports.
  'node_modules/better-sqlite3/lib/index.js': 'module.exports = class { prepare() { return { get: () => ({ v: "stand-in" }) }; } close() {} };',
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node': 'native',
  'node_modules/node-llama-cpp/package.json': JSON.stringify({ name: 'node-llama-cpp', type: 'module' }),
  [`node_modules/@node-llama-cpp/${llamaPlatform}/bins/${llamaPlatform}/llama-addon.node`]: 'native',
});

const UNPACK_DIRS = '{node_modules/better-sqlite3,node_modules/node-llama-cpp,node_modules/@node-llama-cpp}';
let counter = 0;

/** Packs `files` like electron-builder lays out an unpacked Linux app, and inspects it. */
async function check(files: Files, options: { unpackDir?: string; unpack?: string; fuses?: typeof ELECTRON_DEFAULT_FUSES; migrations?: boolean } = {}) {
  const base = path.join(scratch, `case-${++counter}`);
  const src = path.join(base, 'src');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, rel)), { recursive: true });
    fs.writeFileSync(path.join(src, rel), content);
  }
  const appOutDir = path.join(base, 'linux-unpacked');
  const resources = path.join(appOutDir, 'resources');
  fs.mkdirSync(resources, { recursive: true });
  await createPackageWithOptions(src, path.join(resources, 'app.asar'), { unpackDir: options.unpackDir ?? UNPACK_DIRS, unpack: options.unpack ?? '*.node' });
  if (options.migrations !== false) {
    fs.mkdirSync(path.join(resources, 'drizzle', 'meta'), { recursive: true });
    fs.writeFileSync(path.join(resources, 'drizzle', 'meta', '_journal.json'), JSON.stringify({ entries: [{ tag: '0000_init' }] }));
    fs.writeFileSync(path.join(resources, 'drizzle', '0000_init.sql'), 'select 1;');
  }
  fs.writeFileSync(path.join(appOutDir, 'fieldmate'), standInExecutable(options.fuses ?? { ...ELECTRON_DEFAULT_FUSES, ...REQUIRED_FUSES }), { mode: 0o755 });
  return inspectPackage(appOutDir, { scratchDir: path.join(base, 'view'), loadLlama: false });
}

const without = (files: Files, ...names: string[]): Files => Object.fromEntries(Object.entries(files).filter(([rel]) => !names.includes(rel)));

describe('package check', () => {
  it('passes a complete package and follows every run-time file', async () => {
    const report = await check(goodApp());
    expect(report.problems).toEqual([]);
    expect(report.modules.zod).toBe(path.join('node_modules', 'zod', 'index.js'));
    // 7 entries, 2 main chunks, the page's script, stylesheet, chunk and font.
    expect(report.checkedReferences).toBe(13);
  });

  it('finds a worker, a chunk, the child or a page asset that is not packaged', async () => {
    const report = await check(without(goodApp(), 'out/main/rescore-worker.js', 'out/main/chunks/lazy-2.js', 'out/main/llm-child.js', 'out/renderer/assets/font-3.woff2'));
    const text = report.problems.join('\n');
    expect(text).toMatch(/out\/main\/rescore-worker\.js is loaded at run time but is not in app\.asar/);
    expect(text).toMatch(/out\/main\/chunks\/lazy-2\.js is loaded/);
    expect(text).toMatch(/out\/main\/llm-child\.js is loaded/);
    expect(text).toMatch(/out\/renderer\/assets\/font-3\.woff2 is loaded/);
    expect(text).toMatch(/layout\.(rescoreWorker|llmChild)/);
  });

  it('finds a package the main bundle imports that is missing from the app', async () => {
    const report = await check(without(goodApp(), 'node_modules/zod/package.json', 'node_modules/zod/index.js'));
    expect(report.problems.join('\n')).toMatch(/zod does not load from the packaged app/);
  });

  it('finds native code packed inside app.asar', async () => {
    const report = await check(goodApp(), { unpackDir: 'nothing', unpack: 'nothing' });
    const text = report.problems.join('\n');
    expect(text).toMatch(/better_sqlite3\.node is packed inside app\.asar/);
    expect(text).toMatch(/node-llama-cpp has no unpacked binary/);
  });

  it('finds fuses left at Electron’s defaults, missing migrations and a missing layout helper', async () => {
    const report = await check(without(goodApp(), 'out/main/app-layout.js'), { fuses: ELECTRON_DEFAULT_FUSES, migrations: false });
    const text = report.problems.join('\n');
    expect(text).toMatch(/fuse runAsNode is on/);
    expect(text).toMatch(/_journal\.json is missing/);
    expect(text).toMatch(/app-layout\.js/);
  });

  it('refuses a page or preload that loads packages by name', async () => {
    const files = goodApp();
    files['out/renderer/assets/chunk-2.js'] = 'import React from "react"; export const x = 1;';
    files['out/preload/index.cjs'] = 'const { contextBridge } = require("electron"); const z = require("zod");';
    const text = (await check(files)).problems.join('\n');
    expect(text).toMatch(/chunk-2\.js loads the package react by name/);
    expect(text).toMatch(/index\.cjs loads the package zod by name/);
  });
});

describe('reference patterns', () => {
  it('reads imports with a lexer, so comments and strings do not count', () => {
    const refs = moduleReferences('import a from "./a.js";\n/** @type {import("./Machine.js").X} */\nconst s = "from \'react-redux\'";\nconst b = await import("pg");\nimport "node:fs";\nimport { app } from "electron";');
    expect(refs).toEqual({ relative: ['./a.js'], bare: ['pg'] });
    expect(moduleReferences('const e = require("electron"); const x = require("./x.cjs");', 'commonjs')).toEqual({ relative: ['./x.cjs'], bare: [] });
  });

  it('reads worker names, out/ paths and page assets', () => {
    expect(workerEntryNames('workerEntry("rescore-worker", import.meta.url); workerEntry(name, import.meta.url)')).toEqual(['rescore-worker']);
    expect(outFolderPaths('path.join(appRoot, "out", "main", "spreadsheet-worker.js")')).toEqual(['out/main/spreadsheet-worker.js']);
    expect(pageReferences('<script src="./assets/a.js?x"></script><link href="data:x"><a href="https://x.y/">')).toEqual(['./assets/a.js']);
  });
});
