"""Files that wrap themselves in BEGIN ... COMMIT (Flyway sets), on real PostgreSQL 18 and 15."""

from __future__ import annotations

from db_migrate.engine.errors import InvalidMigrationSet, MigrationFailed
from db_migrate.engine.report import Action, Outcome
from tests.conftest import Project
from tests.engine.test_apply import rows, run, table_exists

WRAPPED = """\
-- Flyway-style file: its own transaction
BEGIN;

CREATE TABLE IF NOT EXISTS {name} (id int PRIMARY KEY);
INSERT INTO {name} VALUES (1) ON CONFLICT DO NOTHING;

COMMIT;  -- done
"""


def test_a_leading_begin_and_trailing_commit_are_ignored_with_one_note_per_run(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__a.sql", WRAPPED.format(name="a"))
    project.migration("db", "V2__b.sql", "START TRANSACTION;\nCREATE TABLE IF NOT EXISTS b (id int);\nEND;\n")
    project.migration("db", "V3__c.sql", "CREATE TABLE IF NOT EXISTS c (id int);")
    report = run(project, db_url)
    assert report.error is None, report.error
    assert report.applied == 3
    assert [n for n in report.notes if "BEGIN ... COMMIT" in n] == [
        "2 files wrap themselves in BEGIN ... COMMIT (V1__a.sql, V2__b.sql); the wrapper is ignored: "
        "each file still runs as one transaction together with its history row"]
    assert rows(db_url, "SELECT version, success, transactional, statements_total FROM "
                        "_schema_migrations ORDER BY 1") == [
        (1, True, True, 2), (2, True, True, 1), (3, True, True, 1)]
    assert rows(db_url, "SELECT id FROM a") == [(1,)]


def test_a_wrapped_file_still_rolls_back_with_its_history_row_and_keeps_its_line_numbers(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__a.sql",
                      "BEGIN;\n\nCREATE TABLE IF NOT EXISTS a (id int);\n"
                      "INSERT INTO a VALUES ('not a number');\nCOMMIT;\n")
    report = run(project, db_url)
    assert isinstance(report.error, MigrationFailed)
    # Line 4 of the file; the wrapper is not counted as a statement.
    assert "V1__a.sql line 4 (statement 2/2)" in str(report.error)
    assert not table_exists(db_url, "a")
    assert rows(db_url, "SELECT success FROM _schema_migrations") == [(False,)]


def test_what_cannot_run_as_written_is_named_file_by_file_and_line_by_line(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__ok.sql", "CREATE TABLE IF NOT EXISTS ok (id int);")
    project.migration("db", "V2__open.sql",
                      "BEGIN;\nCREATE TABLE IF NOT EXISTS x (id int);\nCOMMIT;\nBEGIN;\n"
                      "CREATE TABLE IF NOT EXISTS y (id int);\n")
    project.migration("db", "V3__rollback.sql", "CREATE TABLE IF NOT EXISTS z (id int);\nROLLBACK;\n")
    project.migration("db", "V4__chain.sql", "BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;\n")
    project.migration("db", "V5__twophase.sql", "BEGIN;\nSELECT 1;\nPREPARE TRANSACTION 'x';\n")
    project.migration("db", "V6__concurrently.sql",
                      "BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON ok (id);\nCOMMIT;\n")
    report = run(project, db_url)
    assert isinstance(report.error, InvalidMigrationSet) and report.exit_code == 2
    problems = [p.split(":")[0] for p in report.error.problems]
    assert [p.rsplit("/", 1)[1] for p in problems] == [
        "V2__open.sql line 4", "V3__rollback.sql line 2", "V4__chain.sql line 3",
        "V5__twophase.sql line 3", "V5__twophase.sql line 1", "V6__concurrently.sql line 2"]
    assert "CREATE INDEX CONCURRENTLY cannot run inside the file's own BEGIN ... COMMIT" in \
        report.error.problems[-1]
    assert not table_exists(db_url, "ok") and not table_exists(db_url, "_schema_migrations")


def test_two_hundred_files_ending_in_a_lone_commit_run_as_wrapped_files(
        project: Project, db_url: str) -> None:
    for n in range(1, 200):
        project.migration("db", f"V{n}__t{n}.sql", f"CREATE TABLE IF NOT EXISTS t{n} (id int);\nCOMMIT;\n")
    report = run(project, db_url)
    assert report.error is None, report.error
    assert report.applied == 199
    assert [n for n in report.notes if "BEGIN ... COMMIT" in n] == [
        "199 files wrap themselves in BEGIN ... COMMIT (V1__t1.sql, V2__t2.sql, V3__t3.sql and "
        "196 more); the wrapper is ignored: each file still runs as one transaction together "
        "with its history row"]
    assert rows(db_url, "SELECT count(*) FROM _schema_migrations WHERE success AND transactional "
                        "AND statements_total = 1") == [(199,)]


def test_a_lone_leading_begin_runs_the_file_as_one_transaction_with_its_history_row(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__a.sql",
                      "BEGIN;\nCREATE TABLE IF NOT EXISTS a (id int);\nINSERT INTO a VALUES ('x');\n")
    report = run(project, db_url)
    assert isinstance(report.error, MigrationFailed)
    assert "V1__a.sql line 3 (statement 2/2)" in str(report.error)
    assert not table_exists(db_url, "a")


BLOCKS = """\
CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY);
BEGIN;
INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING;
INSERT INTO a VALUES (2) ON CONFLICT DO NOTHING;
COMMIT;
BEGIN;
INSERT INTO a VALUES (3) ON CONFLICT DO NOTHING;
COMMIT;
"""


def test_a_file_with_blocks_in_the_middle_runs_as_written_with_a_note_and_one_history_row(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__blocks.sql", BLOCKS)
    project.migration("db", "V2__after.sql", "CREATE TABLE IF NOT EXISTS b (id int);")
    report = run(project, db_url)
    assert report.error is None, report.error
    assert report.summary() == "2 applied, 0 skipped, 0 failed"
    assert [(r.item.label, r.mode) for r in report.items] == [
        ("V1__blocks.sql", "no-transaction"), ("V2__after.sql", "transaction")]
    assert [n for n in report.notes if "as written" in n] == [
        "1 file runs as written, statement by statement (V1__blocks.sql): each file's own BEGIN "
        "... COMMIT blocks are its transactions; progress is recorded per statement and the "
        "history row is written at the end"]
    assert rows(db_url, "SELECT id FROM a ORDER BY 1") == [(1,), (2,), (3,)]
    assert rows(db_url, "SELECT version, success, transactional, statements_total, "
                        "statements_applied FROM _schema_migrations ORDER BY 1") == [
        (1, True, False, 8, 8), (2, True, True, 1, 1)]


def test_a_failure_inside_a_files_own_block_keeps_the_blocks_before_it_and_records_how_far(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__blocks.sql", BLOCKS.replace("VALUES (3)", "VALUES ('three')"))
    report = run(project, db_url)
    assert isinstance(report.error, MigrationFailed) and report.exit_code == 1
    assert "V1__blocks.sql line 7 (statement 7/8)" in str(report.error)
    # The first block committed; the second rolled back with its failing statement.
    assert rows(db_url, "SELECT id FROM a ORDER BY 1") == [(1,), (2,)]
    assert rows(db_url, "SELECT success, transactional, statements_applied, error LIKE "
                        "'statement 7: %' FROM _schema_migrations") == [(False, False, 5, True)]
    project.migration("db", "V1__blocks.sql", BLOCKS)
    again = run(project, db_url)
    assert again.error is None and again.applied == 1
    assert rows(db_url, "SELECT id FROM a ORDER BY 1") == [(1,), (2,), (3,)]


def test_the_no_transaction_header_accepts_what_its_hint_suggested(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__ok.sql", "CREATE TABLE IF NOT EXISTS ok (id int);")
    project.migration("db", "V2__header.sql",
                      "-- db-migrate: no-transaction\nBEGIN;\nINSERT INTO ok VALUES (1);\n"
                      "COMMIT;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ok_id ON ok (id);\n")
    report = run(project, db_url)
    assert report.error is None, report.error
    assert rows(db_url, "SELECT id FROM ok") == [(1,)]
    assert rows(db_url, "SELECT version, transactional, statements_applied FROM "
                        "_schema_migrations ORDER BY 1") == [(1, True, 1), (2, False, 4)]


def test_dry_run_of_wrapped_files_notes_them_and_plans_them_as_transactions(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__a.sql", WRAPPED.format(name="a"))
    report = run(project, db_url, action=Action.DRY_RUN)
    assert report.error is None
    assert len(report.notes) == 1 and "1 file wraps itself in BEGIN ... COMMIT" in report.notes[0]
    assert [(r.outcome, r.mode) for r in report.items] == [(Outcome.WOULD_APPLY, "transaction")]
