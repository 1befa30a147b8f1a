/** The layer aliases of tsconfig.base.json as a vite `resolve.alias` map (see layer-aliases.mjs). */
export function layerAliases(root: string): Record<string, string>;
