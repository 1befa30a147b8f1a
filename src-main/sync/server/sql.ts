import { OWNER_ROLE, SQLSTATE_BAD_REQUEST, SQLSTATE_NOT_A_USER, SQLSTATE_VERSION, USER_ROLE, type ServerColumn, type ServerTables } from './types';
import { entryPointsSql } from './sql-entry-points';
import { C, ql, qi } from './sql-util';

export { qi, ql } from './sql-util';

/**
 * SQL text of the server schema, generated from column lists. Migrations call these generators with
 * their own frozen lists, so a generator may only change together with a new migration that re-runs it.
 *
 * Model (every mirror table):
 * - `team_id` + `id` primary key: a hand-crafted id from another team creates a row in the pusher's
 *   team, never touches the other team's row.
 * - Per-field clocks: `_base_hlc` is the clock of every field not named in `_hlc` (a bulk insert
 *   costs one string, not a JSON object per row); `_hlc` maps field → clock. '' sorts below any clock.
 * - `_xid` is the transaction that last changed the row: pull pages by (`_xid`, `id`) and the cursor is
 *   the snapshot's xmin, so a transaction that commits late is still ahead of the cursor.
 * - `_sole_device` is set while every field was written by one device, so its own echo is not pulled.
 * - Row-level security is forced (even for the owner role the functions run as): a user's rows are
 *   those of the team mapped to `session_user` in `fieldmate.users`.
 */

/** Clock of field `c` in the proposed row (`excluded`): its own entry, else the row's base (if any). */
const incoming = (c: string) => `COALESCE(excluded._hlc->>${ql(c)}, NULLIF(excluded._base_hlc, ''))`;
/** Clock of field `c` in the stored row. */
const stored = (c: string) => `COALESCE(t._hlc->>${ql(c)}, t._base_hlc)`;
const wins = (c: string) => `COALESCE((${incoming(c)}) ${C} > (${stored(c)}) ${C}, false)`;

/** Per-field last-writer-wins for `INSERT … ON CONFLICT (team_id, id)`: shared by both push paths. */
function lwwConflictClause(columns: readonly ServerColumn[]): string {
  const sets = columns.map(([c]) => `${qi(c)} = CASE WHEN ${wins(c)} THEN excluded.${qi(c)} ELSE t.${qi(c)} END`);
  const clocks = columns.map(([c]) => `${ql(c)}, CASE WHEN ${wins(c)} THEN ${incoming(c)} END`);
  // jsonb_build_object takes at most 100 arguments: chunk the pairs.
  const chunks: string[] = [];
  for (let i = 0; i < clocks.length; i += 40) chunks.push(`jsonb_strip_nulls(jsonb_build_object(${clocks.slice(i, i + 40).join(', ')}))`);
  return `ON CONFLICT (team_id, id) DO UPDATE SET
      ${sets.join(',\n      ')},
      _hlc = t._hlc || ${chunks.join(' || ')},
      _sole_device = CASE WHEN t._sole_device = excluded._sole_device THEN t._sole_device END,
      _xid = pg_current_xact_id()
    WHERE ${columns.map(([c]) => wins(c)).join('\n       OR ')}`;
}

export function mirrorTableSql(table: string, columns: readonly ServerColumn[]): string {
  const t = `fieldmate.${qi(table)}`;
  return `
CREATE TABLE ${t} (
  team_id text ${C} NOT NULL,
  id text ${C} NOT NULL CHECK (length(id) BETWEEN 1 AND 64),
  ${columns.map(([c, type]) => `${qi(c)} ${type}`).join(',\n  ')},
  _base_hlc text ${C} NOT NULL DEFAULT '',
  _hlc jsonb NOT NULL DEFAULT '{}',
  _sole_device text ${C},
  _xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (team_id, id)
);
CREATE INDEX ${qi(`${table}_pull_idx`)} ON ${t} (team_id, _xid, id);
ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
CREATE POLICY team_rows ON ${t} USING (team_id = (SELECT fieldmate.current_team())) WITH CHECK (team_id = (SELECT fieldmate.current_team()));
GRANT SELECT ON ${t} TO ${USER_ROLE};
`;
}

/** The two per-table merge functions (JSON rows of a regular batch; staged rows of a bulk page). */
export function mergeFunctionsSql(table: string, columns: readonly ServerColumn[]): string {
  const t = `fieldmate.${qi(table)}`;
  const insertColumns = ['team_id', 'id', ...columns.map(([c]) => qi(c)), '_base_hlc', '_hlc', '_sole_device', '_xid'].join(', ');
  const fromJson = columns.map(([c, type]) => `(r->'v'->>${ql(c)})::${type}`).join(', ');
  const fromStage = columns.map(([c]) => `s.${qi(c)}`).join(', ');
  const stage = `pg_temp.${qi(`fm_stage_${table}`)}`;
  return `
CREATE OR REPLACE FUNCTION fieldmate.${qi(`_merge_${table}`)}(p_team text, p_device text, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = fieldmate, pg_temp AS $fn$
DECLARE n integer;
BEGIN
  INSERT INTO ${t} AS t (${insertColumns})
  SELECT p_team, r->>'i', ${fromJson}, '', r->'c', p_device, pg_current_xact_id()
  FROM jsonb_array_elements(p_rows) AS r
  ${lwwConflictClause(columns)};
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $fn$;
REVOKE ALL ON FUNCTION fieldmate.${qi(`_merge_${table}`)}(text, text, jsonb) FROM PUBLIC;

CREATE OR REPLACE FUNCTION fieldmate.${qi(`_merge_stage_${table}`)}(p_team text, p_device text, p_min bigint, p_hlc text, p_fields text[]) RETURNS integer
LANGUAGE plpgsql SET search_path = fieldmate, pg_temp AS $fn$
DECLARE
  n integer;
  v_base text := CASE WHEN p_fields IS NULL THEN p_hlc ELSE '' END;
  v_clocks jsonb := CASE WHEN p_fields IS NULL THEN '{}'::jsonb ELSE (SELECT coalesce(jsonb_object_agg(f, p_hlc), '{}'::jsonb) FROM unnest(p_fields) AS f) END;
BEGIN
  INSERT INTO ${t} AS t (${insertColumns})
  SELECT p_team, s.id, ${fromStage}, v_base, v_clocks, p_device, pg_current_xact_id()
  FROM ${stage} AS s WHERE s._pos > p_min
  ${lwwConflictClause(columns)};
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $fn$;
REVOKE ALL ON FUNCTION fieldmate.${qi(`_merge_stage_${table}`)}(text, text, bigint, text, text[]) FROM PUBLIC;
`;
}

export function registerTableSql(table: string, ordinal: number, columns: readonly ServerColumn[], firstOrdinal = 0): string {
  const values = columns.map(([c, type], i) => `(${ql(table)}, ${ql(c)}, ${ql(type)}, ${firstOrdinal + i})`).join(', ');
  return `
INSERT INTO fieldmate.sync_tables (name, ordinal) VALUES (${ql(table)}, ${ordinal}) ON CONFLICT (name) DO NOTHING;
INSERT INTO fieldmate.sync_columns (table_name, column_name, column_type, ordinal) VALUES ${values};
`;
}

/** Bookkeeping tables, the team function and the version guard (migration 1). */
export function foundationSql(): string {
  return `
ALTER DEFAULT PRIVILEGES FOR ROLE ${OWNER_ROLE} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA fieldmate TO ${USER_ROLE};

CREATE TABLE fieldmate.meta (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO fieldmate.meta (key, value) VALUES ('instance', gen_random_uuid()::text);

CREATE TABLE fieldmate.users (
  role_name text PRIMARY KEY,
  team_id text ${C} NOT NULL CHECK (length(team_id) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fieldmate.sync_tables (name text ${C} PRIMARY KEY, ordinal integer NOT NULL UNIQUE);
CREATE TABLE fieldmate.sync_columns (
  table_name text ${C} NOT NULL REFERENCES fieldmate.sync_tables (name),
  column_name text ${C} NOT NULL,
  column_type text NOT NULL,
  ordinal integer NOT NULL,
  PRIMARY KEY (table_name, column_name)
);
GRANT SELECT ON fieldmate.sync_tables, fieldmate.sync_columns TO ${USER_ROLE};

-- Push progress per device: (last_seq, last_sub) is the last outbox position applied, so a replayed
-- batch (lost acknowledgement, killed process) is recognised and changes nothing.
CREATE TABLE fieldmate.devices (
  team_id text ${C} NOT NULL,
  device_id text ${C} NOT NULL,
  role_name text NOT NULL,
  last_seq bigint NOT NULL DEFAULT 0,
  last_sub bigint NOT NULL DEFAULT 0,
  last_batch text,
  pushed_at timestamptz,
  PRIMARY KEY (team_id, device_id)
);

CREATE FUNCTION fieldmate.current_team() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = fieldmate, pg_temp AS $fn$
  SELECT team_id FROM fieldmate.users WHERE role_name = session_user
$fn$;
GRANT EXECUTE ON FUNCTION fieldmate.current_team() TO ${USER_ROLE};

ALTER TABLE fieldmate.devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE fieldmate.devices FORCE ROW LEVEL SECURITY;
CREATE POLICY team_rows ON fieldmate.devices USING (team_id = (SELECT fieldmate.current_team())) WITH CHECK (team_id = (SELECT fieldmate.current_team()));
GRANT SELECT ON fieldmate.devices TO ${USER_ROLE};

-- Stable forever (clients of every version call it first): version, instance, the caller's team.
CREATE FUNCTION fieldmate.server_info() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = fieldmate, pg_temp AS $fn$
  SELECT jsonb_build_object(
    'version', (SELECT max(version) FROM fieldmate.schema_migrations),
    'instance', (SELECT value FROM fieldmate.meta WHERE key = 'instance'),
    'team', (SELECT team_id FROM fieldmate.users WHERE role_name = session_user),
    'user', session_user::text)
$fn$;
GRANT EXECUTE ON FUNCTION fieldmate.server_info() TO ${USER_ROLE};

-- Every entry point checks the caller's schema version first, so a mismatched client changes nothing.
CREATE FUNCTION fieldmate._require(p_version integer) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = fieldmate, pg_temp AS $fn$
DECLARE v_version integer; v_team text;
BEGIN
  SELECT max(version) INTO v_version FROM fieldmate.schema_migrations;
  IF p_version IS DISTINCT FROM v_version THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_VERSION}',
      MESSAGE = format('Sync schema mismatch: the server is at version %s, the client speaks version %s.', v_version, p_version),
      DETAIL = json_build_object('server', v_version, 'client', p_version)::text;
  END IF;
  SELECT team_id INTO v_team FROM fieldmate.users WHERE role_name = session_user;
  IF v_team IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_NOT_A_USER}', MESSAGE = format('The database user %s is not a Fieldmate sync user.', session_user);
  END IF;
  RETURN v_team;
END $fn$;
GRANT EXECUTE ON FUNCTION fieldmate._require(integer) TO ${USER_ROLE};

CREATE FUNCTION fieldmate._check_device(p_device text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF p_device IS NULL OR p_device !~ '^[A-Za-z0-9-]{1,64}$' THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = 'Invalid device id.';
  END IF;
END $fn$;

-- Locks the device's progress row (one push per device at a time) and returns its position.
CREATE FUNCTION fieldmate._device_position(p_team text, p_device text, OUT last_seq bigint, OUT last_sub bigint)
LANGUAGE plpgsql SET search_path = fieldmate, pg_temp AS $fn$
BEGIN
  PERFORM fieldmate._check_device(p_device);
  INSERT INTO fieldmate.devices (team_id, device_id, role_name) VALUES (p_team, p_device, session_user)
    ON CONFLICT (team_id, device_id) DO NOTHING;
  SELECT d.last_seq, d.last_sub INTO last_seq, last_sub FROM fieldmate.devices d
    WHERE d.team_id = p_team AND d.device_id = p_device FOR UPDATE;
END $fn$;
`;
}

/**
 * A later migration that adds columns (and/or whole tables): alters the mirrors, registers the columns
 * and regenerates the affected tables' merge functions from the cumulative list `all`.
 */
export function addColumnsSql(added: ServerTables, all: ServerTables, firstNewTableOrdinal: number): string {
  const parts: string[] = [];
  let nextTable = firstNewTableOrdinal;
  for (const [table, columns] of Object.entries(added)) {
    const cumulative = all[table] ?? columns;
    const existing = cumulative.length - columns.length;
    if (existing === 0) {
      parts.push(registerTableSql(table, nextTable, columns), mirrorTableSql(table, columns), mergeFunctionsSql(table, columns));
      nextTable += 1;
      continue;
    }
    parts.push(
      `ALTER TABLE fieldmate.${qi(table)} ${columns.map(([c, type]) => `ADD COLUMN ${qi(c)} ${type}`).join(', ')};`,
      `INSERT INTO fieldmate.sync_columns (table_name, column_name, column_type, ordinal) VALUES ${columns.map(([c, type], i) => `(${ql(table)}, ${ql(c)}, ${ql(type)}, ${existing + i})`).join(', ')};`,
      mergeFunctionsSql(table, cumulative),
    );
  }
  parts.push('REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA fieldmate FROM PUBLIC;');
  return parts.join('\n');
}

/** Everything migration 1 creates, for the tables it knows. */
export function initialSchemaSql(tables: ServerTables): string {
  const parts = [foundationSql()];
  Object.entries(tables).forEach(([table, columns], ordinal) => {
    parts.push(registerTableSql(table, ordinal, columns), mirrorTableSql(table, columns), mergeFunctionsSql(table, columns));
  });
  parts.push(entryPointsSql(), 'REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA fieldmate FROM PUBLIC;');
  return parts.join('\n');
}
