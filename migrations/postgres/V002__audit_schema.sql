-- Audit trail: one row per INSERT, UPDATE or DELETE on every table that attaches audit.log_change().

CREATE SCHEMA IF NOT EXISTS audit;

COMMENT ON SCHEMA audit IS 'Append-only change log written by the audit.log_change() trigger.';

CREATE TABLE IF NOT EXISTS audit.log (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    transaction_id   xid8        NOT NULL DEFAULT pg_current_xact_id(),
    schema_name      text        NOT NULL,
    table_name       text        NOT NULL,
    operation        text        NOT NULL,
    row_id           text,
    old_row          jsonb,
    new_row          jsonb,
    changed_fields   text[],
    -- session_user, not current_user: the trigger function is SECURITY DEFINER, so current_user
    -- would always be its owner rather than the role that made the change.
    db_user          text        NOT NULL DEFAULT session_user,
    application_name text                 DEFAULT current_setting('application_name', true),
    CONSTRAINT log_operation_check CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE'))
);

COMMENT ON TABLE audit.log IS 'Row-level change history; old_row/new_row hold the full row as jsonb.';

CREATE INDEX IF NOT EXISTS log_table_occurred_at_idx
    ON audit.log (schema_name, table_name, occurred_at DESC);

CREATE INDEX IF NOT EXISTS log_row_id_idx
    ON audit.log (table_name, row_id);

-- BRIN suits an append-only, time-ordered table: tiny, and good for time range scans.
CREATE INDEX IF NOT EXISTS log_occurred_at_brin
    ON audit.log USING brin (occurred_at);

-- Only the trigger function (running as its owner) writes the log.
REVOKE ALL ON audit.log FROM PUBLIC;

-- Trigger function. Attach with:
--   CREATE OR REPLACE TRIGGER <table>_audit AFTER INSERT OR UPDATE OR DELETE ON <schema>.<table>
--       FOR EACH ROW EXECUTE FUNCTION audit.log_change();
-- An optional first trigger argument names the column recorded as row_id (default: id).
CREATE OR REPLACE FUNCTION audit.log_change()
    RETURNS trigger
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $function$
DECLARE
    v_old     jsonb;
    v_new     jsonb;
    v_changed text[];
    v_id_col  text := COALESCE(TG_ARGV[0], 'id');
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        v_old := to_jsonb(OLD);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        v_new := to_jsonb(NEW);
    END IF;

    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(n.key ORDER BY n.key)
          INTO v_changed
          FROM jsonb_each(v_new) AS n
         WHERE n.value IS DISTINCT FROM v_old -> n.key;
        -- A no-op UPDATE (for example an idempotent seed run again) is not a change worth logging.
        IF v_changed IS NULL THEN
            RETURN NULL;
        END IF;
    END IF;

    INSERT INTO audit.log (schema_name, table_name, operation, row_id, old_row, new_row, changed_fields)
    VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP,
            COALESCE(v_new, v_old) ->> v_id_col, v_old, v_new, v_changed);
    RETURN NULL;
END;
$function$;

COMMENT ON FUNCTION audit.log_change() IS 'AFTER ROW trigger: records INSERT/UPDATE/DELETE in audit.log; skips no-op updates.';

CREATE OR REPLACE VIEW audit.recent_changes AS
SELECT l.id,
       l.occurred_at,
       l.schema_name || '.' || l.table_name AS table_name,
       l.operation,
       l.row_id,
       l.changed_fields,
       l.db_user,
       l.application_name
  FROM audit.log AS l
 WHERE l.occurred_at > now() - interval '7 days';

COMMENT ON VIEW audit.recent_changes IS 'Audit entries of the last seven days, without the row payloads.';
