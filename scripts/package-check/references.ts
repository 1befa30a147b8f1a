import { builtinModules } from 'node:module';
import path from 'node:path';
import { initSync, parse } from 'es-module-lexer';

/**
 * What built files load, read from their text: ES module imports (static and dynamic) with a real
 * lexer, so comments and strings (JSDoc `import('./x.js')` types, URLs) never count; `require("x")`
 * calls of CommonJS files (the sandboxed preload) with a pattern.
 */
export interface ModuleReferences {
  relative: string[];
  bare: string[];
}

initSync();
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w.@/-]*)?$/i;
const REQUIRE = /\brequire\(\s*["']([^"'\n]+)["']\s*\)/g;
const builtins = new Set(builtinModules);

/** Runtime-provided modules: Node's builtins and `electron` (the runtime itself, never packaged). */
export function isRuntimeModule(specifier: string): boolean {
  return specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0] ?? '') || specifier === 'electron' || specifier.startsWith('electron/');
}

export function moduleReferences(source: string, kind: 'module' | 'commonjs' = 'module'): ModuleReferences {
  const specifiers = kind === 'module' ? parse(source)[0].map((entry) => entry.n).filter((n): n is string => typeof n === 'string') : [...source.matchAll(REQUIRE)].map((m) => m[1] ?? '');
  const relative = new Set<string>();
  const bare = new Set<string>();
  for (const specifier of specifiers) {
    if (specifier.startsWith('./') || specifier.startsWith('../')) relative.add(specifier);
    else if (PACKAGE_NAME.test(specifier) && !isRuntimeModule(specifier)) bare.add(specifier);
  }
  return { relative: [...relative], bare: [...bare] };
}

/** `workerEntry("name", import.meta.url)`: the worker file is `name.js` beside the file that says so. */
export function workerEntryNames(source: string): string[] {
  return [...source.matchAll(/\bworkerEntry\(\s*["']([\w.-]+)["']\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1] ?? '');
}

/** `path.join(root, "out", "main", "file.js")` and the like: paths under out/ computed from the app folder. */
export function outFolderPaths(source: string): string[] {
  return [...source.matchAll(/["']out["']\s*,\s*["'](main|preload|renderer)["']\s*,\s*["']([\w.-]+\.(?:c?js|mjs|html))["']/g)].map((m) => `out/${m[1]}/${m[2]}`);
}

/** Files a built page loads (script src, link href), relative to the page; remote and data: URLs excluded. */
export function pageReferences(html: string): string[] {
  const found = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"'#?]+)[^"']*["']/g)].map((m) => m[1] ?? '');
  return found.filter((ref) => ref !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('//'));
}

/** url(...) references of a stylesheet, relative to it; data: and remote URLs excluded. */
export function stylesheetReferences(css: string): string[] {
  const found = [...css.matchAll(/url\(\s*["']?([^"')?#]+)[^)]*\)/g)].map((m) => (m[1] ?? '').trim());
  return found.filter((ref) => ref !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(ref) && !ref.startsWith('//'));
}

/**
 * A reference made by `fromFile` (posix, archive-relative), as an archive-relative posix path; a
 * reference starting with `/` is relative to `siteRoot` (the renderer folder, app://fieldmate/).
 */
export function resolveWithin(fromFile: string, reference: string, siteRoot = ''): string {
  const base = reference.startsWith('/') ? siteRoot : path.posix.dirname(fromFile);
  return path.posix.normalize(path.posix.join(base, reference)).replace(/^\/+/, '');
}
