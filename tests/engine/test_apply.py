"""Applying migrations and seeds against real PostgreSQL (18 embedded and 15)."""

from __future__ import annotations

import psycopg
import pytest

from db_migrate.engine.errors import ChecksumDrift, InvalidInput, InvalidMigrationSet, MigrationFailed
from db_migrate.engine.options import ChecksumPolicy, RunOptions
from db_migrate.engine.planner import State
from db_migrate.engine.report import Action, DatabaseReport, Outcome
from db_migrate.engine.runner import run_database
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.source import DirectorySource
from db_migrate.engine.version import Version
from tests.conftest import Project


def run(project: Project, url: str, action: Action = Action.APPLY, **options: object) -> DatabaseReport:
    source = DirectorySource(project.migrations, project.seeds)
    for name in ("target_version", "baseline_version"):
        # Tests write versions as they appear in file names: 3, or "1.2.3".
        if isinstance(options.get(name), int | str):
            options[name] = Version.parse(str(options[name]))
    return run_database(source, "db", url, RunOptions(**options), action=action)  # type: ignore[arg-type]


def rows(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def table_exists(url: str, name: str) -> bool:
    return bool(rows(url, f"SELECT to_regclass('{name}') IS NOT NULL")[0][0])


def basic_set(project: Project) -> None:
    project.migration("db", "V1__users.sql", "CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY, name text);")
    project.migration("db", "V2__email.sql", "ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;")
    project.migration("db", "V10__index.sql", "CREATE INDEX IF NOT EXISTS users_email ON users (email);")


def test_first_run_applies_all_and_second_run_skips_all(project: Project, db_url: str) -> None:
    basic_set(project)
    first = run(project, db_url)
    assert first.error is None
    assert first.summary() == "3 applied, 0 skipped, 0 failed"
    assert first.current_version == Version.of(10)
    second = run(project, db_url)
    assert second.summary() == "0 applied, 3 skipped, 0 failed"
    history = rows(db_url, "SELECT version, script, kind, success, length(checksum), applied_by, "
                           "execution_ms >= 0 FROM _schema_migrations ORDER BY version")
    assert [(r[0], r[1], r[2], r[3], r[4], r[6]) for r in history] == [
        (1, "V1__users.sql", "migration", True, 64, True),
        (2, "V2__email.sql", "migration", True, 64, True),
        (10, "V10__index.sql", "migration", True, 64, True),
    ]
    assert all(r[5] == "postgres" for r in history)


def test_history_table_schema_and_name_are_configurable_and_quoted(project: Project, db_url: str) -> None:
    basic_set(project)
    report = run(project, db_url, history_schema="Ops Schema", history_table="Migration-History")
    assert report.error is None
    assert rows(db_url, 'SELECT count(*) FROM "Ops Schema"."Migration-History"')[0][0] == 3
    assert not table_exists(db_url, "public._schema_migrations")


def test_failure_stops_at_the_first_failing_file_and_names_line_statement_and_error(
        project: Project, db_url: str) -> None:
    basic_set(project)
    project.migration("db", "V3__broken.sql", """
        CREATE TABLE IF NOT EXISTS audit (id int);
        INSERT INTO audit VALUES (1);
        INSERT INTO no_such_table VALUES (1);
    """)
    report = run(project, db_url)
    assert isinstance(report.error, MigrationFailed)
    message = str(report.error)
    assert "V3__broken.sql line 3 (statement 3/3)" in message
    assert 'relation "no_such_table" does not exist' in message
    assert report.summary() == "2 applied, 0 skipped, 1 failed"
    assert report.exit_code == 1
    # V10 was not attempted and the failed file left nothing but the record of its attempt.
    assert rows(db_url, "SELECT version, success FROM _schema_migrations ORDER BY 1") == [
        (1, True), (2, True), (3, False)]
    assert not table_exists(db_url, "audit")
    outcomes = {r.item.label: r.outcome for r in report.items}
    assert outcomes["V10__index.sql"] is Outcome.NOT_ATTEMPTED


def test_error_without_position_is_attributed_to_its_statement(project: Project, db_url: str) -> None:
    project.migration("db", "V1__raise.sql", """
        CREATE TABLE IF NOT EXISTS t (id int);
        DO $$
        BEGIN
          RAISE EXCEPTION 'custom failure';
        END $$;
    """)
    report = run(project, db_url)
    assert "V1__raise.sql line 2 (statement 2/2)" in str(report.error)
    assert "custom failure" in str(report.error)


def test_a_fixed_migration_is_retried_on_the_next_run(project: Project, db_url: str) -> None:
    path = project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (id int); SELECT 1/0;")
    assert run(project, db_url).failed == 1
    path.write_text("CREATE TABLE IF NOT EXISTS t (id int);")
    report = run(project, db_url)
    assert report.error is None and report.applied == 1


def test_a_block_never_committed_is_refused_before_anything_runs(
        project: Project, db_url: str) -> None:
    # A COMMIT in the middle runs as written (test_transaction_wrappers.py); a block left
    # open at the end of the file cannot.
    project.migration("db", "V1__ok.sql", "CREATE TABLE IF NOT EXISTS ok (id int);")
    project.migration("db", "V2__tx.sql", "BEGIN;\nCREATE TABLE IF NOT EXISTS x (id int);\nCOMMIT;\n"
                      "BEGIN;\nCREATE TABLE IF NOT EXISTS y (id int);\n")
    report = run(project, db_url)
    assert isinstance(report.error, InvalidInput)
    assert "V2__tx.sql line 4: this transaction block is never committed" in str(report.error)
    assert report.exit_code == 2
    assert not table_exists(db_url, "ok")


def test_invalid_set_creates_nothing_not_even_the_history_table(project: Project, db_url: str) -> None:
    project.migration("db", "V1__ok.sql", "CREATE TABLE IF NOT EXISTS ok (id int);")
    project.migration("db", "V2-oops.sql", "SELECT 1;")
    report = run(project, db_url)
    assert isinstance(report.error, InvalidMigrationSet)
    assert not table_exists(db_url, "_schema_migrations")
    assert not table_exists(db_url, "ok")


def test_concurrent_index_file_runs_outside_a_transaction_statement_by_statement(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (a int, b int);")
    project.migration("db", "V2__idx.sql", """
        CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);
        CREATE INDEX CONCURRENTLY IF NOT EXISTS t_b ON t (b);
    """)
    report = run(project, db_url)
    assert report.error is None, report.error
    modes = {r.item.label: r.mode for r in report.items}
    assert modes == {"V1__t.sql": "transaction", "V2__idx.sql": "no-transaction"}
    assert rows(db_url, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                        "WHERE c.relname IN ('t_a', 't_b') AND i.indisvalid")[0][0] == 2
    assert rows(db_url, "SELECT transactional, statements_total, statements_applied FROM "
                        "_schema_migrations WHERE version = 2") == [(False, 2, 2)]


def test_header_directive_forces_no_transaction_mode(project: Project, db_url: str) -> None:
    project.migration("db", "V1__vacuum.sql", "-- db-migrate: no-transaction\nCREATE TABLE IF NOT EXISTS t (a int);\nSELECT 1;\n")
    report = run(project, db_url)
    assert report.error is None
    assert report.items[0].mode == "no-transaction"


def test_failed_no_transaction_file_records_the_failing_statement(project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (a int);")
    project.migration("db", "V2__idx.sql", """
        CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);
        CREATE INDEX CONCURRENTLY IF NOT EXISTS t_z ON t (zzz);
    """)
    report = run(project, db_url)
    assert "V2__idx.sql line 2 (statement 2/2)" in str(report.error)
    assert rows(db_url, "SELECT success, statements_total, statements_applied, error LIKE "
                        "'statement 2:%zzz%' FROM _schema_migrations WHERE version = 2") == [
        (False, 2, 1, True)]
    status = run(project, db_url, action=Action.STATUS)
    assert {r.item.label: r.item.state for r in status.items}["V2__idx.sql"] is State.FAILED


def test_drift_warns_with_both_checksums_by_default(project: Project, db_url: str) -> None:
    path = project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (a int);\n")
    first = run(project, db_url)
    path.write_text("CREATE TABLE IF NOT EXISTS t (a bigint);\n")
    second = run(project, db_url)
    assert second.error is None and second.summary() == "0 applied, 1 skipped, 0 failed"
    old = first.items[0].item.checksum
    new = second.items[0].item.checksum
    assert any("V1__t.sql was changed after it was applied" in w and old in w and new in w
               for w in second.warnings)


def test_crlf_conversion_of_an_applied_file_is_not_drift(project: Project, db_url: str) -> None:
    path = project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (a int);\nSELECT 1;\n")
    run(project, db_url)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert run(project, db_url).warnings == []


def test_drift_under_fail_policy_refuses_the_database(project: Project, db_url: str) -> None:
    path = project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (a int);\n")
    run(project, db_url)
    path.write_text("CREATE TABLE IF NOT EXISTS t (a bigint);\n")
    project.migration("db", "V2__u.sql", "CREATE TABLE IF NOT EXISTS u (a int);\n")
    report = run(project, db_url, checksum_policy=ChecksumPolicy.FAIL)
    assert isinstance(report.error, ChecksumDrift) and report.exit_code == 2
    assert "V1__t.sql" in str(report.error)
    assert not table_exists(db_url, "u")


def test_missing_file_of_an_applied_version_is_reported(project: Project, db_url: str) -> None:
    basic_set(project)
    run(project, db_url)
    (project.migrations / "db" / "V2__email.sql").unlink()
    report = run(project, db_url, action=Action.STATUS)
    states = {r.item.label: r.item.state for r in report.items}
    assert states["V2__email.sql"] is State.MISSING
    assert any("V2 (V2__email.sql) is recorded as applied but its file is missing" in w
               for w in report.warnings)


@pytest.mark.parametrize(("mode", "expected_sets"), [
    (SeedMode.NONE, set()),
    (SeedMode.REFERENCE, {"reference"}),
    (SeedMode.SAMPLE, {"reference", "sample"}),
    (SeedMode.FULL, {"reference", "sample", "customer"}),
])
def test_seed_modes_apply_their_sets_after_migrations(
        project: Project, db_url: str, mode: SeedMode, expected_sets: set[str]) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS seeded (set_name text, n serial);")
    for set_name in ("reference", "sample", "customer"):
        project.seed("db", set_name, "001.sql", f"INSERT INTO seeded (set_name) VALUES ('{set_name}');")
    report = run(project, db_url, seed_mode=mode)
    assert report.error is None
    applied = rows(db_url, "SELECT set_name FROM seeded ORDER BY n")
    assert {r[0] for r in applied} == expected_sets
    if mode is SeedMode.FULL:
        assert [r[0] for r in applied] == ["reference", "sample", "customer"]
    assert report.applied == 1 + len(expected_sets)


def test_unchanged_seed_is_skipped_and_changed_seed_is_applied_again(project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS settings (k text PRIMARY KEY, v text);")
    seed = project.seed("db", "reference", "001.sql",
                        "INSERT INTO settings VALUES ('theme', 'light') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;")
    assert run(project, db_url).applied == 2
    again = run(project, db_url)
    assert again.summary() == "0 applied, 2 skipped, 0 failed"
    seed.write_text("INSERT INTO settings VALUES ('theme', 'dark') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;")
    changed = run(project, db_url)
    assert changed.summary() == "1 applied, 1 skipped, 0 failed"
    assert rows(db_url, "SELECT v FROM settings") == [("dark",)]
    assert rows(db_url, "SELECT count(*) FROM _schema_migrations WHERE kind = 'seed'") == [(1,)]


def test_dry_run_plans_everything_and_writes_nothing(project: Project, db_url: str) -> None:
    basic_set(project)
    project.migration("db", "V11__idx.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (name);")
    project.seed("db", "reference", "001.sql", "INSERT INTO users VALUES (1, 'a') ON CONFLICT DO NOTHING;")
    report = run(project, db_url, action=Action.DRY_RUN)
    assert report.error is None
    assert report.pending == 5 and report.applied == 0
    assert [(r.item.label, r.mode) for r in report.items] == [
        ("V1__users.sql", "transaction"), ("V2__email.sql", "transaction"),
        ("V10__index.sql", "transaction"), ("V11__idx.sql", "no-transaction"),
        ("reference/001.sql", "transaction")]
    assert all(r.outcome is Outcome.WOULD_APPLY for r in report.items)
    assert rows(db_url, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = 'public'") == [(0,)]


def test_status_shows_applied_pending_and_modified(project: Project, db_url: str) -> None:
    basic_set(project)
    run(project, db_url)
    (project.migrations / "db" / "V1__users.sql").write_text("CREATE TABLE IF NOT EXISTS users (id bigint);")
    project.migration("db", "V11__new.sql", "SELECT 1;")
    report = run(project, db_url, action=Action.STATUS)
    states = {r.item.label: r.item.state for r in report.items}
    assert states == {"V1__users.sql": State.MODIFIED, "V2__email.sql": State.APPLIED,
                      "V10__index.sql": State.APPLIED, "V11__new.sql": State.PENDING}
    assert report.pending == 1 and report.current_version == Version.of(10)


def test_group_mode_applies_everything_in_one_transaction_or_nothing(project: Project, db_url: str) -> None:
    basic_set(project)
    project.migration("db", "V11__bad.sql", "SELECT 1/0;")
    report = run(project, db_url, group=True)
    assert isinstance(report.error, MigrationFailed) and "V11__bad.sql" in str(report.error)
    assert report.summary() == "0 applied, 0 skipped, 1 failed"
    assert not table_exists(db_url, "users")
    (project.migrations / "db" / "V11__bad.sql").write_text("SELECT 1;")
    report = run(project, db_url, group=True)
    assert report.summary() == "4 applied, 0 skipped, 0 failed"
    # One transaction: every row carries the same transaction timestamp.
    assert rows(db_url, "SELECT count(DISTINCT applied_at) FROM _schema_migrations") == [(1,)]


def test_unreachable_database_is_a_transient_error_without_password(project: Project) -> None:
    basic_set(project)
    url = "postgresql://app:s3cret-pw@127.0.0.1:1/nowhere?connect_timeout=2"
    report = run(project, url)
    assert report.exit_code == 3
    assert "s3cret-pw" not in str(report.error)
    assert "cannot connect to nowhere on 127.0.0.1:1" in str(report.error)
