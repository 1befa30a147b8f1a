import { OWNER_ROLE, SQLSTATE_BAD_REQUEST, SQLSTATE_NOT_A_USER, SQLSTATE_VERSION, USER_ROLE, type ServerColumn, type ServerTables } from './types';

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

export const qi = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const ql = (value: string): string => `'${value.replaceAll("'", "''")}'`;

const C = 'COLLATE "C"';
/** A clock further ahead of the server than this is refused: one broken device clock would otherwise win every edit. */
const MAX_AHEAD_MS = 24 * 60 * 60 * 1000;
const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';
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

/** The entry points: push (JSON batch), bulk staging + push, pull. Regenerated by later migrations if needed. */
export function entryPointsSql(): string {
  const hlcPattern = '^[0-9]{15}:[0-9]{6}:[A-Za-z0-9-]{1,64}$';
  return `
CREATE OR REPLACE FUNCTION fieldmate.push(p_version integer, p_device text, p_batch text, p_entries jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = fieldmate, pg_temp AS $fn$
DECLARE
  v_team text := fieldmate._require(p_version);
  v_pos record;
  v_max bigint;
  v_total integer;
  v_fresh integer;
  v_checked jsonb;
  v_rejected jsonb;
  v_applied integer := 0;
  v_n integer;
  v_table text;
  v_rows jsonb;
  v_row jsonb;
BEGIN
  IF jsonb_typeof(p_entries) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = 'A push batch must be a JSON array.';
  END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_entries) e
             WHERE jsonb_typeof(e->'s') IS DISTINCT FROM 'number' OR (e->>'s') !~ '^[0-9]{1,18}$') THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = 'Every push entry needs a positive integer position.';
  END IF;
  v_pos := fieldmate._device_position(v_team, p_device);

  -- No temporary table here: a caller could pre-create one with triggers that would run as the owner.
  SELECT count(*), max((e->>'s')::bigint) INTO v_total, v_max FROM jsonb_array_elements(p_entries) e;
  WITH e AS (
    SELECT (x->>'s')::bigint AS s, x->>'t' AS t, x->>'i' AS i, x->>'h' AS h, x->'f' AS f
    FROM jsonb_array_elements(p_entries) x WHERE (x->>'s')::bigint > v_pos.last_seq
  )
  SELECT coalesce(jsonb_agg(jsonb_build_object('s', e.s, 't', e.t, 'i', e.i, 'h', e.h, 'f', e.f, 'reason', CASE
      WHEN NOT EXISTS (SELECT 1 FROM fieldmate.sync_tables st WHERE st.name = e.t) THEN 'unknown table'
      WHEN e.i IS NULL OR length(e.i) NOT BETWEEN 1 AND 64 THEN 'invalid id'
      WHEN e.h IS NULL OR e.h !~ '${hlcPattern}' THEN 'invalid clock'
      WHEN substr(e.h, 1, 15)::bigint > ${NOW_MS} + ${MAX_AHEAD_MS} THEN 'This computer''s clock is more than a day ahead: correct the date and time, then edit again.'
      WHEN jsonb_typeof(e.f) IS DISTINCT FROM 'object' THEN 'invalid fields'
      ELSE (SELECT 'unknown column ' || k FROM jsonb_object_keys(e.f) AS k
            WHERE k <> 'id' AND NOT EXISTS (SELECT 1 FROM fieldmate.sync_columns sc WHERE sc.table_name = e.t AND sc.column_name = k) LIMIT 1)
    END)), '[]'::jsonb), count(*)
    INTO v_checked, v_fresh FROM e;
  SELECT coalesce(jsonb_agg(jsonb_build_object('s', x->'s', 't', x->'t', 'i', x->'i', 'reason', x->'reason') ORDER BY (x->>'s')::bigint), '[]'::jsonb)
    INTO v_rejected FROM jsonb_array_elements(v_checked) x WHERE x->>'reason' IS NOT NULL;

  -- Collapse the batch to one change per row: for each field, the value with the highest clock.
  FOR v_table, v_rows IN
    WITH e AS (
      SELECT x->>'t' AS t, x->>'i' AS i, x->>'h' AS h, x->'f' AS f FROM jsonb_array_elements(v_checked) x WHERE x->>'reason' IS NULL
    ), kv AS (
      SELECT e.t, e.i, k.key, k.value, e.h FROM e, jsonb_each(e.f) k
    ), best AS (
      SELECT DISTINCT ON (t, i, key) t, i, key, value, h FROM kv ORDER BY t, i, key, h ${C} DESC
    ), per_row AS (
      SELECT t, i, jsonb_object_agg(key, value) AS v, jsonb_object_agg(key, h) AS c FROM best GROUP BY t, i
    )
    SELECT t, jsonb_agg(jsonb_build_object('i', i, 'v', v, 'c', c)) FROM per_row GROUP BY t
  LOOP
    BEGIN
      EXECUTE format('SELECT fieldmate.%I($1, $2, $3)', '_merge_' || v_table) INTO v_n USING v_team, p_device, v_rows;
      v_applied := v_applied + v_n;
    EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN
      -- One bad value must not block the batch: apply row by row and report the ones that fail.
      FOR v_row IN SELECT value FROM jsonb_array_elements(v_rows) LOOP
        BEGIN
          EXECUTE format('SELECT fieldmate.%I($1, $2, $3)', '_merge_' || v_table) INTO v_n USING v_team, p_device, jsonb_build_array(v_row);
          v_applied := v_applied + v_n;
        EXCEPTION WHEN data_exception OR integrity_constraint_violation THEN
          v_rejected := v_rejected || (
            SELECT coalesce(jsonb_agg(jsonb_build_object('s', x->'s', 't', x->'t', 'i', x->'i', 'reason', SQLERRM)), '[]'::jsonb)
            FROM jsonb_array_elements(v_checked) x WHERE x->>'t' = v_table AND x->>'i' = v_row->>'i' AND x->>'reason' IS NULL);
        END;
      END LOOP;
    END;
  END LOOP;

  UPDATE fieldmate.devices d SET
      last_sub = CASE WHEN v_max > d.last_seq THEN 0 ELSE d.last_sub END,
      last_seq = greatest(d.last_seq, coalesce(v_max, 0)),
      last_batch = p_batch, pushed_at = now()
    WHERE d.team_id = v_team AND d.device_id = p_device;
  RETURN jsonb_build_object('applied', v_applied, 'entries', v_total, 'skipped', v_total - v_fresh, 'rejected', v_rejected,
                            'xid', pg_current_xact_id()::text);
END $fn$;
GRANT EXECUTE ON FUNCTION fieldmate.push(integer, text, text, jsonb) TO ${USER_ROLE};

-- Bulk pages: the owner creates a temporary staging table the caller may only INSERT (COPY) into;
-- it disappears at commit. push_bulk checks it is still that table before reading it.
CREATE OR REPLACE FUNCTION fieldmate.begin_bulk(p_version integer, p_table text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = fieldmate, pg_temp AS $fn$
DECLARE v_name text := 'fm_stage_' || p_table; v_cols text;
BEGIN
  PERFORM fieldmate._require(p_version);
  SELECT string_agg(format('%I %s', column_name, column_type), ', ' ORDER BY ordinal) INTO v_cols
    FROM fieldmate.sync_columns WHERE table_name = p_table;
  IF v_cols IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = format('Unknown table %s.', p_table);
  END IF;
  EXECUTE format('CREATE TEMP TABLE %I (_pos bigint NOT NULL, id text ${C} NOT NULL, %s) ON COMMIT DROP', v_name, v_cols);
  EXECUTE format('GRANT INSERT ON TABLE pg_temp.%I TO %I', v_name, session_user);
  RETURN v_name;
END $fn$;
GRANT EXECUTE ON FUNCTION fieldmate.begin_bulk(integer, text) TO ${USER_ROLE};

CREATE OR REPLACE FUNCTION fieldmate.push_bulk(p_version integer, p_device text, p_table text, p_seq bigint, p_to bigint, p_hlc text, p_fields text[])
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = fieldmate, pg_temp AS $fn$
DECLARE
  v_team text := fieldmate._require(p_version);
  v_pos record;
  v_ok boolean;
  v_n integer;
  v_min bigint;
BEGIN
  IF p_hlc IS NULL OR p_hlc !~ '${hlcPattern}' THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = 'Invalid clock.';
  END IF;
  IF substr(p_hlc, 1, 15)::bigint > ${NOW_MS} + ${MAX_AHEAD_MS} THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = 'This computer''s clock is more than a day ahead: correct the date and time.';
  END IF;
  IF p_seq IS NULL OR p_seq < 1 OR p_to IS NULL OR p_to < 1 THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = 'Invalid bulk position.';
  END IF;
  IF p_fields IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(p_fields) f
      WHERE NOT EXISTS (SELECT 1 FROM fieldmate.sync_columns sc WHERE sc.table_name = p_table AND sc.column_name = f)) THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = 'Unknown column in a bulk update.';
  END IF;
  SELECT c.relkind = 'r' AND c.relpersistence = 't' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = '${OWNER_ROLE}')
    INTO v_ok FROM pg_class c WHERE c.oid = to_regclass('pg_temp.' || quote_ident('fm_stage_' || p_table));
  IF v_ok IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = '${SQLSTATE_BAD_REQUEST}', MESSAGE = 'No staged bulk page (call begin_bulk in this transaction).';
  END IF;
  v_pos := fieldmate._device_position(v_team, p_device);
  IF (p_seq, p_to) <= (v_pos.last_seq, v_pos.last_sub) THEN
    RETURN jsonb_build_object('applied', 0, 'skipped', true);
  END IF;
  v_min := CASE WHEN v_pos.last_seq = p_seq THEN v_pos.last_sub ELSE 0 END;
  EXECUTE format('SELECT fieldmate.%I($1, $2, $3, $4, $5)', '_merge_stage_' || p_table) INTO v_n USING v_team, p_device, v_min, p_hlc, p_fields;
  UPDATE fieldmate.devices d SET last_seq = p_seq, last_sub = p_to, last_batch = p_seq || ':' || p_to, pushed_at = now()
    WHERE d.team_id = v_team AND d.device_id = p_device;
  RETURN jsonb_build_object('applied', v_n, 'skipped', false, 'xid', pg_current_xact_id()::text);
END $fn$;
GRANT EXECUTE ON FUNCTION fieldmate.push_bulk(integer, text, text, bigint, bigint, text, text[]) TO ${USER_ROLE};

-- Runs as the caller (row-level security applies) and STABLE, so every statement inside sees the
-- calling statement's snapshot: the rows and the watermark are consistent. Rows are positional JSON
-- arrays (column names once per table in "columns"): building json text is several times cheaper than
-- jsonb objects. Sorting and bitmap scans are off so a page is an ordered index range scan even when
-- the statistics have not caught up with a fresh bulk import.
CREATE OR REPLACE FUNCTION fieldmate.pull(p_version integer, p_device text, p_from xid8, p_table integer, p_after_xid xid8, p_after_id text, p_limit integer)
RETURNS json LANGUAGE plpgsql STABLE SET search_path = fieldmate, pg_temp SET enable_sort = off SET enable_bitmapscan = off AS $fn$
DECLARE
  v_team text := fieldmate._require(p_version);
  v_tables text[] := ARRAY(SELECT name FROM fieldmate.sync_tables ORDER BY ordinal);
  v_limit integer := least(greatest(coalesce(p_limit, 1000), 1), 20000);
  v_parts text[] := '{}';
  v_columns jsonb := '{}'::jsonb;
  v_got integer := 0;
  v_page text;
  v_count integer;
  v_last_xid text;
  v_last_id text;
  v_values text;
  v_names jsonb;
  v_next json;
  v_table text;
  i integer;
BEGIN
  FOR i IN greatest(coalesce(p_table, 0), 0) .. coalesce(array_length(v_tables, 1), 0) - 1 LOOP
    v_table := v_tables[i + 1];
    SELECT string_agg(format('p.%I', column_name), ', ' ORDER BY ordinal), jsonb_agg(column_name ORDER BY ordinal)
      INTO v_values, v_names FROM fieldmate.sync_columns WHERE table_name = v_table;
    EXECUTE format($q$
      WITH p AS (
        SELECT * FROM fieldmate.%I t
        WHERE t.team_id = $1 AND (t._xid, t.id) > ($2, $3 ${C}) AND t._sole_device IS DISTINCT FROM $4
        ORDER BY t._xid, t.id LIMIT $5)
      SELECT string_agg(json_build_array(%L, p._xid::text, p.id, json_build_array(%s), p._base_hlc, p._hlc)::text, ',' ORDER BY p._xid, p.id),
             count(*)::integer,
             (SELECT l._xid::text FROM p l ORDER BY l._xid DESC, l.id DESC LIMIT 1),
             (SELECT l.id FROM p l ORDER BY l._xid DESC, l.id DESC LIMIT 1)
      FROM p $q$, v_table, v_table, v_values)
      INTO v_page, v_count, v_last_xid, v_last_id
      USING v_team,
            CASE WHEN i = p_table THEN p_after_xid ELSE p_from END,
            CASE WHEN i = p_table THEN coalesce(p_after_id, '') ELSE '' END,
            p_device, v_limit - v_got;
    IF v_count > 0 THEN
      v_parts := v_parts || v_page;
      v_columns := v_columns || jsonb_build_object(v_table, v_names);
    END IF;
    v_got := v_got + v_count;
    IF v_got >= v_limit THEN
      v_next := json_build_object('table', i, 'xid', v_last_xid, 'id', v_last_id);
      EXIT;
    END IF;
  END LOOP;
  RETURN json_build_object('watermark', pg_snapshot_xmin(pg_current_snapshot())::text, 'columns', v_columns,
                           'rows', ('[' || array_to_string(v_parts, ',') || ']')::json, 'next', v_next);
END $fn$;
GRANT EXECUTE ON FUNCTION fieldmate.pull(integer, text, xid8, integer, xid8, text, integer) TO ${USER_ROLE};
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
