"""CLI: baseline, --target, refusals that name everything, failures that show the SQL."""

from __future__ import annotations

import json
import re

import psycopg

from tests.cli.test_cli import args
from tests.conftest import Project, run_cli
from tests.pgservers import PgServer


def five(project: Project) -> None:
    for n in range(1, 6):
        project.migration("app", f"V{n}__t{n}.sql", f"CREATE TABLE t{n} (id int);")


def history(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT version, success, runner FROM _schema_migrations "
                            "ORDER BY version").fetchall()


def test_baseline_records_versions_without_running_them_then_a_run_applies_the_rest(
        project: Project, pg18: PgServer) -> None:
    five(project)
    url = pg18.create_database()
    with psycopg.connect(url, autocommit=True) as conn:  # the schema built by hand
        conn.execute("CREATE TABLE t1 (id int); CREATE TABLE t2 (id int); CREATE TABLE t3 (id int)")
    base = run_cli("baseline", *args(project, "--database", "app", "--url", url, "--version", "3"))
    assert base.code == 0, base.err
    assert "note: recorded 3 files (V1__t1.sql .. V3__t3.sql) as applied (baseline) without " \
           "running them" in base.out
    assert base.out.rstrip().splitlines()[-1] == "baseline: 3 recorded as applied without running them"
    assert history(url) == [(n, True, "db-migrate baseline") for n in (1, 2, 3)]
    status = run_cli(*args(project, "--database", "app", "--url", url, "--status"))
    assert re.search(r"V3\s+V3__t3.sql\s+applied\s+\S+ \S+\s+baseline", status.out), status.out
    # CREATE TABLE without IF NOT EXISTS: had V1..V3 run again, this would fail.
    run = run_cli(*args(project, "--database", "app", "--url", url))
    assert run.code == 0, run.err
    assert run.out.rstrip().splitlines()[-1] == "2 applied, 3 skipped, 0 failed"


def test_baseline_moves_a_table_it_cannot_adopt_aside(project: Project, pg18: PgServer) -> None:
    five(project)
    url = pg18.create_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t1 (id int); CREATE TABLE _schema_migrations "
                     "(id serial PRIMARY KEY, filename text); INSERT INTO _schema_migrations "
                     "(filename) VALUES ('V1__t1.sql')")
    refused = run_cli(*args(project, "--database", "app", "--url", url))
    assert refused.code == 2
    assert ("app: public._schema_migrations was not written by db-migrate (columns: id integer, "
            "filename text) and cannot be adopted automatically: it has no version column. To "
            "keep it as public._schema_migrations_legacy and record the versions up to N as "
            "applied, run: db-migrate baseline --database app --version N") in refused.err
    base = run_cli("baseline", *args(project, "--database", "app", "--url", url, "--version", "1"))
    assert base.code == 0, base.err
    assert "note: moved public._schema_migrations (written by another tool) aside to " \
           "public._schema_migrations_legacy" in base.out
    assert run_cli(*args(project, "--database", "app", "--url", url)).code == 0
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT filename FROM _schema_migrations_legacy").fetchall() == [
            ("V1__t1.sql",)]
    assert [r[0] for r in history(url)] == [1, 2, 3, 4, 5]


def test_target_applies_up_to_and_including_the_version_and_holds_seeds_back(
        project: Project, pg18: PgServer) -> None:
    five(project)
    project.seed("app", "reference", "001.sql", "INSERT INTO t5 VALUES (1);")
    url = pg18.create_database()
    staged = run_cli(*args(project, "--database", "app", "--url", url, "--target", "3"))
    assert staged.code == 0, staged.err
    assert staged.out.rstrip().splitlines()[-1] == "3 applied, 0 skipped, 0 failed"
    assert "warning: seeds wait until every migration is applied (target V3 holds back " \
           "V4__t4.sql .. V5__t5.sql)" in staged.out
    assert [r[0] for r in history(url)] == [1, 2, 3]
    status = run_cli(*args(project, "--database", "app", "--url", url, "--status", "--json",
                           "--target", "3"))
    states = [(i["state"], i["held_back"]) for i in json.loads(status.out)["databases"][0]["items"]]
    assert states == [("applied", False)] * 3 + [("pending", True)] * 3
    rest = run_cli(*args(project, "--database", "app", "--url", url))
    assert rest.out.rstrip().splitlines()[-1] == "3 applied, 3 skipped, 0 failed"
    bad = run_cli(*args(project, "--database", "app", "--url", url, "--target", "x"))
    assert bad.code == 2 and "invalid version 'x'" in bad.err


def test_a_failure_shows_the_statement_and_status_shows_the_failed_attempt(
        project: Project, pg18: PgServer) -> None:
    project.migration("app", "V1__ok.sql", "CREATE TABLE IF NOT EXISTS ok (id int);")
    project.migration("app", "V2__broken.sql",
                      "CREATE TABLE IF NOT EXISTS a (id int);\n\n"
                      "INSERT INTO a   SELECT g FROM generate_series(1, 3) g\n"
                      "  WHERE g / 0 = 1;\n")
    url = pg18.create_database()
    failed = run_cli(*args(project, "--database", "app", "--url", url))
    assert failed.code == 1
    assert re.search(r"V2__broken.sql line 3 \(statement 2/2\): division by zero "
                     r"\(SQLSTATE 22012\); statement: INSERT INTO a SELECT g FROM "
                     r"generate_series\(1, 3\) g WHERE g / 0 = 1\n", failed.err), failed.err
    status = run_cli(*args(project, "--database", "app", "--url", url, "--status"))
    assert re.search(r"V2\s+V2__broken.sql\s+failed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", status.out)
    assert re.search(r"V2__broken.sql failed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: line 3 "
                     r"\(statement 2/2\): division by zero \(SQLSTATE 22012\); statement: INSERT",
                     status.out), status.out
    doc = json.loads(run_cli(*args(project, "--database", "app", "--url", url, "--status",
                                   "--json")).out)
    item = doc["databases"][0]["items"][1]
    assert item["state"] == "failed" and item["failed_at"] and "division by zero" in item["error"]


def test_a_long_statement_is_quoted_on_one_line_trimmed_and_a_parse_error_has_its_statement(
        project: Project, pg18: PgServer) -> None:
    columns = ",\n".join(f"  column_number_{n} int" for n in range(40))
    project.migration("app", "V1__long.sql", f"CREATE TABLE a (\n{columns}\n);\n"
                      "SELECT 1;\nINSERT INTO a (column_number_0)\nVALUES ('x');\n")
    url = pg18.create_database()
    failed = run_cli(*args(project, "--database", "app", "--url", url))
    quoted = failed.err.split("; statement: ", 1)[1].splitlines()[0]
    assert quoted == "INSERT INTO a (column_number_0) VALUES ('x')"
    project.migration("app", "V1__long.sql", f"SELECT 1;\nCREATE TABLE a (\n{columns}\n);\n")
    project.migration("app", "V2__parse.sql", "SELECT 1;\nSELECT 2;\nSELEC 3 FRM x;\n")
    failed = run_cli(*args(project, "--database", "app", "--url", url))
    assert re.search(r"V2__parse.sql line 3 \(statement 3/3\): syntax error at or near "
                     r"\"SELEC\" \(SQLSTATE 42601\); statement: SELEC 3 FRM x\n", failed.err), \
        failed.err
    project.migration("app", "V2__parse.sql", f"CREATE TABLE b (\n{columns}\n) x;\n")
    failed = run_cli(*args(project, "--database", "app", "--url", url))
    quoted = failed.err.split("; statement: ", 1)[1].splitlines()[0]
    assert len(quoted) == 200 and quoted.endswith("\u2026") and "\n" not in quoted
    assert quoted.startswith("CREATE TABLE b ( column_number_0 int, column_number_1 int,")


def test_dry_run_refuses_a_file_that_does_not_parse_with_file_and_line(
        project: Project, pg18: PgServer) -> None:
    project.migration("app", "V1__ok.sql", "CREATE TABLE IF NOT EXISTS ok (id int);")
    project.migration("app", "V2__bad.sql", "SELECT 1;\n\nCREATE TABLE (id int);\n")
    project.migration("app", "V3__bad.sql", "CREATE TABL x (id int);\n")
    url = pg18.create_database()
    plan = run_cli(*args(project, "--database", "app", "--url", url, "--dry-run"))
    assert plan.code == 2
    assert "app: invalid migration set, nothing was run (2 problems):" in plan.err
    assert re.search(r"V2__bad.sql line 3: syntax error at or near \"\(\"", plan.err), plan.err
    assert re.search(r"V3__bad.sql line 1: syntax error at or near \"TABL\"", plan.err)


def test_two_hundred_refusals_are_listed_one_per_line(project: Project, pg18: PgServer) -> None:
    for n in range(1, 200):
        project.migration("app", f"V{n}__t.sql", f"CREATE TABLE IF NOT EXISTS t{n} (id int);\nROLLBACK;\n")
    url = pg18.create_database()
    result = run_cli(*args(project, "--database", "app", "--url", url))
    assert result.code == 2
    listed = [line for line in result.err.splitlines() if "line 2: ROLLBACK outside a BEGIN block undoes nothing" in line]
    assert len(listed) == 199


def test_long_file_names_do_not_push_the_columns(project: Project, pg18: PgServer) -> None:
    long_name = "V1__" + "a_very_long_description_" * 4 + "end.sql"
    project.migration("app", long_name, "CREATE TABLE IF NOT EXISTS t (id int);")
    project.migration("app", "V2__short.sql", "CREATE TABLE IF NOT EXISTS u (id int);")
    url = pg18.create_database()
    applied = run_cli(*args(project, "--database", "app", "--url", url))
    lines = [line for line in applied.out.splitlines() if "] V" in line]
    assert len(lines) == 2 and lines[0].index(" applied") == lines[1].index(" applied")
    shown = lines[0].split()[1]
    assert len(shown) == 48 and "\u2026" in shown
    assert shown.startswith("V1__a_very_long") and shown.endswith("end.sql")
    status = run_cli(*args(project, "--database", "app", "--url", url, "--status")).out
    rows = [line for line in status.splitlines() if line.lstrip().startswith("V") and " applied" in line]
    assert len(rows) == 2
    assert rows[0].index("applied") == rows[1].index("applied")


def test_lint_quotes_file_names_with_spaces(project: Project) -> None:
    path = project.migration("app", "V1__with space.sql", "CREATE TABLE t (id int);")
    result = run_cli("lint", str(path))
    assert result.code == 1
    assert result.out.startswith(f"'{path}':1 ")


def test_a_quoted_statement_never_carries_the_password_into_output_or_history(
        project: Project, pg18: PgServer) -> None:
    password = "Quoted-Secret-77"
    with psycopg.connect(pg18.admin_url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS quote_user; CREATE ROLE quote_user LOGIN SUPERUSER "
                     f"PASSWORD '{password}'")
    url = pg18.create_database().replace("postgres:@", f"quote_user:{password}@")
    project.migration("app", "V1__leak.sql", f"SELECT 1/0 AS \"{password}\";")
    project.migration("app", "V2__idx.sql", f"CREATE INDEX CONCURRENTLY \"{password}\" ON nowhere (x);")
    failed = run_cli(*args(project, "--database", "app"), env={"DB_MIGRATE_URL_APP": url})
    assert failed.code == 1 and "statement: SELECT 1/0 AS \"***\"" in failed.err
    status = run_cli(*args(project, "--database", "app", "--status", "--json"),
                     env={"DB_MIGRATE_URL_APP": url})
    assert password not in failed.out + failed.err + status.out + status.err
    project.migration("app", "V1__leak.sql", "SELECT 1;")
    second = run_cli(*args(project, "--database", "app"), env={"DB_MIGRATE_URL_APP": url})
    assert second.code == 1 and password not in second.out + second.err
    with psycopg.connect(url) as conn:
        stored = conn.execute("SELECT string_agg(error, ' ') FROM _schema_migrations").fetchone()
    assert stored is not None and stored[0] and "***" in stored[0] and password not in stored[0]


def test_adopt_from_flyway_imports_the_history_and_status_shows_it(
        project: Project, pg18: PgServer) -> None:
    from tests.engine.test_flyway_import import FLYWAY_DDL, flyway_row

    five(project)
    url = pg18.create_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE t1 (id int);" + FLYWAY_DDL + flyway_row(1, "1", "V1__t1.sql"))
    refused = run_cli(*args(project, "--database", "app", "--url", url))
    assert refused.code == 2 and "db-migrate adopt --from flyway --database app" in refused.err
    adopted = run_cli("adopt", *args(project, "--from", "flyway", "--database", "app",
                                     "--url", url))
    assert adopted.code == 0, adopted.err
    assert adopted.out.rstrip().splitlines()[-1] == "adopt: 1 recorded as applied without running them"
    status = run_cli(*args(project, "--database", "app", "--url", url, "--status"))
    assert re.search(r"V1\s+V1__t1.sql\s+applied\s+\S+ \S+\s+imported", status.out), status.out
    assert run_cli(*args(project, "--database", "app", "--url", url)).code == 0
