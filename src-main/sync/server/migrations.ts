import { addColumnsSql, initialSchemaSql } from './sql';
import { TABLES_V1 } from './tables-v1';
import { SQLSTATE_DEVICE_TAKEN, type ServerColumn, type ServerTables } from './types';

/**
 * Versioned server migrations, applied in order by `fieldmate server setup` (each once, recorded with a
 * checksum in `fieldmate.schema_migrations`). Never edit a shipped entry: append one.
 *
 * Adding a local column to a synced table (a drizzle migration) needs a server migration too, e.g.
 *   { version: 3, name: 'leads-status', columns: { leads: [['status', 'text']] },
 *     sql: (all) => addColumnsSql({ leads: [['status', 'text']] }, all, 11) }
 * (11 = the number of tables so far, the ordinal a new table would get).
 * `addColumnsSql` (sql.ts) alters the mirror, registers the columns and regenerates that table's merge
 * functions from the cumulative list. The client and the server must then be on the same version:
 * a mismatched client refuses to sync and touches nothing.
 */
export interface ServerMigration {
  version: number;
  name: string;
  /** Tables/columns this migration adds (the cumulative list is what the client checks against). */
  columns: ServerTables;
  /** SQL run as the owner role in one transaction; `all` is the cumulative table list after it. */
  sql(all: ServerTables): string;
}

/** Version 2: a pallet line's fired / blocking rule keys as columns (local drizzle/0006). */
const PALLET_RULE_COLUMNS: ServerTables = { pallet_items: [['fired_rules', 'text'], ['blocking_rules', 'text']] };

/**
 * Lines pushed before version 2 carry their keys in data_json ('$.f', '$.b'): copy them into the new
 * columns, as each device's drizzle/0006 does from the same data_json text (so a device that joins later
 * pulls the same values). As the table's owner, with row-level security not forced for the statement;
 * a data_json that is not JSON yields no keys instead of failing the setup. `_xid` is left alone: every
 * device already derives the same values itself, nothing needs pulling again.
 */
const BACKFILL_PALLET_RULES_SQL = `
CREATE FUNCTION pg_temp.fm_legacy_key(p_json text, p_key text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  RETURN p_json::jsonb ->> p_key;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $fn$;
ALTER TABLE fieldmate.pallet_items NO FORCE ROW LEVEL SECURITY;
UPDATE fieldmate.pallet_items
  SET fired_rules = pg_temp.fm_legacy_key(data_json, 'f'), blocking_rules = pg_temp.fm_legacy_key(data_json, 'b')
  WHERE data_json LIKE '%"f":"%' OR data_json LIKE '%"b":"%';
ALTER TABLE fieldmate.pallet_items FORCE ROW LEVEL SECURITY;
DROP FUNCTION pg_temp.fm_legacy_key(text, text);
`;

/**
 * Version 3: a device id belongs to the login that registered it. The push position of a device decides
 * which of its changes the server treats as applied (and the device then drops from its outbox), so a
 * teammate pushing under another device's id could make that device lose its later changes. Rows
 * registered before this version carry the login that first pushed (migration 1 stored session_user).
 */
const DEVICE_LOGIN_SQL = `
CREATE OR REPLACE FUNCTION fieldmate._device_position(p_team text, p_device text, OUT last_seq bigint, OUT last_sub bigint)
LANGUAGE plpgsql SET search_path = fieldmate, pg_temp AS $fn$
DECLARE v_role text;
BEGIN
  PERFORM fieldmate._check_device(p_device);
  INSERT INTO fieldmate.devices (team_id, device_id, role_name) VALUES (p_team, p_device, session_user)
    ON CONFLICT (team_id, device_id) DO NOTHING;
  SELECT d.last_seq, d.last_sub, d.role_name INTO last_seq, last_sub, v_role FROM fieldmate.devices d
    WHERE d.team_id = p_team AND d.device_id = p_device FOR UPDATE;
  IF v_role IS DISTINCT FROM session_user::text THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_DEVICE_TAKEN}',
      MESSAGE = format('The device id %s is registered to another sync user.', p_device);
  END IF;
END $fn$;
REVOKE ALL ON FUNCTION fieldmate._device_position(text, text) FROM PUBLIC;
`;

/** Version 4 (local drizzle/0011): knowledge facts, a session's archetype evidence, the archetype history table. */
const COACH_ARCHETYPE_COLUMNS: ServerTables = {
  knowledge_entries: [['facts_json', 'text']],
  coaching_sessions: [['archetype_evidence_json', 'text']],
  lead_archetypes: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['lead_id', 'text'], ['session_id', 'text'],
    ['archetype', 'text'], ['previous_archetype', 'text'], ['confidence', 'text'], ['evidence_json', 'text'],
  ],
};

/** Version 5 (local drizzle/0012): line corrections (accepted model suggestions for pallet lines), a new table. */
const PALLET_LINE_CORRECTION_COLUMNS: ServerTables = {
  pallet_line_corrections: [
    ['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint'], ['analysis_id', 'text'], ['line_id', 'text'],
    ['name', 'text'], ['category', 'text'], ['brand', 'text'], ['model', 'text'], ['original_json', 'text'], ['source', 'text'],
  ],
};

/** Version 6 (local drizzle/0013): the pipeline — lead stage, deal, next step; follow-up sequences and steps; outcomes. */
const SYNCED = [['created_at', 'bigint'], ['updated_at', 'bigint'], ['deleted_at', 'bigint']] as const satisfies readonly ServerColumn[];
const PIPELINE_COLUMNS: ServerTables = {
  knowledge_entries: [['author', 'text']],
  leads: [
    ['stage', 'text'], ['lost_reason', 'text'], ['deal_value', 'double precision'], ['currency', 'text'], ['source', 'text'], ['tags_json', 'text'],
    ['owner', 'text'], ['next_step', 'text'], ['next_step_due', 'bigint'], ['next_step_snoozed_until', 'bigint'], ['next_step_done_at', 'bigint'],
  ],
  followup_sequences: [
    ...SYNCED, ['lead_id', 'text'], ['template_key', 'text'], ['language', 'text'], ['archetype', 'text'], ['status', 'text'],
    ['started_at', 'bigint'], ['replied_at', 'bigint'], ['reply_text', 'text'],
  ],
  followup_steps: [
    ...SYNCED, ['sequence_id', 'text'], ['lead_id', 'text'], ['position', 'bigint'], ['kind', 'text'], ['day_offset', 'bigint'], ['due_at', 'bigint'],
    ['subject', 'text'], ['body', 'text'], ['draft_source', 'text'], ['sent_at', 'bigint'], ['snoozed_until', 'bigint'],
  ],
  outcomes: [
    ...SYNCED, ['lead_id', 'text'], ['session_id', 'text'], ['outcome', 'text'], ['reason', 'text'], ['next_meeting_at', 'bigint'], ['suggestion_ids_json', 'text'],
  ],
};

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  { version: 1, name: 'initial', columns: TABLES_V1, sql: (all) => initialSchemaSql(all) },
  { version: 2, name: 'pallet-rule-columns', columns: PALLET_RULE_COLUMNS, sql: (all) => `${addColumnsSql(PALLET_RULE_COLUMNS, all, 11)}\n${BACKFILL_PALLET_RULES_SQL}` },
  { version: 3, name: 'device-logins', columns: {}, sql: () => DEVICE_LOGIN_SQL },
  { version: 4, name: 'coach-archetype-history', columns: COACH_ARCHETYPE_COLUMNS, sql: (all) => addColumnsSql(COACH_ARCHETYPE_COLUMNS, all, 11) },
  // Tables 0–10 came with version 1, lead_archetypes (11) with version 4.
  { version: 5, name: 'pallet-line-corrections', columns: PALLET_LINE_CORRECTION_COLUMNS, sql: (all) => addColumnsSql(PALLET_LINE_CORRECTION_COLUMNS, all, 12) },
  // pallet_line_corrections (12) came with version 5; followup_sequences, followup_steps, outcomes get 13–15.
  { version: 6, name: 'pipeline', columns: PIPELINE_COLUMNS, sql: (all) => addColumnsSql(PIPELINE_COLUMNS, all, 13) },
];

/** The schema version this build speaks. */
export const SYNC_SCHEMA_VERSION = SERVER_MIGRATIONS.length;

/** Data columns per table after applying migrations up to `version`. */
export function serverTablesAt(version = SYNC_SCHEMA_VERSION, migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): ServerTables {
  const out: Record<string, ServerColumn[]> = {};
  for (const migration of migrations) {
    if (migration.version > version) break;
    for (const [table, columns] of Object.entries(migration.columns)) out[table] = [...(out[table] ?? []), ...columns];
  }
  return out;
}
