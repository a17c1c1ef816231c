"""Databases migrated by another tool (ES1's original migrate.py and look-alikes)."""

from __future__ import annotations

import hashlib

import psycopg
import pytest

from db_migrate.engine.legacy import ForeignHistory
from db_migrate.engine.planner import State
from db_migrate.engine.report import Action
from tests.conftest import Project
from tests.engine.test_apply import rows, run, table_exists

V1 = "CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY);\n"
V2 = "ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\n"
V3 = "CREATE TABLE IF NOT EXISTS audit (id int);\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def seed_files(project: Project, padded: bool = True) -> None:
    fmt = "V{:03d}" if padded else "V{}"
    for n, body in ((1, V1), (2, V2), (3, V3)):
        project.migration("db", f"{fmt.format(n)}__step{n}.sql", body)


def execute(url: str, script: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(script)


def legacy_db(url: str, ddl: str, inserts: str) -> None:
    """What the previous tool left: its schema (V1, V2 applied) and its history table."""
    execute(url, V1 + V2 + ddl + inserts)


SEED_RUNNER = ("CREATE TABLE _schema_migrations (version varchar PRIMARY KEY, description text, "
               "checksum varchar(64), applied_at timestamptz, execution_time_ms int NOT NULL);")


def test_the_seed_runners_table_is_adopted_in_place_keeping_rows_and_checksums(
        project: Project, db_url: str) -> None:
    seed_files(project)
    # A seed has no version: the legacy primary key on version must be gone.
    project.seed("db", "reference", "001_users.sql",
                 "INSERT INTO users VALUES (1) ON CONFLICT DO NOTHING;")
    legacy_db(db_url, SEED_RUNNER,
              "INSERT INTO _schema_migrations VALUES "
              f"('001', 'step1', '{sha(V1)}', '2025-01-02 03:04:05+00', 12), "
              f"('002', 'step2', '{sha(V2)}', '2025-01-03 03:04:05+00', 7);")
    status = run(project, db_url, action=Action.STATUS)
    assert status.error is None, status.error
    assert [r.item.state for r in status.items] == [State.APPLIED, State.APPLIED, State.PENDING,
                                                   State.PENDING]
    assert any("the next run adopts it" in n for n in status.notes)
    assert rows(db_url, "SELECT count(*) FROM information_schema.columns WHERE table_name = "
                        "'_schema_migrations'") == [(5,)]  # status wrote nothing

    report = run(project, db_url)
    assert report.error is None, report.error
    assert report.summary() == "2 applied, 2 skipped, 0 failed"
    assert report.warnings == []  # checksums kept and equal: no drift
    assert report.notes == [
        "adopted public._schema_migrations written by another tool: 2 applied versions kept "
        "(V1..V2), 2 checksums kept; added db-migrate's columns in place"]
    adopted = rows(db_url, "SELECT version, script, success, runner, execution_ms, "
                           "execution_time_ms, applied_at::date::text FROM _schema_migrations "
                           "WHERE version < 3 ORDER BY installed_rank")
    assert adopted == [
        (1, "V001__step1.sql", True, "db-migrate adopted", 12, 12, "2025-01-02"),
        (2, "V002__step2.sql", True, "db-migrate adopted", 7, 7, "2025-01-03")]
    assert rows(db_url, "SELECT checksum FROM _schema_migrations ORDER BY version")[:2] == [
        (sha(V1),), (sha(V2),)]
    assert table_exists(db_url, "audit")
    assert rows(db_url, "SELECT kind, version FROM _schema_migrations WHERE kind = 'seed'") == [
        ("seed", None)]
    again = run(project, db_url)
    assert again.summary() == "0 applied, 4 skipped, 0 failed" and again.notes == []


def test_a_kept_legacy_checksum_reveals_a_file_edited_since(project: Project, db_url: str) -> None:
    seed_files(project)
    legacy_db(db_url, SEED_RUNNER,
              "INSERT INTO _schema_migrations VALUES "
              f"('001', 'step1', '{sha('an older V1')}', now(), 1), ('002', 'step2', NULL, now(), 1);")
    report = run(project, db_url)
    assert report.error is None, report.error
    assert [w for w in report.warnings if "changed after it was applied" in w] == [
        f"{project.migrations / 'db' / 'V001__step1.sql'} was changed after it was applied: "
        f"checksum applied {sha('an older V1')}, file now {sha(V1)}; create a new migration instead"]
    assert "1 checksum kept" in report.notes[0]


@pytest.mark.parametrize(("ddl", "values", "padded"), [
    # no checksum, version text, zero-padded
    ("CREATE TABLE _schema_migrations (version text PRIMARY KEY, applied_at timestamp)",
     "('001', now()), ('002', now())", True),
    # version int, not padded, a name column, files not padded
    ("CREATE TABLE _schema_migrations (version int PRIMARY KEY, name text NOT NULL, "
     "installed_on timestamptz DEFAULT now())", "(1, 'step1'), (2, 'step2')", False),
    # version text not padded while the files are; a V prefix; an md5 checksum (other algorithm)
    ("CREATE TABLE _schema_migrations (id serial PRIMARY KEY, version varchar(20) UNIQUE, "
     "checksum char(32), success boolean NOT NULL)",
     f"(DEFAULT, 'V1', '{'a' * 32}', true), (DEFAULT, '2', '{'b' * 32}', true)", True),
    # bigint version padded files, an incompatible same-name column (success as text)
    ("CREATE TABLE _schema_migrations (version bigint, success text, script text)",
     "(1, 'yes', 'V1__step1.sql'), (2, 'yes', 'V2__step2.sql')", False),
])
def test_plausible_legacy_layouts_are_adopted(project: Project, db_url: str, ddl: str,
                                              values: str, padded: bool) -> None:
    seed_files(project, padded=padded)
    legacy_db(db_url, ddl + ";", f"INSERT INTO _schema_migrations VALUES {values};")
    report = run(project, db_url)
    assert report.error is None, report.error
    assert report.summary() == "1 applied, 2 skipped, 0 failed"
    assert report.warnings == []
    assert report.notes[0].startswith("adopted public._schema_migrations written by another "
                                      "tool: 2 applied versions kept (V1..V2)")
    assert rows(db_url, "SELECT version, kind, script_key, success FROM _schema_migrations "
                        "ORDER BY installed_rank") == [
        (1, "migration", "1", True), (2, "migration", "2", True), (3, "migration", "3", True)]
    assert run(project, db_url).summary() == "0 applied, 3 skipped, 0 failed"


@pytest.mark.parametrize(("ddl", "values", "why"), [
    ("CREATE TABLE _schema_migrations (id serial PRIMARY KEY, filename text, run_on timestamp)",
     "(DEFAULT, 'V001__step1.sql', now())", "it has no version column"),
    ("CREATE TABLE _schema_migrations (version text PRIMARY KEY)", "('1.1'), ('2')",
     "versions that are not whole numbers: '1.1'"),
    ("CREATE TABLE _schema_migrations (version text PRIMARY KEY)", "('1'), ('001')",
     "versions '1' and '001' are the same number"),
    ("CREATE TABLE _schema_migrations (version text, kind text)", "('1', 'x')",
     "it has some of db-migrate's columns (kind)"),
])
def test_ambiguous_legacy_tables_are_refused_with_the_columns_and_the_command(
        project: Project, db_url: str, ddl: str, values: str, why: str) -> None:
    seed_files(project)
    legacy_db(db_url, ddl + ";", f"INSERT INTO _schema_migrations VALUES {values};")
    report = run(project, db_url)
    assert isinstance(report.error, ForeignHistory) and report.exit_code == 2
    message = str(report.error)
    assert message.startswith("db: public._schema_migrations was not written by db-migrate "
                              "(columns: ")
    assert why in message
    assert message.endswith("run: db-migrate baseline --database db --version N")
    assert not table_exists(db_url, "audit")
