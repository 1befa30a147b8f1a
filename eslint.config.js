import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layer rules: where code runs decides what it may import.
//  - src-shared: pure (no Node built-in, no electron, no DOM) — runs in main, renderer and workers.
//  - src-renderer: never imports src-main, a Node built-in or electron.
//  - src-main: `electron` (and every `electron/...` subpath) only in the thin glue (src-main/app/**,
//    src-main/preload/**); nothing outside src-main/app imports src-main/app (the core runs without a window).
// Each rule is shown failing on a violation by test/layers/layer-rules.test.ts.

// Every Node built-in, bare and with `node:` (prefix-only modules such as node:sqlite are listed with it).
const nodeBuiltins = [...new Set(builtinModules.flatMap((name) => (name.startsWith('node:') ? [name] : [name, `node:${name}`])))];
const electronImport = { regex: '^electron(/.*)?$' };
const mainAppImport = { regex: '^(@main/app|(\\.\\.?/)+app|.*/src-main/app)(/.*)?$' };
const mainImport = { regex: '^(@main(/.*)?|.*src-main(/.*)?)$' };
const rendererImport = { regex: '^(@renderer(/.*)?|.*src-renderer(/.*)?)$' };
// Another layer, or anything two folders up, through its alias (scripts/rewrite-deep-imports.mjs).
// Test helpers, scripts and benchmarks have no alias: co-located tests still reach them relatively.
const deepImport = {
  regex: '^(\\.\\./){2,}(?!\\.\\./|test/|scripts/|bench/)|^(\\.\\./)+src-(shared|main|renderer)/',
  message: 'Import through the layer alias (@shared/…, @main/…, @renderer/…) instead of climbing ../../ or into another layer.',
};
// Feature folders (prefix = contract file = folder): one feature reaches another only through its
// index.ts (or a port in its context), never its internal files. Tests may reach in for fixtures.
// A feature is a src-main folder with an index.ts (the preload's index.ts is the preload script).
const features = fs.readdirSync('src-main', { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'preload' && fs.existsSync(path.join('src-main', d.name, 'index.ts')))
  .map((d) => d.name);
const featureInternalImport = {
  regex: `^((\\.\\./)+|@main/)(${features.join('|')})/(?!index$).+$`,
  message: "Import another feature through its index.ts ('../<feature>'), never its internal files.",
};

const noNodeOrElectron = (message, otherLayers) => ({
  paths: nodeBuiltins.map((name) => ({ name, message })),
  patterns: [{ ...electronImport, message }, deepImport, ...otherLayers],
});

export default tseslint.config(
  { ignores: ['.scratch/**', '.tmp/**', 'out/**', 'dist/**', 'node_modules/**', 'bench-results/**', 'test-results/**', 'drizzle/**', 'models/**', 'release/**', 'test/layers/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [deepImport] }],
    },
  },
  {
    // `declare var` is how a declaration file puts a global on globalThis.
    files: ['**/*.d.ts', '**/*.d.mts'],
    rules: { 'no-var': 'off' },
  },
  {
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', noNodeOrElectron('src-shared is pure: no Node or Electron imports.', [
        { ...mainImport, message: 'src-shared imports nothing from other layers.' },
        { ...rendererImport, message: 'src-shared imports nothing from other layers.' },
      ])],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', noNodeOrElectron('The renderer has no Node or Electron access; use the API client.', [
        { ...mainImport, message: 'The renderer never imports src-main; go through the IPC contract.' },
      ])],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**', 'src-main/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { ...electronImport, message: 'Only the thin glue in src-main/app and src-main/preload may import electron.' },
          { ...mainAppImport, message: 'Only src-main/app imports src-main/app: the core runs without Electron (headless host, CLI, tests).' },
          { ...rendererImport, message: 'Main never imports renderer code.' },
          deepImport,
          featureInternalImport,
        ],
      }],
    },
  },
  {
    files: ['src-main/**/*.test.ts', 'src-main/**/*.testkit.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { ...electronImport, message: 'Only the thin glue in src-main/app and src-main/preload may import electron.' },
          { ...mainAppImport, message: 'Only src-main/app imports src-main/app: the core runs without Electron (headless host, CLI, tests).' },
          { ...rendererImport, message: 'Main never imports renderer code.' },
          deepImport,
        ],
      }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ ...mainAppImport, message: 'Only src-main/app imports src-main/app: test the core through its features, the app glue beside it.' }, deepImport],
      }],
    },
  },
  {
    files: ['src-main/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { ...mainAppImport, message: 'The preload runs in the renderer process: it cannot import the main process glue.' },
          { ...rendererImport, message: 'Main never imports renderer code.' },
          deepImport,
        ],
      }],
    },
  },
);
