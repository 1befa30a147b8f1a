import { integer, text } from 'drizzle-orm/sqlite-core';

/**
 * Columns every synced table carries: a UUIDv7 text id (sortable by creation, unique across devices),
 * created/updated timestamps in epoch milliseconds and a soft-delete tombstone, so a delete can travel
 * to other devices like any other change.
 */
export const syncedColumns = () => ({
  id: text('id').primaryKey(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  deletedAt: integer('deleted_at'),
});
