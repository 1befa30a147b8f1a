/** Quoting and shared SQL fragments of the server schema generators. */
export const qi = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const ql = (value: string): string => `'${value.replaceAll("'", "''")}'`;

export const C = 'COLLATE "C"';
/** A clock further ahead of the server than this is refused: one broken device clock would otherwise win every edit. */
export const MAX_AHEAD_MS = 24 * 60 * 60 * 1000;
export const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';
