"""Asynchronous commit with a final flush, and ``--group`` past the lock table, on servers of
their own: each test starts a PostgreSQL 18 it may crash (``pg_ctl stop -m immediate``) or
configure (a tiny lock table, a WAL writer that waits 10 s)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from db_migrate.engine.options import RunOptions
from db_migrate.engine.report import Action, Outcome, Progress
from db_migrate.engine.runner import run_database
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.source import DirectorySource
from tests.conftest import ROOT, Project
from tests.pgservers import OwnServer


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[OwnServer]:
    server = OwnServer(tmp_path / "pg")
    yield server
    server.remove()


def _effects_set(project: Project, n: int) -> None:
    """V1 creates ``effects``; every later file adds its version there once and a table."""
    project.migration("app", "V1__effects.sql", "CREATE TABLE effects (v int NOT NULL);")
    for v in range(2, n + 1):
        project.migration("app", f"V{v}__step.sql",
                          f"INSERT INTO effects VALUES ({v});\n"
                          f"CREATE TABLE step_{v} (id int PRIMARY KEY, note text);\n")


def _one(url: str, query: str) -> object:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
        assert row is not None
        return row[0]


def _cli(project: Project, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "db_migrate", "--url", url, "--database", "app",
         "--migrations-dir", str(project.migrations), "--seed", "none"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_run_cut_by_a_server_crash_completes_on_rerun_with_every_file_applied_once(
        own_server: OwnServer, project: Project) -> None:
    _effects_set(project, 1000)
    own_server.start()
    url = own_server.create_database("app")

    first = _cli(project, url)
    deadline = time.monotonic() + 120
    recorded = 0
    while recorded < 300:
        assert first.poll() is None, f"the run ended before the crash: {first.communicate()}"
        assert time.monotonic() < deadline
        time.sleep(0.02)
        try:
            recorded = int(str(_one(url, "SELECT count(*) FROM _schema_migrations")))
        except psycopg.errors.UndefinedTable:
            continue
    own_server.crash()
    out, err = first.communicate(timeout=60)
    assert first.returncode == 3, (out, err)  # Unavailable: the connection was lost
    assert "lost the connection" in err + out

    own_server.start()
    survived = int(str(_one(url, "SELECT count(*) FROM _schema_migrations WHERE success")))
    # What the crash cut may be lost (that run failed), but nothing else.
    assert 0 < survived < 1000
    second = _cli(project, url)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, (out, err)
    assert f"{1000 - survived} applied, {survived} skipped, 0 failed" in out

    # Each file ran exactly once: a lost commit lost the file and its history row together.
    assert _one(url, "SELECT count(*) FROM (SELECT v FROM effects GROUP BY v "
                     "HAVING count(*) <> 1) AS twice") == 0
    assert _one(url, "SELECT count(DISTINCT v) FROM effects") == 999
    assert _one(url, "SELECT count(*) FROM _schema_migrations WHERE success") == 1000


def test_a_successful_run_has_flushed_every_commit_before_it_reports(
        own_server: OwnServer, project: Project) -> None:
    # The WAL writer would otherwise flush the asynchronous commits within 10 s, not at once.
    own_server.start(settings={"wal_writer_delay": "10s", "wal_writer_flush_after": "1GB"})
    url = own_server.create_database("app")
    _effects_set(project, 40)
    written_after_last_file: list[str] = []

    class LastFile:
        def progress(self, event: Progress) -> None:
            if event.index == event.total and event.outcome is Outcome.APPLIED:
                written_after_last_file.append(
                    str(_one(url, "SELECT pg_current_wal_insert_lsn()")))

        def warning(self, database: str, message: str) -> None:
            pass

    report = run_database(DirectorySource(project.migrations, None), "app", url,
                          RunOptions(seed_mode=SeedMode.NONE), listener=LastFile())
    assert report.error is None and report.summary() == "40 applied, 0 skipped, 0 failed"
    [lsn] = written_after_last_file
    assert _one(url, f"SELECT pg_current_wal_flush_lsn() >= '{lsn}'::pg_lsn") is True

    own_server.crash()
    own_server.start()
    assert _one(url, "SELECT count(*) FROM _schema_migrations WHERE success") == 40
    assert _one(url, "SELECT count(*) FROM effects") == 39


def test_files_commit_asynchronously_unless_synchronous_commit_is_asked_for(
        own_server: OwnServer, project: Project) -> None:
    own_server.start(settings={"wal_writer_delay": "10s", "wal_writer_flush_after": "1GB",
                               "track_commit_timestamp": "on"})
    url = own_server.create_database("app")
    _effects_set(project, 5)
    flushed: list[bool] = []

    class EachFile:
        """Right after each file: has its commit reached disk already?"""

        def progress(self, event: Progress) -> None:
            if event.outcome is Outcome.APPLIED:
                flushed.append(bool(_one(url, "SELECT pg_current_wal_flush_lsn() >= "
                                              "pg_current_wal_insert_lsn()")))

        def warning(self, database: str, message: str) -> None:
            pass

    source = DirectorySource(project.migrations, None)
    report = run_database(source, "app", url, RunOptions(seed_mode=SeedMode.NONE),
                          listener=EachFile())
    assert report.error is None
    assert flushed == [False] * 5

    flushed.clear()
    other = own_server.create_database("other")
    report = run_database(source, "app", other,
                          RunOptions(seed_mode=SeedMode.NONE, async_commit=False),
                          listener=EachFile())
    assert report.error is None
    assert flushed == [True] * 5


def test_group_splits_into_transactions_the_lock_table_can_hold(
        own_server: OwnServer, project: Project) -> None:
    # 10 locks per transaction x (10 connections + 0 prepared): about 100 lock slots.
    own_server.start(settings={"max_locks_per_transaction": "10", "max_connections": "10"})
    url = own_server.create_database("app")
    _effects_set(project, 300)
    events: list[Progress] = []

    class Seen:
        def progress(self, event: Progress) -> None:
            events.append(event)

        def warning(self, database: str, message: str) -> None:
            pass

    report = run_database(DirectorySource(project.migrations, None), "app", url,
                          RunOptions(seed_mode=SeedMode.NONE, group=True), listener=Seen())
    assert report.error is None, report.error
    assert report.summary() == "300 applied, 0 skipped, 0 failed"
    assert report.group_transactions > 1
    assert any("lock table" in n and "max_locks_per_transaction" in n for n in report.notes)
    # Each file is reported once, in order, only after its transaction committed.
    assert [e.index for e in events] == list(range(1, 301))
    assert _one(url, "SELECT count(*) FROM effects") == 299


def test_a_failure_in_a_later_group_transaction_keeps_the_committed_ones(
        own_server: OwnServer, project: Project) -> None:
    own_server.start(settings={"max_locks_per_transaction": "10", "max_connections": "10"})
    url = own_server.create_database("app")
    _effects_set(project, 300)
    project.migration("app", "V300__step.sql", "INSERT INTO effects VALUES (300);\n"
                                               "SELECT 1 / 0;\n")
    report = run_database(DirectorySource(project.migrations, None), "app", url,
                          RunOptions(seed_mode=SeedMode.NONE, group=True))
    assert report.error is not None and "V300__step.sql" in str(report.error)
    assert "division by zero" in str(report.error)
    applied = report.applied
    assert 0 < applied < 299 and report.failed == 1
    # The committed transactions stay; the failing one is undone whole.
    assert _one(url, "SELECT count(*) FROM _schema_migrations WHERE success") == applied
    assert _one(url, "SELECT count(*) FROM effects") == applied - 1
    outcomes = {r.item.label: r.outcome for r in report.items}
    assert outcomes["V300__step.sql"] is Outcome.FAILED
    assert outcomes["V299__step.sql"] is Outcome.NOT_ATTEMPTED
    status = run_database(DirectorySource(project.migrations, None), "app", url,
                          RunOptions(seed_mode=SeedMode.NONE), action=Action.STATUS)
    assert status.pending == 300 - applied
