import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { layerAliases } from './scripts/layer-aliases.mjs';

// Two projects: fast unit/integration tests (real SQLite, real child processes) and the browser
// end-to-end tests, which drive Debian's Chromium against the headless host and must run serially.
export default defineConfig({
  resolve: { alias: layerAliases(fileURLToPath(new URL('.', import.meta.url))) },
  test: {
    projects: [
      {
        // Each project takes the root config (the layer aliases) and adds its own test settings.
        extends: true,
        test: {
          name: 'unit',
          include: ['src-*/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Waiting for work to finish is not a speed check: on a loaded 2-core CI machine allow time.
          expect: { poll: { timeout: 15_000 } },
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          expect: { poll: { timeout: 30_000 } },
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
