import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One import alias per layer (`@shared/*`, `@main/*`, `@renderer/*`), declared once in
 * tsconfig.base.json's `paths`: tsc and tsx (which reads tsconfig.json, also in worker threads and
 * forked children started with `--import tsx`) use it from there; vite, electron-vite and vitest get
 * the same map from this function, so the four cannot drift apart. Plain JavaScript so that the
 * configs can import it with its extension (Vite's native config loader wants one).
 *
 * @param {string} root the repository folder
 * @returns {Record<string, string>} alias prefix → absolute folder
 */
export function layerAliases(root) {
  const config = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  const aliases = {};
  for (const [pattern, [target]] of Object.entries(config.compilerOptions.paths)) {
    if (!pattern.endsWith('/*') || !target?.endsWith('/*')) {
      throw new Error(`tsconfig.base.json: the alias ${pattern} must map a folder ("@x/*": ["./folder/*"])`);
    }
    aliases[pattern.slice(0, -2)] = path.resolve(root, target.slice(0, -2));
  }
  return aliases;
}
