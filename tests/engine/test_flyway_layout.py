"""Flyway repositories as they are: dotted versions, nested folders, stray .sql files, gaps.

Discovery tests are pure; the history and out-of-order tests run on PostgreSQL 18 and 15.
"""

from __future__ import annotations

import psycopg
import pytest

from db_migrate.engine.discovery import discover
from db_migrate.engine.errors import InvalidInput, InvalidMigrationSet, OutOfOrder
from db_migrate.engine.options import OutOfOrderPolicy
from db_migrate.engine.planner import State, gaps
from db_migrate.engine.report import Action
from db_migrate.engine.source import DirectorySource, MappingSource, SourceFile
from db_migrate.engine.version import BadVersion, Version
from tests.conftest import Project
from tests.engine.test_apply import rows, run


def _discover(project: Project) -> list[str]:
    found = discover(DirectorySource(project.migrations, project.seeds), "db")
    return [s.name for s in found.migrations]


# ------------------------------------------------------------------------------ versions

def test_versions_compare_part_by_part_and_ignore_trailing_zero_parts() -> None:
    order = ["1", "1.1", "1.2", "1.2.1", "1.10", "2", "2023.01.15.1", "2023.1.16"]
    shuffled = [order[i] for i in (5, 3, 0, 7, 1, 6, 4, 2)]
    assert [str(v) for v in sorted(Version.parse(t) for t in shuffled)] == order
    assert Version.parse("1.0") == Version.parse("1") == Version.parse("001")
    assert Version.parse("1_2_3") == Version.parse("1.2.3")


def test_versions_show_as_flyway_does_and_whole_numbers_as_before() -> None:
    assert str(Version.parse("1_46_12")) == "1.46.12"
    assert str(Version.parse("2023.01.15.1")) == "2023.01.15.1"
    assert str(Version.parse("005")) == "5" and Version.parse("005").json() == 5
    assert Version.parse("1.2").json() == "1.2" and Version.parse("1.2").whole is None
    assert Version.parse("2023.01.15.1").key == "2023.1.15.1"
    huge = Version.parse("202301150930001234567")  # beyond bigint: kept as text
    assert huge.whole is None and huge.json() == "202301150930001234567"
    with pytest.raises(BadVersion, match=r"invalid version .1\.2-x."):
        Version.parse("1.2-x")


# ----------------------------------------------------------------------------- discovery

def test_flyway_names_are_ordered_numerically_whatever_the_spelling(project: Project) -> None:
    for name in ("V1.10__j.sql", "V1_2_3__c.sql", "V2__two.sql", "V1.2__b.sql", "V1__one.sql",
                 "V1.46.12__x.sql"):
        project.migration("db", name, "SELECT 1;")
    assert _discover(project) == ["V1__one.sql", "V1.2__b.sql", "V1_2_3__c.sql", "V1.10__j.sql",
                                  "V1.46.12__x.sql", "V2__two.sql"]


def test_two_spellings_of_one_version_are_refused_naming_both(project: Project) -> None:
    project.migration("db", "V1.0__a.sql", "SELECT 1;")
    project.migration("db", "sub/V1__b.sql", "SELECT 1;")
    with pytest.raises(InvalidMigrationSet) as info:
        _discover(project)
    folder = project.migrations / "db"
    assert info.value.problems == [
        f"version 1.0 is used by more than one file: {folder / 'V1.0__a.sql'}, "
        f"{folder / 'sub' / 'V1__b.sql'}"]


def test_nested_folders_are_scanned_and_ordered_by_version_not_by_folder(
        project: Project) -> None:
    project.migration("db", "release-2/V3__c.sql", "SELECT 3;")
    project.migration("db", "release-1/V2__b.sql", "SELECT 2;")
    project.migration("db", "release-2/deep/V1.5__x.sql", "SELECT 15;")
    project.migration("db", "V1__a.sql", "SELECT 1;")
    project.migration("db", ".git/V9__hidden.sql", "SELECT 9;")
    found = discover(DirectorySource(project.migrations, project.seeds), "db")
    assert [s.name for s in found.migrations] == ["V1__a.sql", "V1.5__x.sql", "V2__b.sql",
                                                  "V3__c.sql"]
    assert found.migrations[1].origin == str(project.migrations / "db/release-2/deep/V1.5__x.sql")


def test_names_meant_as_migrations_that_do_not_parse_are_errors_naming_them(
        project: Project) -> None:
    project.migration("db", "V1__ok.sql", "SELECT 1;")
    for name in ("V1.2-x.sql", "v3__lower.sql", "sub/V4_one_underscore.sql", "r__views.sql",
                 "V5__x.SQL"):
        project.migration("db", name, "SELECT 1;")
    with pytest.raises(InvalidMigrationSet) as info:
        _discover(project)
    named = sorted(p.split(" has a bad name")[0].rsplit("/", 1)[-1] for p in info.value.problems)
    assert named == ["V1.2-x.sql", "V4_one_underscore.sql", "V5__x.SQL", "r__views.sql",
                     "v3__lower.sql"]
    assert info.value.exit_code == 2


def test_other_sql_files_are_ignored_and_named_in_one_warning_per_run(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (id int);")
    project.migration("db", "templates/create_tenant.sql", "CREATE SCHEMA ${tenant};")
    project.migration("db", "scripts/cleanup.sql", "DROP TABLE t;")
    report = run(project, db_url)
    assert report.error is None and report.summary() == "1 applied, 0 skipped, 0 failed"
    folder = project.migrations / "db"
    assert report.warnings == [
        "2 .sql file(s) ignored, their names are not migrations (V<version>__<description>.sql "
        f"or R__<description>.sql): {folder / 'scripts/cleanup.sql'}, "
        f"{folder / 'templates/create_tenant.sql'}"]
    assert rows(db_url, "SELECT to_regclass('t') IS NOT NULL") == [(True,)]


def test_a_folder_with_files_but_no_migration_is_an_error_and_creates_nothing(
        project: Project, db_url: str) -> None:
    project.migration("db", "001_create.up.sql", "CREATE TABLE t (id int);")
    project.migration("db", "README.md", "goose layout")
    report = run(project, db_url)
    assert isinstance(report.error, InvalidMigrationSet) and report.exit_code == 2
    assert "no migration found among the 2 file(s) of database db" in str(report.error)
    assert rows(db_url, "SELECT to_regclass('_schema_migrations') IS NULL") == [(True,)]


def test_an_empty_folder_is_still_a_valid_empty_set(project: Project, db_url: str) -> None:
    (project.migrations / "db").mkdir(parents=True)
    assert run(project, db_url).summary() == "0 applied, 0 skipped, 0 failed"


def test_configmap_keys_that_are_not_sql_are_ignored_like_files_in_a_folder() -> None:
    files = [SourceFile("V1.1__a.sql", b"SELECT 1;", "ConfigMap ns/a key V1.1__a.sql"),
             SourceFile("README.md", b"notes", "ConfigMap ns/a key README.md")]
    found = discover(MappingSource({"db": files}), "db")
    assert [str(s.version) for s in found.migrations] == ["1.1"] and found.ignored == []


# --------------------------------------------------------------------------- history table

def _old_history_table(url: str) -> None:
    """_schema_migrations exactly as db-migrate created it before dotted versions."""
    ddl = """CREATE TABLE public._schema_migrations (
        installed_rank bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('migration', 'seed')), script_key text NOT NULL,
        version bigint, seed_set text, script text NOT NULL, description text NOT NULL,
        checksum text NOT NULL, success boolean NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        applied_by text NOT NULL DEFAULT current_user,
        runner text NOT NULL DEFAULT current_setting('application_name'),
        execution_ms integer NOT NULL DEFAULT 0, transactional boolean NOT NULL DEFAULT true,
        statements_total integer, statements_applied integer, error text,
        UNIQUE (kind, script_key))"""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(ddl)


def _columns(url: str) -> list[str]:
    return [str(r[0]) for r in rows(url, "SELECT attname FROM pg_attribute WHERE attrelid = "
                                         "'_schema_migrations'::regclass AND attnum > 0")]


def test_an_old_history_table_reads_unchanged_and_gets_version_text_only_when_needed(
        project: Project, db_url: str) -> None:
    _old_history_table(db_url)
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (id int);")
    first = run(project, db_url)
    assert first.error is None and first.applied == 1
    assert "version_text" not in _columns(db_url), "whole numbers never touch the layout"
    project.migration("db", "V1.1__u.sql", "CREATE TABLE IF NOT EXISTS u (id int);")
    second = run(project, db_url)
    assert second.error is None and second.summary() == "1 applied, 1 skipped, 0 failed"
    assert "version_text" in _columns(db_url)
    assert rows(db_url, "SELECT script_key, version, version_text FROM _schema_migrations "
                        "ORDER BY installed_rank") == [("1", 1, None), ("1.1", None, "1.1")]
    status = run(project, db_url, action=Action.STATUS)
    assert [(str(r.item.version), r.item.state) for r in status.items] == [
        ("1", State.APPLIED), ("1.1", State.APPLIED)]
    assert str(status.current_version) == "1.1"


def test_target_and_baseline_take_dotted_versions(project: Project, db_url: str) -> None:
    for name in ("V1__a.sql", "V1.1__b.sql", "V1.2__c.sql", "V2__d.sql"):
        project.migration("db", name, "SELECT 1;")
    baseline = run(project, db_url, action=Action.BASELINE, baseline_version="1.1")
    assert baseline.error is None and baseline.baselined == 2
    staged = run(project, db_url, target_version="1.2")
    assert staged.summary() == "1 applied, 2 skipped, 0 failed"
    assert str(staged.current_version) == "1.2"
    assert [r.item.label for r in staged.items if r.item.held_back] == ["V2__d.sql"]


# ----------------------------------------------------------------------------- out of order

def _out_of_order(project: Project, url: str) -> None:
    project.migration("db", "V1__a.sql", "CREATE TABLE IF NOT EXISTS a (id int);")
    project.migration("db", "V3__c.sql", "CREATE TABLE IF NOT EXISTS c (id int);")
    assert run(project, url).applied == 2
    project.migration("db", "V2__b.sql", "CREATE TABLE IF NOT EXISTS b (id int);")
    project.migration("db", "V1.5__h.sql", "CREATE TABLE IF NOT EXISTS h (id int);")


def test_out_of_order_files_run_by_default_with_a_warning_naming_each(
        project: Project, db_url: str) -> None:
    _out_of_order(project, db_url)
    report = run(project, db_url)
    assert report.error is None and report.summary() == "2 applied, 2 skipped, 0 failed"
    assert report.warnings == [
        "V1.5__h.sql is older than the current version V3; it will be applied out of order",
        "V2__b.sql is older than the current version V3; it will be applied out of order"]


def test_out_of_order_fail_refuses_with_exit_2_and_runs_nothing(
        project: Project, db_url: str) -> None:
    _out_of_order(project, db_url)
    report = run(project, db_url, out_of_order=OutOfOrderPolicy.FAIL)
    assert isinstance(report.error, OutOfOrder) and report.exit_code == 2
    assert str(report.error) == (
        "db: pending migrations are older than the current version V3 (V1.5__h.sql, V2__b.sql) "
        "and the out-of-order policy is 'fail'; nothing was run")
    assert rows(db_url, "SELECT count(*) FROM _schema_migrations") == [(2,)]
    assert rows(db_url, "SELECT to_regclass('b') IS NULL AND to_regclass('h') IS NULL") == [
        (True,)]


# ---------------------------------------------------------------------------------- gaps

def test_gaps_are_missing_neighbours_not_numbering_schemes() -> None:
    def shown(*texts: str) -> list[str]:
        return [str(v) for v in gaps([Version.parse(t) for t in texts])]
    assert shown("1", "2", "3", "5", "6") == ["4"]
    assert shown("1.2.1", "1.2.4", "1.3") == ["1.2.2", "1.2.3"]
    assert shown("20230101", "20230115", "100", "200") == []
    assert shown("1", "1.1", "2") == []


def test_status_shows_a_version_gap_and_says_why(project: Project, db_url: str) -> None:
    for name in ("V1__a.sql", "V2__b.sql", "V4__d.sql"):
        project.migration("db", name, "SELECT 1;")
    report = run(project, db_url, action=Action.STATUS)
    assert [str(v) for v in report.gaps] == ["3"]
    assert report.notes == [
        "no file has version V3: a gap in the numbering; in a Flyway repository usually a Java "
        "or Kotlin migration, which db-migrate cannot run (README: Coming from Flyway)"]


# ---------------------------------------------------------------- Flyway baseline migrations

def test_a_baseline_migration_is_named_and_the_v_files_run_instead(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__a.sql", "CREATE TABLE IF NOT EXISTS a (id int);")
    project.migration("db", "V2__b.sql", "CREATE TABLE IF NOT EXISTS b (id int);")
    project.migration("db", "B2__baseline.sql", "CREATE TABLE a (id int); CREATE TABLE b (id int);")
    report = run(project, db_url)
    assert report.error is None and report.summary() == "2 applied, 0 skipped, 0 failed"
    assert [w.split(":")[0] for w in report.warnings] == ["Flyway baseline migration(s) not run"]


def test_a_new_database_whose_v_files_start_after_a_baseline_migration_is_refused(
        project: Project, db_url: str) -> None:
    """As in eclipse-hawkbit: B1_20_0 replaced every V file before it."""
    project.migration("db", "B1_20_0__baseline.sql", "CREATE TABLE a (id int);")
    project.migration("db", "V1_20_1__more.sql", "ALTER TABLE a ADD COLUMN IF NOT EXISTS b int;")
    report = run(project, db_url)
    assert isinstance(report.error, InvalidInput) and report.exit_code == 2
    origin = project.migrations / "db" / "B1_20_0__baseline.sql"
    assert str(report.error) == (
        f"db: a new database starts from Flyway's baseline migration {origin}, which db-migrate "
        "does not run, and no V file goes up to V1.20.0; build it with Flyway once (flyway "
        "migrate -target=1.20.0), then run db-migrate adopt --from flyway; nothing was run")
    assert rows(db_url, "SELECT to_regclass('_schema_migrations') IS NULL") == [(True,)]
