import type { ServerTables } from './types';

/**
 * The synced tables as the server's schema version 1 created them: a frozen copy, not derived from the
 * drizzle schema, because a shipped migration must never change. A later local column needs a new
 * server migration (see migrations.ts); `test/sync/server-schema.test.ts` fails until it exists.
 * The `id` column is implicit (every mirror has it); the order here is the COPY column order.
 */
export const TABLES_V1: ServerTables = {
  leads: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['name', 'text'], ['company', 'text'],
    ['email', 'text'], ['phone', 'text'], ['notes', 'text'], ['language', 'text'],
  ],
  coaching_sessions: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['lead_id', 'text'], ['mode', 'text'],
    ['title', 'text'], ['archetype', 'text'], ['language', 'text'], ['scorecard_json', 'text'], ['ended_at', 'bigint'],
  ],
  messages: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['session_id', 'text'], ['role', 'text'],
    ['content', 'text'], ['source', 'text'], ['seq', 'bigint'],
  ],
  client_profiles: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['lead_id', 'text'], ['session_id', 'text'],
    ['analysis_json', 'text'], ['archetype', 'text'], ['source', 'text'],
  ],
  suggestions: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['session_id', 'text'], ['message_id', 'text'],
    ['kind', 'text'], ['text', 'text'], ['knowledge_ids_json', 'text'], ['source', 'text'],
  ],
  feedback: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['suggestion_id', 'text'], ['knowledge_id', 'text'],
    ['rating', 'bigint'], ['comment', 'text'],
  ],
  knowledge_entries: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['kind', 'text'], ['key', 'text'],
    ['language', 'text'], ['title', 'text'], ['body', 'text'], ['archetype', 'text'], ['category', 'text'], ['tags_json', 'text'],
    ['origin', 'text'],
  ],
  analyses: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['name', 'text'], ['supplier', 'text'],
    ['source_file', 'text'], ['sheet_name', 'text'], ['content_hash', 'text'], ['header_row', 'bigint'], ['mapping_json', 'text'],
    ['pallet_price', 'double precision'], ['currency', 'text'], ['line_count', 'bigint'], ['status', 'text'],
  ],
  pallet_items: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['analysis_id', 'text'], ['source_row', 'bigint'],
    ['pallet_id', 'text'], ['name', 'text'], ['category', 'text'], ['brand', 'text'], ['ean', 'text'], ['sku', 'text'],
    ['quantity', 'bigint'], ['price_net', 'double precision'], ['price_gross', 'double precision'],
    ['retail_price', 'double precision'], ['currency', 'text'], ['condition', 'text'], ['score', 'bigint'], ['status', 'text'],
    ['data_json', 'text'],
  ],
  rules: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['name', 'text'], ['type', 'text'],
    ['action', 'text'], ['weight', 'bigint'], ['condition_json', 'text'], ['enabled', 'boolean'], ['template_key', 'text'],
  ],
  column_mappings: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['supplier', 'text'],
    ['header_signature', 'text'], ['mapping_json', 'text'],
  ],
};
