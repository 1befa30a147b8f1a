import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layer rules: where code runs decides what it may import.
//  - src-shared: pure (no node:, no electron, no DOM) — runs in main, renderer and workers.
//  - src-renderer: never imports src-main, node: or electron.
//  - src-main: `electron` only in the thin glue (src-main/app/**, src-main/preload/**).
const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'worker_threads', 'stream', 'zlib', 'events', 'util'];

export default tseslint.config(
  { ignores: ['.scratch/**', '.tmp/**', 'out/**', 'dist/**', 'node_modules/**', 'bench-results/**', 'test-results/**', 'drizzle/**', 'models/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', ...nodeBuiltins].map((name) => ({ name, message: 'src-shared is pure: no Node or Electron imports.' })),
        patterns: [
          { group: ['node:*'], message: 'src-shared is pure: no node: imports.' },
          { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports nothing from other layers.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', ...nodeBuiltins].map((name) => ({ name, message: 'The renderer has no Node or Electron access; use the API client.' })),
        patterns: [
          { group: ['node:*'], message: 'The renderer has no Node access.' },
          { group: ['**/src-main/**', '../src-main/*'], message: 'The renderer never imports src-main; go through the IPC contract.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**', 'src-main/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only the thin glue in src-main/app and src-main/preload may import electron.' }],
        patterns: [{ group: ['**/src-renderer/**'], message: 'Main never imports renderer code.' }],
      }],
    },
  },
);
