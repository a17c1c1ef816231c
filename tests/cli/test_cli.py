"""The db-migrate command as users run it: real processes, exit codes, output, JSON."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import psycopg

from tests.conftest import Project, run_cli
from tests.pgservers import PgServer


def args(project: Project, *extra: str) -> list[str]:
    return ["--migrations-dir", str(project.migrations), "--seeds-dir", str(project.seeds), *extra]


def small_set(project: Project) -> None:
    project.migration("app", "V001__t.sql", "CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY);")
    project.migration("app", "V002__u.sql", "CREATE TABLE IF NOT EXISTS u (id int PRIMARY KEY);")
    project.migration("app", "V003__idx.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS u_id ON u (id);")
    project.seed("app", "reference", "001_t.sql", "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING;")


def test_progress_line_per_file_and_totals_then_idempotent_second_run(project: Project, pg18: PgServer) -> None:
    small_set(project)
    url = pg18.create_database()
    first = run_cli(*args(project, "--database", "app", "--url", url))
    assert first.code == 0, first.err
    assert re.search(r"\[1/4\] V001__t.sql\s+applied\s+\d+ ms", first.out)
    assert re.search(r"\[3/4\] V003__idx.sql\s+applied\s+\d+ ms\s+\(no-transaction\)", first.out)
    assert re.search(r"\[4/4\] reference/001_t.sql\s+applied", first.out)
    assert first.out.rstrip().splitlines()[-1] == "4 applied, 0 skipped, 0 failed"
    second = run_cli(*args(project, "--database", "app", "--url", url))
    assert second.code == 0
    assert second.out.rstrip().splitlines()[-1] == "0 applied, 4 skipped, 0 failed"


def test_url_from_per_database_environment_variable(project: Project, pg18: PgServer) -> None:
    project.migration("aiml-postgres", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (id int);")
    url = pg18.create_database()
    result = run_cli(*args(project, "--all-databases"), env={"DB_MIGRATE_URL_AIML_POSTGRES": url})
    assert result.code == 0, result.err
    assert "url from DB_MIGRATE_URL_AIML_POSTGRES" in result.out
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM _schema_migrations").fetchone() == (1,)


def test_embedded_default_needs_no_configuration(project: Project) -> None:
    small_set(project)
    # Not under tmp_path: as root, the embedded server runs as its own user, which must traverse
    # the data directory's parents; another pytest session starting meanwhile resets
    # /tmp/pytest-of-root to 0700 and initdb then failed half-way ("Permission denied").
    parent = Path(tempfile.mkdtemp(prefix="dbm-embedded-"))
    data = parent / "emb"
    env = {"DB_MIGRATE_EMBEDDED_DIR": str(data)}
    try:
        first = run_cli(*args(project, "--all-databases", "--seed", "reference"), env=env)
        assert first.code == 0, first.err
        assert f"data directory {data}" in first.out
        second = run_cli(*args(project, "--all-databases", "--seed", "reference"), env=env)
        assert second.out.rstrip().splitlines()[-1] == "0 applied, 4 skipped, 0 failed"
    finally:
        shutil.rmtree(parent, ignore_errors=True)  # each invocation stopped the server it started


def test_json_output_has_the_documented_schema(project: Project, pg18: PgServer) -> None:
    small_set(project)
    url = pg18.create_database()
    result = run_cli(*args(project, "--database", "app", "--url", url, "--json"))
    doc = json.loads(result.out)
    assert doc["schema_version"] == 1 and doc["exit_code"] == 0 and doc["action"] == "apply"
    assert doc["summary"] == "4 applied, 0 skipped, 0 failed"
    db = doc["databases"][0]
    assert db["database"] == "app" and db["current_version"] == 3 and db["error"] is None
    assert [i["script"] for i in db["items"]] == ["V001__t.sql", "V002__u.sql", "V003__idx.sql",
                                                  "reference/001_t.sql"]
    assert {i["outcome"] for i in db["items"]} == {"applied"}
    assert all(len(i["checksum"]) == 64 for i in db["items"])
    status = json.loads(run_cli(*args(project, "--database", "app", "--url", url, "--json",
                                      "--status")).out)
    assert [i["state"] for i in status["databases"][0]["items"]] == ["applied"] * 4


def test_status_prints_a_table_and_is_read_only(project: Project, pg18: PgServer) -> None:
    small_set(project)
    url = pg18.create_database()
    result = run_cli(*args(project, "--database", "app", "--url", url, "--status"))
    assert result.code == 0
    assert re.search(r"VERSION\s+SCRIPT\s+STATE\s+APPLIED AT", result.out)
    assert re.search(r"V1\s+V001__t.sql\s+pending", result.out)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('_schema_migrations')").fetchone() == (None,)


def test_dry_run_prints_the_plan_with_mode_and_checksum(project: Project, pg18: PgServer) -> None:
    small_set(project)
    url = pg18.create_database()
    result = run_cli(*args(project, "--database", "app", "--url", url, "--dry-run"))
    assert result.code == 0
    assert re.search(r"3\s+V3\s+V003__idx.sql\s+pending\s+no-transaction\s+[0-9a-f]{12}", result.out)
    assert "dry run: 4 would be applied, 0 skipped, 0 failed; nothing was written" in result.out


def test_exit_code_1_when_a_migration_fails(project: Project, pg18: PgServer) -> None:
    project.migration("app", "V1__bad.sql", "SELECT 1/0;")
    result = run_cli(*args(project, "--database", "app", "--url", pg18.create_database()))
    assert result.code == 1
    assert "V1__bad.sql line 1 (statement 1/1): division by zero" in result.err
    assert result.out.rstrip().splitlines()[-1] == "0 applied, 0 skipped, 1 failed"
    assert "Traceback" not in result.err


def test_exit_code_2_for_invalid_input(project: Project, pg18: PgServer) -> None:
    small_set(project)
    url = pg18.create_database()
    unknown = run_cli(*args(project, "--database", "nope", "--url", url))
    assert unknown.code == 2 and "unknown database nope" in unknown.err
    bad_seed = run_cli(*args(project, "--database", "app", "--url", url, "--seed", "everything"))
    assert bad_seed.code == 2 and "invalid seed mode 'everything'" in bad_seed.err
    bad_flag = run_cli(*args(project, "--frobnicate"))
    assert bad_flag.code == 2 and "unrecognized arguments: --frobnicate" in bad_flag.err
    two_urls = run_cli(*args(project, "--all-databases", "--url", url), env={})
    project.migration("other", "V1__x.sql", "SELECT 1;")
    two_urls = run_cli(*args(project, "--all-databases", "--url", url))
    assert two_urls.code == 2 and "--url is allowed only with a single database" in two_urls.err
    project.migration("app", "V2__dup.sql", "SELECT 1;")
    dup = run_cli(*args(project, "--database", "app", "--url", url))
    assert dup.code == 2 and "version 2 is used by more than one file" in dup.err


def test_a_timeout_beyond_postgresqls_limit_is_invalid_input_not_an_outage(
        project: Project, pg18: PgServer) -> None:
    # Before, the server refused the value at connect time: exit 3, "lost the connection".
    small_set(project)
    url = pg18.create_database()
    huge = run_cli(*args(project, "--database", "app", "--url", url, "--statement-timeout", "597h"))
    assert huge.code == 2, huge.err
    assert "invalid duration '597h' for --statement-timeout: at most 2147483647ms" in huge.err
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('t')").fetchone() == (None,)


def test_exit_code_3_and_no_password_when_the_database_is_unreachable(project: Project) -> None:
    small_set(project)
    url = "postgresql://admin:Sup3r-Secret-PW@127.0.0.1:1/app?connect_timeout=2"
    for extra in ([], ["--json"], ["--status"], ["--verbose"]):
        result = run_cli(*args(project, "--database", "app", "--url", url, *extra))
        assert result.code == 3
        assert "Sup3r-Secret-PW" not in result.out + result.err
        assert "cannot connect to app on 127.0.0.1:1" in result.out + result.err


def test_password_in_environment_url_never_printed_even_on_sql_error(project: Project, pg18: PgServer) -> None:
    # A role with a password; the failing SQL even echoes the password back in its error.
    password = "Hunter2-Very-Secret"
    with psycopg.connect(pg18.admin_url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS redact_user; CREATE ROLE redact_user LOGIN SUPERUSER PASSWORD '{password}'")
    url = pg18.create_database().replace("postgres:@", f"redact_user:{password}@")
    project.migration("app", "V1__leak.sql", f"SELECT 1/0 AS \"{password}\";")
    result = run_cli(*args(project, "--database", "app", "--json"), env={"DB_MIGRATE_URL_APP": url})
    assert result.code == 1
    assert password not in result.out + result.err


def test_new_creates_the_next_version_with_matching_padding(project: Project) -> None:
    small_set(project)
    result = run_cli("new", "--database", "app", "--migrations-dir", str(project.migrations),
                     "Add Orders table!")
    assert result.code == 0, result.err
    created = Path(result.out.strip())
    assert created.name == "V004__add_orders_table.sql"
    assert created.exists()


def test_subcommands_read_the_same_directory_settings_as_the_main_command(project: Project) -> None:
    small_set(project)
    result = run_cli("new", "--database", "app", "Add invoices",
                     env={"DB_MIGRATE_MIGRATIONS_DIR": str(project.migrations)})
    assert result.code == 0, result.err
    assert Path(result.out.strip()) == project.migrations / "app" / "V004__add_invoices.sql"


def test_verify_idempotency_with_an_unusable_embedded_dir_is_one_error_line_exit_3(
        project: Project, tmp_path: Path) -> None:
    small_set(project)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    result = run_cli("verify-idempotency", "--all-databases",
                     env={"DB_MIGRATE_MIGRATIONS_DIR": str(project.migrations),
                          "DB_MIGRATE_SEEDS_DIR": str(project.seeds),
                          "DB_MIGRATE_EMBEDDED_DIR": str(blocked / "pg")})
    assert result.code == 3, result.err
    assert "Traceback" not in result.err
    assert result.err.startswith("db-migrate verify-idempotency: error: could not start the "
                                 "embedded PostgreSQL")
    assert len(result.err.strip().splitlines()) == 1


def test_no_embedded_setting_refuses_a_database_without_url(project: Project) -> None:
    small_set(project)
    result = run_cli(*args(project, "--all-databases"), env={"DB_MIGRATE_NO_EMBEDDED": "1"})
    assert result.code == 2
    assert "no URL for database app: set DB_MIGRATE_URL_APP" in result.err


def test_lint_reports_file_line_and_rule_with_exit_1(project: Project) -> None:
    project.migration("app", "V1__t.sql", "CREATE TABLE t (id int);\n")
    result = run_cli("lint", "--migrations-dir", str(project.migrations), "--seeds-dir", str(project.seeds))
    assert result.code == 1
    assert "V1__t.sql:1 create-if-not-exists" in result.out


def test_shipped_sets_pass_lint() -> None:
    result = run_cli("lint")
    assert result.code == 0, result.out


def test_group_reports_its_transactions_and_sync_commit_applies_the_same(
        project: Project, pg18: PgServer) -> None:
    small_set(project)
    grouped_url = pg18.create_database()
    grouped = json.loads(run_cli(*args(project, "--database", "app", "--url", grouped_url,
                                       "--json", "--group")).out)
    db = grouped["databases"][0]
    # V001 and V002 share one transaction; V003 (CONCURRENTLY) and the seed run apart.
    assert grouped["summary"] == "4 applied, 0 skipped, 0 failed"
    assert db["group_transactions"] == 1
    sync_url = pg18.create_database()
    synced = run_cli(*args(project, "--database", "app", "--url", sync_url, "--sync-commit"))
    assert synced.code == 0, synced.err
    assert synced.out.rstrip().splitlines()[-1] == "4 applied, 0 skipped, 0 failed"
    with psycopg.connect(sync_url) as conn:
        assert conn.execute("SELECT count(*) FROM _schema_migrations WHERE success"
                            ).fetchone() == (4,)
