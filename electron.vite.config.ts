import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { layerAliases } from './scripts/layer-aliases.mjs';

// The same @shared/@main/@renderer aliases as tsc and tsx, for every bundle (workers and children too).
const alias = layerAliases(resolve('.'));

// Three builds: the main process (plus the model child, the import worker and the re-score scanner, separate entries so
// they can run in their own process / thread), the sandboxed preload (one CommonJS file with zod
// bundled in, as sandboxed preloads cannot require node_modules), and the React renderer.
export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src-main/app/main.ts'),
          'spreadsheet-worker': resolve('src-main/pallets/reading/spreadsheet-worker.ts'),
          'rescore-worker': resolve('src-main/pallets/rescore/rescore-worker.ts'),
          // Pure path helpers of the packaged layout, built alone so `npm run package:check` runs them.
          'app-layout': resolve('src-main/shell/layout.ts'),
          'llm-child': resolve('src-main/llm/llm-child.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    resolve: { alias },
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('src-renderer/index.html') },
    },
  },
});
