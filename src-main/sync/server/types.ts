/** Column types the server mirrors use (SQLite text / integer / real / boolean-mode integer). */
export type ServerColumnType = 'text' | 'bigint' | 'double precision' | 'boolean';
export type ServerColumn = readonly [name: string, type: ServerColumnType];
/** Data columns (without `id`) per synced table, in COPY order. */
export type ServerTables = Readonly<Record<string, readonly ServerColumn[]>>;

/** The roles `server setup` creates (cluster-wide, shared by every database of the cluster). */
export const OWNER_ROLE = 'fieldmate_owner';
export const USER_ROLE = 'fieldmate_user';
export const SCHEMA = 'fieldmate';

/** SQLSTATEs raised by the server functions (class FM is ours). */
export const SQLSTATE_VERSION = 'FM001';
export const SQLSTATE_NOT_A_USER = 'FM002';
export const SQLSTATE_BAD_REQUEST = 'FM003';
/** The device id was registered by another login (a teammate's or a copied store). */
export const SQLSTATE_DEVICE_TAKEN = 'FM004';

/** Internal columns every mirror carries besides the data columns. */
export const INTERNAL_COLUMNS = ['team_id', 'id', '_base_hlc', '_hlc', '_sole_device', '_xid'] as const;
