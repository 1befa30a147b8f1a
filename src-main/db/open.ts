import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Opens the store with the pragmas the app relies on: WAL (readers never block the writer),
 * foreign keys enforced, a busy timeout so a concurrent CLI does not fail at once, and NORMAL
 * synchronous mode (durable across app crashes under WAL, much faster than FULL).
 */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  const client = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) client.pragma('journal_mode = WAL');
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  client.pragma('synchronous = NORMAL');
  return drizzle(client, { schema });
}

export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}
