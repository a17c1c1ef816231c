"""A Flyway-shaped set run unmodified from the command line: empty repeatables, a file ending in
a lone COMMIT, a file with its own blocks, placeholders and a timestamp repeatable."""

from __future__ import annotations

import psycopg

from tests.cli.test_cli import args
from tests.conftest import Project, run_cli
from tests.pgservers import PgServer


def flyway_set(project: Project) -> None:
    project.migration("app", "V1__schema.sql",
                      "CREATE SCHEMA IF NOT EXISTS ${schema};\n"
                      "CREATE TABLE IF NOT EXISTS ${schema}.items (id int PRIMARY KEY, name text);\n"
                      "COMMIT;\n")
    project.migration("app", "V2__data.sql",
                      "BEGIN;\nINSERT INTO ${schema}.items VALUES (1, 'one') ON CONFLICT DO NOTHING;\n"
                      "COMMIT;\nBEGIN;\nINSERT INTO ${schema}.items VALUES (2, 'two') "
                      "ON CONFLICT DO NOTHING;\nCOMMIT;\n")
    project.migration("app", "R__empty_one.sql", b"")
    project.migration("app", "R__empty_two.sql", b"\n")
    project.migration("app", "R__deployed.sql",
                      "CREATE OR REPLACE VIEW ${schema}.deployed AS "
                      "SELECT '${flyway:timestamp}'::timestamp AS at, '${flyway:user}'::text AS by;\n")


def test_a_flyway_shaped_set_runs_unmodified_with_one_note_per_kind(
        project: Project, pg18: PgServer) -> None:
    flyway_set(project)
    url = pg18.create_database()
    first = run_cli(*args(project, "-d", "app", "--url", url, "--placeholder", "schema=shop"))
    assert first.code == 0, first.err
    assert first.out.rstrip().splitlines()[-1] == "5 applied, 0 skipped, 0 failed"
    notes = [line.strip() for line in first.out.splitlines() if line.strip().startswith("note:")]
    assert notes == [
        "note: 1 file wraps itself in BEGIN ... COMMIT (V1__schema.sql); the wrapper is ignored: "
        "each file still runs as one transaction together with its history row",
        "note: 1 file runs as written, statement by statement (V2__data.sql): each file's own "
        "BEGIN ... COMMIT blocks are its transactions; progress is recorded per statement and "
        "the history row is written at the end",
        "note: 2 files have no statements (R__empty_one.sql, R__empty_two.sql); each is "
        "recorded as applied, as Flyway records it"]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT id, name FROM shop.items ORDER BY 1").fetchall() == [
            (1, "one"), (2, "two")]
        assert conn.execute("SELECT by = current_user FROM shop.deployed").fetchall() == [(True,)]
    # The timestamp repeatable runs on every run, as Flyway's does; nothing else does.
    again = run_cli(*args(project, "-d", "app", "--url", url, "--placeholder", "schema=shop"))
    assert again.code == 0, again.err
    assert again.out.rstrip().splitlines()[-1] == "1 applied, 4 skipped, 0 failed"
    assert "R__deployed.sql" in again.out and "note:" not in again.out
