#!/usr/bin/env node
// Rewrites relative imports that leave their layer or climb two or more folders (`../../`) to the
// layer aliases of tsconfig.base.json (@shared/*, @main/*, @renderer/*), in .ts/.tsx files under
// src-shared, src-main, src-renderer, test, bench and scripts. Imports that stay close (`./x`, `../x`
// inside the same layer) are left alone, and so are deep imports with no alias to go to (inside test/).
//
//   node scripts/rewrite-deep-imports.mjs            rewrite in place, list what changed
//   node scripts/rewrite-deep-imports.mjs --dry-run  list only
//   node scripts/rewrite-deep-imports.mjs --check    list only, exit 1 when anything would change
//
// No dependencies: module specifiers are found with one regular expression over the source text
// (static and dynamic imports, re-exports, `import type`, `typeof import()`, vi.mock/importActual).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerAliases } from './layer-aliases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOTS = ['src-shared', 'src-main', 'src-renderer', 'test', 'bench', 'scripts'];
const SKIP = new Set(['node_modules', 'out', 'dist', 'fixtures', '.scratch']);

// alias prefix → absolute folder, longest folder first so the most specific alias wins.
const aliases = Object.entries(layerAliases(root)).sort((a, b) => b[1].length - a[1].length);

// `from '…'`, `import '…'`, `import('…')`, `require('…')`, `vi.mock('…')`, `vi.importActual('…')`, and the
// `>('…')` closing `vi.importActual<typeof import('…')>('…')` (its inner import() is found on its own).
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bvi\.(?:mock|doMock|unmock|importActual|importMock)\s*\(\s*|(?<=\bvi\.(?:importActual|importMock)\s*<[^\n]*)>\s*\(\s*)(['"])(\.\.?\/[^'"\n]*)\2/g;

function layerOf(file) {
  for (const [alias, folder] of aliases) {
    if (file === folder || file.startsWith(folder + path.sep)) return alias;
  }
  return null;
}

function aliasFor(fromFile, specifier) {
  const target = path.resolve(path.dirname(fromFile), specifier);
  const targetLayer = layerOf(target);
  if (!targetLayer) return null;
  const climbsTwo = specifier.startsWith('../../');
  if (!climbsTwo && layerOf(fromFile) === targetLayer) return null;
  const folder = aliases.find(([alias]) => alias === targetLayer)[1];
  const rest = path.relative(folder, target).split(path.sep).join('/');
  // `@shared` alone is not an alias (only `@shared/…` is): leave such an import for a person to fix.
  return rest === '' ? null : `${targetLayer}/${rest}`;
}

export function rewriteSource(file, source) {
  const changes = [];
  const text = source.replace(SPECIFIER, (whole, lead, quote, specifier) => {
    const replacement = aliasFor(file, specifier);
    if (!replacement) return whole;
    changes.push({ from: specifier, to: replacement });
    return `${lead}${quote}${replacement}${quote}`;
  });
  return { text, changes };
}

function* sourceFiles(folder) {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) yield* sourceFiles(full);
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && statSync(full).isFile()) {
      yield full;
    }
  }
}

function main() {
  const dryRun = process.argv.includes('--dry-run') || process.argv.includes('--check');
  let files = 0;
  let imports = 0;
  for (const top of ROOTS) {
    for (const file of sourceFiles(path.join(root, top))) {
      const source = readFileSync(file, 'utf8');
      const { text, changes } = rewriteSource(file, source);
      if (changes.length === 0) continue;
      files += 1;
      imports += changes.length;
      console.log(`${path.relative(root, file)}: ${changes.map((c) => `${c.from} → ${c.to}`).join(', ')}`);
      if (!dryRun) writeFileSync(file, text);
    }
  }
  const verb = dryRun ? 'would rewrite' : 'rewrote';
  console.log(`rewrite-deep-imports: ${verb} ${imports} import(s) in ${files} file(s).`);
  if (process.argv.includes('--check') && imports > 0) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
