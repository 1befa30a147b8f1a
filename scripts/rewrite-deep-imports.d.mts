/** One file's text with its deep relative imports turned into layer aliases (see rewrite-deep-imports.mjs). */
export function rewriteSource(file: string, source: string): { text: string; changes: { from: string; to: string }[] };
