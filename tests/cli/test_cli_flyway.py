"""Flyway repositories through the CLI: dotted versions, --out-of-order, gaps, and summaries
that agree with the errors above them (real processes, PostgreSQL 18)."""

from __future__ import annotations

import json
import re

import psycopg

from tests.cli.test_cli import args
from tests.conftest import Project, run_cli
from tests.engine.test_flyway_import import FLYWAY_DDL, flyway_row
from tests.pgservers import PgServer


def dotted_set(project: Project) -> None:
    project.migration("app", "V1__a.sql", "CREATE TABLE IF NOT EXISTS a (id int);")
    project.migration("app", "1.x/V1.1__b.sql", "CREATE TABLE IF NOT EXISTS b (id int);")
    project.migration("app", "1.x/V1_2_3__c.sql", "CREATE TABLE IF NOT EXISTS c (id int);")


def test_dotted_versions_take_a_target_and_show_in_status_and_json(
        project: Project, pg18: PgServer) -> None:
    dotted_set(project)
    url = pg18.create_database()
    staged = run_cli(*args(project, "-d", "app", "--url", url, "--seed", "none", "--target", "1.1"))
    assert staged.code == 0, staged.err
    assert "app: 2 applied, 0 skipped, 0 failed · version V1.1" in staged.out
    status = run_cli(*args(project, "-d", "app", "--url", url, "--seed", "none", "--status"))
    assert re.search(r"V1\.2\.3\s+V1_2_3__c\.sql\s+pending", status.out), status.out
    doc = json.loads(run_cli(*args(project, "-d", "app", "--url", url, "--seed", "none",
                                   "--status", "--json")).out)
    db = doc["databases"][0]
    assert [i["version"] for i in db["items"]] == [1, "1.1", "1.2.3"]
    assert db["current_version"] == "1.1"


def test_a_bad_target_is_refused_with_exit_2_naming_the_value(project: Project) -> None:
    result = run_cli(*args(project, "-d", "app", "--target", "1.2-x"))
    assert result.code == 2
    assert "invalid version '1.2-x'" in result.err


def test_out_of_order_warns_by_default_and_fail_refuses_with_exit_2(
        project: Project, pg18: PgServer) -> None:
    project.migration("app", "V1__a.sql", "CREATE TABLE IF NOT EXISTS a (id int);")
    project.migration("app", "V3__c.sql", "CREATE TABLE IF NOT EXISTS c (id int);")
    url = pg18.create_database()
    assert run_cli(*args(project, "-d", "app", "--url", url, "--seed", "none")).code == 0
    project.migration("app", "V2__b.sql", "CREATE TABLE IF NOT EXISTS b (id int);")
    refused = run_cli(*args(project, "-d", "app", "--url", url, "--seed", "none",
                            "--out-of-order", "fail"))
    assert refused.code == 2
    assert ("error: app: pending migrations are older than the current version V3 (V2__b.sql) "
            "and the out-of-order policy is 'fail'; nothing was run") in refused.err
    warned = run_cli(*args(project, "-d", "app", "--url", url, "--seed", "none"))
    assert warned.code == 0, warned.err
    assert ("warning: V2__b.sql is older than the current version V3; it will be applied out "
            "of order") in warned.out


def test_dry_run_of_a_refused_set_does_not_claim_it_would_apply_anything(
        project: Project, pg18: PgServer) -> None:
    project.migration("app", "V1__a.sql", "CREATE TABLE IF NOT EXISTS a (id int);")
    project.migration("app", "V2__broken.sql", "CREATE TABLE (;")
    url = pg18.create_database()
    result = run_cli(*args(project, "-d", "app", "--url", url, "--seed", "none", "--dry-run"))
    assert result.code == 2
    assert "invalid migration set, nothing was run" in result.err
    assert "would apply 2" not in result.out
    assert "  app: refused, nothing would be applied · version none" in result.out
    assert result.out.rstrip().splitlines()[-1] == (
        "dry run: 0 would be applied, 0 skipped, 1 refused (see the error above); nothing was "
        "written")


def test_baseline_on_a_flyway_database_does_not_say_running_would_apply_everything(
        project: Project, pg18: PgServer) -> None:
    for n in (1, 2):
        project.migration("app", f"V{n}__t{n}.sql", f"CREATE TABLE t{n} (id int);")
    url = pg18.create_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(FLYWAY_DDL + flyway_row(1, "1", "V1__t1.sql"))
    result = run_cli("baseline", *args(project, "-d", "app", "--url", url, "--version", "2"))
    assert result.code == 0, result.err
    assert "would apply every migration again" not in result.out + result.err
    assert "note: public.flyway_schema_history lists 1 version(s) Flyway applied" in result.out
    assert "baseline: 2 recorded as applied without running them" in result.out


def test_status_shows_a_gap_where_the_missing_version_would_be(
        project: Project, pg18: PgServer) -> None:
    for name in ("V1__a.sql", "V2__b.sql", "V4__d.sql"):
        project.migration("app", name, "SELECT 1;")
    url = pg18.create_database()
    status = run_cli(*args(project, "-d", "app", "--url", url, "--seed", "none", "--status"))
    assert status.code == 0, status.err
    lines = [line.split()[:3] for line in status.out.splitlines() if re.match(r"  V\d", line)]
    assert lines == [["V1", "V1__a.sql", "pending"], ["V2", "V2__b.sql", "pending"],
                     ["V3", "(no", "file)"], ["V4", "V4__d.sql", "pending"]]
    assert "note: no file has version V3: a gap in the numbering" in status.out


def test_new_after_a_flyway_version_bumps_its_last_number_and_sees_every_folder(
        project: Project) -> None:
    dotted_set(project)
    project.migration("app", "1.46/V1.46.12__x.sql", "SELECT 1;")
    result = run_cli("new", "--database", "app", "--migrations-dir", str(project.migrations),
                     "Add orders")
    assert result.code == 0, result.err
    assert result.out.strip() == str(project.migrations / "app" / "V1.46.13__add_orders.sql")
