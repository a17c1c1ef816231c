"""Files Flyway accepts (issue 16 §3): empty files and placeholders, on PostgreSQL 18 and 15."""

from __future__ import annotations

import hashlib

from db_migrate.engine.errors import InvalidMigrationSet
from db_migrate.engine.planner import State
from db_migrate.engine.report import Action, Outcome
from tests.conftest import Project
from tests.engine.test_apply import rows, run, table_exists


def test_empty_files_are_recorded_as_applied_with_one_note_per_run(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (id int);")
    project.migration("db", "V2__nothing.sql", b"")
    project.migration("db", "V3__comments_only.sql", "-- kept for the numbering\n")
    for n in range(13):
        project.migration("db", f"R__view_{n:02}.sql", b"\n" if n % 2 else b"")
    report = run(project, db_url)
    assert report.error is None, report.error
    assert report.summary() == "16 applied, 0 skipped, 0 failed"
    assert [n for n in report.notes if "no statements" in n] == [
        "15 files have no statements (V2__nothing.sql, V3__comments_only.sql, R__view_00.sql "
        "and 12 more); each is recorded as applied, as Flyway records it"]
    assert rows(db_url, "SELECT count(*), bool_and(success), sum(statements_total) FROM "
                        "_schema_migrations") == [(16, True, 1)]
    again = run(project, db_url)
    assert again.summary() == "0 applied, 16 skipped, 0 failed" and again.notes == []


def test_placeholders_are_replaced_case_insensitively_and_the_checksum_is_the_files(
        project: Project, db_url: str) -> None:
    body = "CREATE SCHEMA IF NOT EXISTS ${Schema};\nCREATE TABLE IF NOT EXISTS ${SCHEMA}.t (v text);\n"
    path = project.migration("db", "V1__schema.sql", body)
    report = run(project, db_url, placeholders=(("schema", "app"),))
    assert report.error is None, report.error
    assert table_exists(db_url, "app.t")
    # Versioned files: Flyway's rule, the checksum of the file before replacement.
    assert rows(db_url, "SELECT checksum FROM _schema_migrations") == [
        (hashlib.sha256(path.read_bytes()).hexdigest(),)]
    # Another value later changes nothing for an applied versioned file, as in Flyway.
    assert run(project, db_url, placeholders=(("schema", "other"),)).summary() == \
        "0 applied, 1 skipped, 0 failed"
    assert run(project, db_url).summary() == "0 applied, 1 skipped, 0 failed"


def test_flyways_builtin_placeholders_have_the_runs_values(project: Project, db_url: str) -> None:
    project.migration("db", "V1__builtins.sql", """
        CREATE TABLE IF NOT EXISTS b AS SELECT '${flyway:defaultSchema}' AS schema,
          '${flyway:user}' AS usr, '${flyway:database}' AS db, '${flyway:filename}' AS file,
          '${flyway:table}' AS tbl, '${flyway:timestamp}'::timestamp AS ts;
        """)
    report = run(project, db_url, history_table="history")
    assert report.error is None, report.error
    assert rows(db_url, "SELECT schema, usr = current_user, db = current_database(), file, tbl, "
                        "ts > now()::timestamp - interval '1 day' FROM b") == [
        ("public", True, True, "V1__builtins.sql", "history", True)]


def test_a_placeholder_without_a_value_is_named_with_its_file_and_line_before_anything_runs(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__ok.sql", "CREATE TABLE IF NOT EXISTS ok (id int);")
    project.migration("db", "V2__grant.sql", "SELECT 1;\n\nGRANT SELECT ON ok TO ${reader};\n")
    project.migration("db", "V3__open.sql", "SELECT '${oops';\n")
    for action in (Action.APPLY, Action.DRY_RUN):
        report = run(project, db_url, action=action)
        assert isinstance(report.error, InvalidMigrationSet) and report.exit_code == 2
        assert [p.rsplit("/", 1)[1] for p in report.error.problems] == [
            "V2__grant.sql line 3: no value for placeholder ${reader}; give one with "
            "--placeholder reader=VALUE, DB_MIGRATE_PLACEHOLDER_READER or spec.placeholders "
            "(or turn replacement off with --no-placeholders)",
            "V3__open.sql line 1: placeholder ${ is never closed by } (as in Flyway, ${ always "
            "starts one; --no-placeholders turns replacement off)"]
        assert "syntax error" not in str(report.error)
    assert not table_exists(db_url, "ok") and not table_exists(db_url, "_schema_migrations")


def test_no_placeholders_sends_the_text_as_written(project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t AS SELECT '${x}'::text AS v;")
    report = run(project, db_url, placeholder_replacement=False)
    assert report.error is None, report.error
    assert rows(db_url, "SELECT v FROM t") == [("${x}",)]


def test_a_repeatable_runs_again_when_a_value_changes_and_on_every_run_with_the_timestamp(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS runs (at text, label text);")
    project.migration("db", "R__label.sql",
                      "CREATE OR REPLACE VIEW label AS SELECT '${label}'::text AS label;")
    project.migration("db", "R__stamp.sql",
                      "INSERT INTO runs VALUES ('${flyway:timestamp}', 'stamp');")
    first = run(project, db_url, placeholders=(("label", "one"),))
    assert first.summary() == "3 applied, 0 skipped, 0 failed", first.error
    second = run(project, db_url, placeholders=(("label", "one"),))
    assert [(r.item.label, r.outcome) for r in second.items] == [
        ("V1__t.sql", Outcome.SKIPPED), ("R__label.sql", Outcome.SKIPPED),
        ("R__stamp.sql", Outcome.APPLIED)]
    status = run(project, db_url, action=Action.STATUS, placeholders=(("label", "two"),))
    assert {r.item.label: r.item.state for r in status.items}["R__label.sql"] is State.CHANGED
    third = run(project, db_url, placeholders=(("label", "two"),))
    assert third.summary() == "2 applied, 1 skipped, 0 failed"
    assert rows(db_url, "SELECT label FROM label") == [("two",)]
    assert rows(db_url, "SELECT count(*) FROM runs") == [(3,)]


def test_a_repeatable_without_a_value_is_refused_even_for_status(
        project: Project, db_url: str) -> None:
    project.migration("db", "R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT '${label}' AS l;")
    report = run(project, db_url, action=Action.STATUS)
    assert isinstance(report.error, InvalidMigrationSet)
    assert "R__v.sql line 1: no value for placeholder ${label}" in str(report.error)
