"""verify-idempotency and the catalog snapshot it relies on, on real PostgreSQL."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg import sql

from db_migrate.cli.render import idempotency_report
from db_migrate.engine.catalog import diff, snapshot
from db_migrate.engine.errors import EXIT_FAILED, EXIT_INVALID, EXIT_UNAVAILABLE, MigrationFailed
from db_migrate.engine.idempotency import SCRATCH_PREFIX, FileCheck, verify_idempotency
from db_migrate.engine.options import RunOptions
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.source import DirectorySource
from tests.conftest import ROOT, Project
from tests.pgservers import PgServer


def _scratch_databases(pg: PgServer, database: str) -> list[str]:
    with psycopg.connect(pg.admin_url) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                            [f"{SCRATCH_PREFIX}{database}%"]).fetchall()
    return [str(r[0]) for r in rows]


# aiml-postgres needs pgvector, which only the embedded PostgreSQL 18 has.
@pytest.mark.parametrize(("server", "database"),
                         [("pg18", "postgres"), ("pg18", "aiml-postgres"), ("pg15", "postgres")])
def test_shipped_migrations_and_seeds_are_idempotent(
        request: pytest.FixtureRequest, server: str, database: str) -> None:
    pg: PgServer = request.getfixturevalue(server)
    source = DirectorySource(ROOT / "migrations", ROOT / "seeds")
    report = verify_idempotency(source, database, pg.admin_url,
                                RunOptions(seed_mode=SeedMode.FULL))

    assert report.error is None, idempotency_report(report)
    migrations = len(list((ROOT / "migrations" / database).glob("*.sql")))
    seeds = len(list((ROOT / "seeds" / database).glob("*/*.sql")))
    assert report.first_run == f"{migrations + seeds} applied, 0 skipped, 0 failed"
    assert len(report.files) == migrations + seeds
    assert [(f.label, f.verdict) for f in report.files if not f.ok] == []
    assert report.ok and report.exit_code == 0
    assert _scratch_databases(pg, database.replace("-", "_")) == []


def _non_idempotent_project(project: Project) -> None:
    project.migration("app", "V001__tables.sql", """
        CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY, n int NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS log (msg text);
    """)
    project.migration("app", "V002__plain_create.sql", """
        -- Not idempotent: no IF NOT EXISTS.
        CREATE TABLE plain (id int);
    """)
    project.migration("app", "V003__unnamed_check.sql", """
        -- Runs again without error, but adds a second, auto-named constraint.
        ALTER TABLE t ADD CHECK (n >= 0);
    """)
    project.migration("app", "V004__view.sql", """
        CREATE OR REPLACE VIEW v AS SELECT id FROM t;
    """)
    project.seed("app", "reference", "001_log.sql", """
        INSERT INTO log (msg) VALUES ('hello');
    """)
    project.seed("app", "reference", "002_counter.sql", """
        INSERT INTO t (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET n = t.n + 1;
    """)
    project.seed("app", "sample", "001_upsert.sql", """
        INSERT INTO t AS x (id, n) VALUES (2, 5)
        ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n WHERE x.n IS DISTINCT FROM EXCLUDED.n;
    """)


def test_non_idempotent_files_are_named_with_the_reason(pg: PgServer, project: Project) -> None:
    _non_idempotent_project(project)
    seen: list[FileCheck] = []
    report = verify_idempotency(DirectorySource(project.migrations, project.seeds), "app",
                                pg.admin_url, RunOptions(seed_mode=SeedMode.SAMPLE),
                                progress=seen.append)

    assert report.error is None
    assert report.first_run == "7 applied, 0 skipped, 0 failed"
    assert [f.label for f in seen] == [f.label for f in report.files] == [
        "V001__tables.sql", "V002__plain_create.sql", "V003__unnamed_check.sql", "V004__view.sql",
        "reference/001_log.sql", "reference/002_counter.sql", "sample/001_upsert.sql"]
    by_label = {f.label: f for f in report.files}
    assert [f.label for f in report.failures] == [
        "V002__plain_create.sql", "V003__unnamed_check.sql",
        "reference/001_log.sql", "reference/002_counter.sql"]

    plain = by_label["V002__plain_create.sql"]
    assert plain.verdict == "failed"
    assert plain.error is not None
    assert plain.error.startswith("line 2 (statement 1/1): ")
    assert 'relation "plain" already exists (SQLSTATE 42P07)' in plain.error

    assert by_label["V003__unnamed_check.sql"].changes == [
        "constraint public.t.t_n_check1 was added"]
    assert by_label["reference/001_log.sql"].changes == ["rows of public.log: 1 -> 2"]
    assert by_label["reference/002_counter.sql"].changes == [
        "rows of public.t: same count (2) but contents changed"]
    assert by_label["V001__tables.sql"].ok and by_label["sample/001_upsert.sql"].ok

    assert not report.ok and report.exit_code == EXIT_FAILED
    text = idempotency_report(report)
    assert "second run failed: line 2 (statement 1/1)" in text
    assert "second run changed: rows of public.log: 1 -> 2" in text
    assert text.splitlines()[-1] == "app: 3 of 7 files idempotent, 4 not"
    doc = report.to_json()
    assert doc["not_idempotent"] == [f.label for f in report.failures]
    assert doc["ok"] is False and doc["exit_code"] == EXIT_FAILED
    assert _scratch_databases(pg, "app") == []


def test_no_transaction_file_runs_again_statement_by_statement(pg: PgServer, project: Project) -> None:
    project.migration("app", "V001__concurrent.sql", """
        CREATE TABLE IF NOT EXISTS t (id int);
        CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id_idx ON t (id);
        CREATE INDEX CONCURRENTLY t_id_again_idx ON t (id);
    """)
    report = verify_idempotency(DirectorySource(project.migrations, None), "app", pg.admin_url,
                                RunOptions(seed_mode=SeedMode.NONE))

    assert report.error is None
    [check] = report.files
    assert check.mode == "no-transaction"
    assert check.error is not None
    assert check.error.startswith("line 3 (statement 3/3): ")
    assert 'relation "t_id_again_idx" already exists' in check.error


def test_a_failing_first_run_is_reported_and_the_scratch_database_dropped(
        pg: PgServer, project: Project) -> None:
    project.migration("app", "V001__ok.sql", "CREATE TABLE IF NOT EXISTS t (id int);\n")
    project.migration("app", "V002__broken.sql", "SELECT 1;\nSELECT 1/0;\n")
    report = verify_idempotency(DirectorySource(project.migrations, None), "app", pg.admin_url,
                                RunOptions())

    assert isinstance(report.error, MigrationFailed)
    assert "V002__broken.sql line 2" in str(report.error)
    assert "division by zero" in str(report.error)
    assert report.first_run == "1 applied, 0 skipped, 1 failed"
    assert report.files == [] and report.exit_code == EXIT_FAILED
    assert report.scratch_database is not None
    assert _scratch_databases(pg, "app") == []


def test_an_invalid_set_is_refused_before_any_database_is_created(
        pg18: PgServer, project: Project) -> None:
    project.migration("broken_set", "V001__a.sql", "SELECT 1;\n")
    project.migration("broken_set", "V1__b.sql", "SELECT 1;\n")
    report = verify_idempotency(DirectorySource(project.migrations, None), "broken_set",
                                pg18.admin_url, RunOptions())

    assert report.error is not None and report.exit_code == EXIT_INVALID
    assert "version 1 is used by more than one file" in str(report.error)
    assert report.scratch_database is None
    assert _scratch_databases(pg18, "broken_set") == []


def test_an_unreachable_server_exits_3(project: Project) -> None:
    project.migration("app", "V001__a.sql", "SELECT 1;\n")
    url = "postgresql://someone:hunter2@/postgres?host=/tmp/dbm-no-such-socket-dir"
    report = verify_idempotency(DirectorySource(project.migrations, None), "app", url,
                                RunOptions(connect_timeout_s=1))

    assert report.exit_code == EXIT_UNAVAILABLE
    assert "hunter2" not in str(report.error) and "hunter2" not in idempotency_report(report)


def test_a_role_without_createdb_gets_one_clear_error(pg18: PgServer, project: Project) -> None:
    project.migration("app", "V001__a.sql", "SELECT 1;\n")
    role = f"dbm_nocreatedb_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg18.admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOCREATEDB").format(sql.Identifier(role)))
    try:
        url = psycopg.conninfo.make_conninfo(pg18.admin_url, user=role)
        report = verify_idempotency(DirectorySource(project.migrations, None), "app", url,
                                    RunOptions())
    finally:
        with psycopg.connect(pg18.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))

    assert report.exit_code == EXIT_FAILED
    assert "cannot create the throwaway database" in str(report.error)
    assert "permission denied to create database" in str(report.error)


# ----------------------------------------------------------------------------------------------
# The catalog snapshot


_SCHEMA = """
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok');
CREATE TABLE app.t (id int PRIMARY KEY, name text DEFAULT 'x', mood app.mood);
CREATE TABLE app.history (id int);
CREATE SEQUENCE app.s;
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE VIEW app.v AS SELECT id FROM app.t;
INSERT INTO app.t (id) VALUES (1), (2);
INSERT INTO app.history VALUES (1);
"""

_CHANGES = """
CREATE OR REPLACE FUNCTION app.f() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;
CREATE INDEX t_name_idx ON app.t (name);
ALTER TABLE app.t ALTER COLUMN name SET DEFAULT 'y';
ALTER TABLE app.t ADD CONSTRAINT t_id_positive CHECK (id > 0);
CREATE OR REPLACE VIEW app.v AS SELECT id, name FROM app.t;
CREATE TRIGGER t_touch BEFORE UPDATE ON app.t FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE POLICY t_all ON app.t USING (true);
ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;
ALTER TYPE app.mood ADD VALUE 'great';
ALTER SEQUENCE app.s INCREMENT BY 5;
INSERT INTO app.t (id) VALUES (3);
INSERT INTO app.history VALUES (2);
"""


def test_snapshot_is_stable_and_diff_names_every_kind_of_change(pg: PgServer) -> None:
    with psycopg.connect(pg.create_database("snap"), autocommit=True) as conn:
        conn.execute(_SCHEMA)
        excluded = [("app", "history")]
        first = snapshot(conn, exclude_rows_of=excluded)
        conn.execute("SELECT nextval('app.s'); ANALYZE app.t; UPDATE app.t SET id = id")
        assert snapshot(conn, exclude_rows_of=excluded) == first
        assert "app.history" not in first["rows"] and first["rows"]["app.t"] is not None

        conn.execute(_CHANGES)
        changes = diff(first, snapshot(conn, exclude_rows_of=excluded))

    # Sorted by section, then by object name.
    assert changes == [
        "column app.t.name: default \"'x'::text\" -> \"'y'::text\"",
        "column app.v.name was added",
        "constraint app.t.t_id_positive was added",
        "function app.f(): definition changed",
        "index app.t_name_idx was added",
        "policy app.t.t_all was added",
        "rows of app.t: 2 -> 3",
        "sequence app.s: increment 1 -> 5",
        "table app.t: row_security False -> True",
        "trigger app.t.t_touch was added",
        "type app.mood: labels ['sad', 'ok'] -> ['sad', 'ok', 'great']",
        "view app.v: definition changed",
    ]


def test_row_contents_can_be_left_out(pg: PgServer) -> None:
    with psycopg.connect(pg.create_database("snap"), autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int, n int); INSERT INTO t VALUES (1, 1);")
        counts_only = snapshot(conn, row_contents=False)
        full = snapshot(conn)
        conn.execute("UPDATE t SET n = 2")
        assert diff(counts_only, snapshot(conn, row_contents=False)) == []
        assert diff(full, snapshot(conn)) == ["rows of public.t: same count (1) but contents changed"]


def test_placeholders_are_replaced_in_both_runs_and_a_missing_one_creates_no_database(
        pg18: PgServer, project: Project) -> None:
    project.migration("ph_set", "V001__t.sql",
                      "CREATE TABLE IF NOT EXISTS ${table} (id int);\n"
                      "INSERT INTO ${table} VALUES (1);\n")
    source = DirectorySource(project.migrations, None)
    missing = verify_idempotency(source, "ph_set", pg18.admin_url, RunOptions())
    assert missing.exit_code == EXIT_INVALID
    assert "V001__t.sql line 1: no value for placeholder ${table}" in str(missing.error)
    assert missing.scratch_database is None and _scratch_databases(pg18, "ph_set") == []

    report = verify_idempotency(source, "ph_set", pg18.admin_url,
                                RunOptions(placeholders=(("TABLE", "things"),)))
    assert report.error is None, report.error
    [check] = report.files
    # The second run sent the replaced text: the INSERT duplicated a row of "things".
    assert check.error is None and any("things" in change for change in check.changes)
