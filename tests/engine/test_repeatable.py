"""Repeatable migrations (Flyway's R__name.sql) on PostgreSQL 18 and 15."""

from __future__ import annotations

from db_migrate.engine.errors import InvalidMigrationSet
from db_migrate.engine.planner import State
from db_migrate.engine.report import Action, Outcome
from tests.conftest import Project
from tests.engine.test_apply import rows, run


def views(project: Project, label: str = "one") -> None:
    project.migration("db", "R__views.sql",
                      f"CREATE OR REPLACE VIEW v AS SELECT id, '{label}'::text AS label FROM t;")


def test_repeatables_run_after_versioned_ones_and_again_only_when_they_change(
        project: Project, db_url: str) -> None:
    views(project)
    project.migration("db", "R__w_grants.sql", "GRANT SELECT ON v TO PUBLIC;")
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (id int);")
    project.seed("db", "reference", "001.sql", "INSERT INTO t SELECT 1 WHERE NOT EXISTS (SELECT FROM t);")
    first = run(project, db_url)
    assert first.error is None, first.error
    assert [(r.item.label, r.outcome) for r in first.items] == [
        ("V1__t.sql", Outcome.APPLIED), ("R__views.sql", Outcome.APPLIED),
        ("R__w_grants.sql", Outcome.APPLIED), ("reference/001.sql", Outcome.APPLIED)]
    assert rows(db_url, "SELECT label FROM v") == [("one",)]
    assert run(project, db_url).summary() == "0 applied, 4 skipped, 0 failed"

    views(project, "two")
    changed = run(project, db_url, action=Action.STATUS)
    assert {r.item.label: r.item.state for r in changed.items}["R__views.sql"] is State.CHANGED
    again = run(project, db_url)
    assert again.summary() == "1 applied, 3 skipped, 0 failed"
    assert rows(db_url, "SELECT label FROM v") == [("two",)]
    assert rows(db_url, "SELECT kind, version, script_key, success FROM _schema_migrations "
                        "WHERE script LIKE 'R\\_\\_%' ORDER BY script") == [
        ("migration", None, "R__views.sql", True), ("migration", None, "R__w_grants.sql", True)]


def test_a_failed_repeatable_is_recorded_and_retried(project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (id int);")
    project.migration("db", "R__bad.sql", "CREATE OR REPLACE VIEW v AS SELECT nope FROM t;")
    failed = run(project, db_url)
    assert failed.failed == 1 and "R__bad.sql line 1 (statement 1/1)" in str(failed.error)
    status = run(project, db_url, action=Action.STATUS)
    assert [r.item.state for r in status.items] == [State.APPLIED, State.FAILED]
    project.migration("db", "R__bad.sql", "CREATE OR REPLACE VIEW v AS SELECT id FROM t;")
    assert run(project, db_url).applied == 1


def test_a_target_holds_repeatables_back_and_a_removed_one_is_reported_missing(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__t.sql", "CREATE TABLE IF NOT EXISTS t (id int);")
    project.migration("db", "V2__u.sql", "CREATE TABLE IF NOT EXISTS u (id int);")
    views(project)
    staged = run(project, db_url, target_version=1)
    assert staged.applied == 1
    assert [(r.item.label, r.item.held_back) for r in staged.items] == [
        ("V1__t.sql", False), ("V2__u.sql", True), ("R__views.sql", True)]
    assert run(project, db_url).applied == 2
    (project.migrations / "db" / "R__views.sql").unlink()
    status = run(project, db_url, action=Action.STATUS)
    assert "R__views.sql is recorded as applied but its file is missing" in status.warnings


def test_a_repeatable_with_a_bad_name_is_named(project: Project, db_url: str) -> None:
    project.migration("db", "R_views.sql", "SELECT 1;")
    report = run(project, db_url)
    assert isinstance(report.error, InvalidMigrationSet)
    assert "R_views.sql has a bad name (expected V<version>__<description>.sql with a version " \
           "such as 5, 1.2.3 or 1_2_3, or R__<description>.sql for a repeatable one)" \
           in str(report.error)
