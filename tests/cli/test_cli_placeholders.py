"""Flyway placeholders from the command line: flags, environment, --no-placeholders, lint."""

from __future__ import annotations

import psycopg

from tests.cli.test_cli import args
from tests.conftest import Project, run_cli
from tests.pgservers import PgServer

GRANTS = "CREATE SCHEMA IF NOT EXISTS ${schema};\nCREATE TABLE IF NOT EXISTS ${schema}.t AS SELECT '${Label}'::text AS v;\n"


def test_placeholder_flags_win_over_the_environment_and_names_are_case_insensitive(
        project: Project, pg18: PgServer) -> None:
    project.migration("app", "V1__t.sql", GRANTS)
    url = pg18.create_database()
    result = run_cli(*args(project, "-d", "app", "--url", url, "--placeholder", "SCHEMA=app",
                           "--placeholder", "label=from the flag"),
                     env={"DB_MIGRATE_PLACEHOLDER_LABEL": "from the environment",
                          "DB_MIGRATE_PLACEHOLDER_SCHEMA": "env_schema"})
    assert result.code == 0, result.err
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT v FROM app.t").fetchall() == [("from the flag",)]


def test_a_missing_value_is_exit_2_naming_file_line_and_name_for_apply_and_dry_run(
        project: Project, pg18: PgServer) -> None:
    project.migration("app", "V1__t.sql", GRANTS)
    url = pg18.create_database()
    for extra in ((), ("--dry-run",)):
        result = run_cli(*args(project, "-d", "app", "--url", url, "--placeholder", "schema=app",
                               *extra))
        assert result.code == 2, result.err
        assert "V1__t.sql line 2: no value for placeholder ${Label}; give one with --placeholder " \
               "Label=VALUE, DB_MIGRATE_PLACEHOLDER_LABEL or spec.placeholders" in result.err
        assert "syntax error" not in result.err + result.out
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('_schema_migrations')").fetchone() == (None,)


def test_environment_values_alone_apply_and_no_placeholders_sends_the_text_as_written(
        project: Project, pg18: PgServer) -> None:
    project.migration("app", "V1__t.sql", GRANTS)
    project.migration("other", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t AS SELECT '${x}'::text AS v;")
    url, other = pg18.create_database(), pg18.create_database()
    env = {"DB_MIGRATE_PLACEHOLDER_SCHEMA": "s", "DB_MIGRATE_PLACEHOLDER_LABEL": "e"}
    assert run_cli(*args(project, "-d", "app", "--url", url), env=env).code == 0
    raw = run_cli(*args(project, "-d", "other", "--url", other, "--no-placeholders"))
    assert raw.code == 0, raw.err
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT v FROM s.t").fetchall() == [("e",)]
    with psycopg.connect(other) as conn:
        assert conn.execute("SELECT v FROM t").fetchall() == [("${x}",)]


def test_a_bad_placeholder_flag_is_exit_2() -> None:
    result = run_cli("--database", "app", "--placeholder", "novalue")
    assert result.code == 2
    assert "invalid --placeholder 'novalue': expected NAME=VALUE" in result.err


def test_lint_replaces_placeholders_before_parsing_and_names_a_missing_one(
        project: Project) -> None:
    path = project.migration("app", "V1__t.sql", GRANTS)
    missing = run_cli("lint", str(path))
    assert missing.code == 1
    assert missing.out.splitlines() == [
        f"{path}:1 placeholder-without-value no value for placeholder ${{schema}}; give one with "
        "--placeholder schema=VALUE, DB_MIGRATE_PLACEHOLDER_SCHEMA or spec.placeholders (or "
        "turn replacement off with --no-placeholders)",
        f"{path}:2 placeholder-without-value no value for placeholder ${{schema}}; give one with "
        "--placeholder schema=VALUE, DB_MIGRATE_PLACEHOLDER_SCHEMA or spec.placeholders (or "
        "turn replacement off with --no-placeholders)",
        f"{path}:2 placeholder-without-value no value for placeholder ${{Label}}; give one with "
        "--placeholder Label=VALUE, DB_MIGRATE_PLACEHOLDER_LABEL or spec.placeholders (or "
        "turn replacement off with --no-placeholders)"]
    clean = run_cli("lint", str(path), "--placeholder", "schema=app", "--placeholder", "label=x")
    assert clean.code == 0, clean.out + clean.err
    builtin = project.migration("app", "V2__grant.sql",
                                "GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO ${flyway:user};\n")
    assert run_cli("lint", str(builtin)).code == 0
