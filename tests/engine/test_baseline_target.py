"""Baseline, target version, and what a failure leaves for --status (PostgreSQL 18 and 15)."""

from __future__ import annotations

from db_migrate.engine.errors import InvalidMigrationSet, MigrationFailed
from db_migrate.engine.planner import State
from db_migrate.engine.report import Action
from db_migrate.engine.version import Version
from tests.conftest import Project
from tests.engine.test_apply import rows, run, table_exists


def five(project: Project) -> None:
    # No IF NOT EXISTS: running a baselined file would fail, so success proves it did not run.
    for n in range(1, 6):
        project.migration("db", f"V{n:03d}__t{n}.sql", f"CREATE TABLE t{n} (id int);")


def test_baseline_action_records_files_up_to_n_without_running_them(
        project: Project, db_url: str) -> None:
    five(project)
    report = run(project, db_url, action=Action.BASELINE, baseline_version=2)
    assert report.error is None, report.error
    assert report.baselined == 2 and report.current_version == Version.of(2)
    assert not table_exists(db_url, "t1")
    assert rows(db_url, "SELECT version, success, runner, execution_ms FROM _schema_migrations "
                        "ORDER BY version") == [(1, True, "db-migrate baseline", 0),
                                                (2, True, "db-migrate baseline", 0)]
    again = run(project, db_url, action=Action.BASELINE, baseline_version=2)
    assert again.baselined == 0 and "nothing to record" in again.notes[0]
    applied = run(project, db_url)
    assert applied.summary() == "3 applied, 2 skipped, 0 failed"
    status = run(project, db_url, action=Action.STATUS)
    assert [r.item.history.origin if r.item.history else None for r in status.items] == [
        "baseline", "baseline", None, None, None]


def test_baseline_option_applies_only_to_a_history_without_applied_migrations(
        project: Project, db_url: str) -> None:
    five(project)
    first = run(project, db_url, baseline_version=3)
    assert first.error is None, first.error
    assert first.baselined == 3 and first.applied == 2
    assert any("no migration is recorded yet: the baseline records 3 files" in n
               for n in first.notes)
    assert not table_exists(db_url, "t3") and table_exists(db_url, "t4")
    # History is no longer empty: the option does nothing any more (an operator keeps it set).
    project.migration("db", "V006__t6.sql", "CREATE TABLE t6 (id int);")
    second = run(project, db_url, baseline_version=6)
    assert second.baselined == 0 and second.applied == 1 and table_exists(db_url, "t6")


def test_baseline_on_a_dry_run_writes_nothing(project: Project, db_url: str) -> None:
    five(project)
    plan = run(project, db_url, action=Action.DRY_RUN, baseline_version=3)
    assert plan.error is None and plan.pending == 2
    assert any("the baseline would record" in n for n in plan.notes)
    assert not table_exists(db_url, "_schema_migrations")


def test_target_applies_up_to_and_including_it(project: Project, db_url: str) -> None:
    five(project)
    report = run(project, db_url, target_version=3)
    assert report.error is None and report.applied == 3 and report.current_version == Version.of(3)
    assert [(r.item.state, r.item.held_back) for r in report.items][3:] == [
        (State.PENDING, True), (State.PENDING, True)]
    assert not table_exists(db_url, "t4")
    lower = run(project, db_url, target_version=2)
    assert lower.applied == 0
    assert any("already at V3, beyond the target V2; nothing is rolled back" in w
               for w in lower.warnings)
    assert run(project, db_url).applied == 2


def test_a_failed_transactional_file_is_recorded_as_failed_with_its_statement(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__a.sql", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1/0);\n")
    report = run(project, db_url)
    assert isinstance(report.error, MigrationFailed)
    assert rows(db_url, "SELECT success, transactional, statements_total, statements_applied, "
                        "error FROM _schema_migrations") == [
        (False, True, 2, 0, "line 2 (statement 2/2): division by zero (SQLSTATE 22012); "
                            "statement: INSERT INTO a VALUES (1/0)")]
    assert not table_exists(db_url, "a")
    status = run(project, db_url, action=Action.STATUS)
    assert status.items[0].item.state is State.FAILED
    assert status.pending == 1
    retry = run(project, db_url)
    assert any("V1__a.sql failed at" in w and "nothing of it was kept, running it again" in w
               for w in retry.warnings)


def test_a_failed_group_records_the_failing_file(project: Project, db_url: str) -> None:
    project.migration("db", "V1__a.sql", "CREATE TABLE a (id int);")
    project.migration("db", "V2__b.sql", "SELECT 1/0;")
    report = run(project, db_url, group=True)
    assert report.failed == 1
    assert rows(db_url, "SELECT version, success FROM _schema_migrations") == [(2, False)]
    assert not table_exists(db_url, "a")


def test_dry_run_refuses_files_that_do_not_parse_and_apply_leaves_them_to_the_server(
        project: Project, db_url: str) -> None:
    project.migration("db", "V1__ok.sql", "CREATE TABLE ok (id int);")
    project.migration("db", "V2__bad.sql", "SELECT 1;\n-- c\nSELEC 2;\n")
    plan = run(project, db_url, action=Action.DRY_RUN)
    assert isinstance(plan.error, InvalidMigrationSet) and plan.exit_code == 2
    assert plan.error.problems == [
        f"{project.migrations / 'db' / 'V2__bad.sql'} line 3: syntax error at or near \"SELEC\""]
    applied = run(project, db_url)
    assert isinstance(applied.error, MigrationFailed) and applied.exit_code == 1
    assert "V2__bad.sql line 3 (statement 2/2): syntax error at or near \"SELEC\"" in \
        str(applied.error)
    assert str(applied.error).endswith("; statement: SELEC 2")
    assert table_exists(db_url, "ok")
