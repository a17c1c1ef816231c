"""Asynchronous commit with a final flush, and ``--group`` past the lock table, on servers of
their own: each test starts a PostgreSQL 18 it may crash (``pg_ctl stop -m immediate``) or
configure (a tiny lock table, a WAL writer that waits 10 s)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from db_migrate.engine.options import RunOptions
from db_migrate.engine.report import Action, Outcome, Progress
from db_migrate.engine.runner import run_database
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.source import DirectorySource
from testkit.pgserver import PgServer
from tests.conftest import ROOT, Project

ServerFactory = Callable[..., PgServer]


@pytest.fixture
def own_server() -> Iterator[ServerFactory]:
    """``own_server(**settings)``: a started server of this test's own, removed after it.
    Under /tmp, not tmp_path: another pytest run may make pytest's base dir 0700, and the
    server's user (when the tests run as root) must reach its data dir."""
    servers: list[PgServer] = []

    def start(**settings: str) -> PgServer:
        server = PgServer(Path(tempfile.mkdtemp(prefix="dbm-durability-")), settings=settings)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.remove()


def _create_database(server: PgServer, name: str) -> str:
    with server.connect() as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.url(name)


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


class AfterEachFile:
    """A listener that records every event and, right after each applied file, the value of
    ``query`` read on a connection of its own."""

    def __init__(self, url: str, query: str | None = None) -> None:
        self.url, self.query = url, query
        self.events: list[Progress] = []
        self.values: list[object] = []

    def progress(self, event: Progress) -> None:
        self.events.append(event)
        if self.query is not None and event.outcome is Outcome.APPLIED:
            self.values.append(_one(self.url, self.query))

    def warning(self, database: str, message: str) -> None:
        pass


def _cli(project: Project, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "db_migrate", "--url", url, "--database", "app",
         "--migrations-dir", str(project.migrations), "--seed", "none"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_run_cut_by_a_server_crash_completes_on_rerun_with_every_file_applied_once(
        own_server: ServerFactory, project: Project) -> None:
    _effects_set(project, 1000)
    server = own_server()
    url = _create_database(server, "app")

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
    server.stop(mode="immediate")
    out, err = first.communicate(timeout=60)
    assert first.returncode == 3, (out, err)  # Unavailable: the connection was lost
    assert "lost the connection" in err + out

    server.start()
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
        own_server: ServerFactory, project: Project) -> None:
    # The WAL writer would otherwise flush the asynchronous commits within 10 s, not at once.
    server = own_server(wal_writer_delay="10s", wal_writer_flush_after="1GB")
    url = _create_database(server, "app")
    _effects_set(project, 40)
    written = AfterEachFile(url, "SELECT pg_current_wal_insert_lsn()::text")
    report = run_database(DirectorySource(project.migrations, None), "app", url,
                          RunOptions(seed_mode=SeedMode.NONE), listener=written)
    assert report.error is None and report.summary() == "40 applied, 0 skipped, 0 failed"
    lsn = written.values[-1]  # the WAL written once the last file had committed
    assert _one(url, f"SELECT pg_current_wal_flush_lsn() >= '{lsn}'::pg_lsn") is True

    server.stop(mode="immediate")
    server.start()
    assert _one(url, "SELECT count(*) FROM _schema_migrations WHERE success") == 40
    assert _one(url, "SELECT count(*) FROM effects") == 39


def test_files_commit_asynchronously_unless_synchronous_commit_is_asked_for(
        own_server: ServerFactory, project: Project) -> None:
    server = own_server(wal_writer_delay="10s", wal_writer_flush_after="1GB")
    url = _create_database(server, "app")
    _effects_set(project, 5)
    # Right after each file: has its commit reached disk already?
    query = "SELECT pg_current_wal_flush_lsn() >= pg_current_wal_insert_lsn()"
    source = DirectorySource(project.migrations, None)
    asynchronous = AfterEachFile(url, query)
    report = run_database(source, "app", url, RunOptions(seed_mode=SeedMode.NONE),
                          listener=asynchronous)
    assert report.error is None
    assert asynchronous.values == [False] * 5

    other = _create_database(server, "other")
    synchronous = AfterEachFile(other, query)
    report = run_database(source, "app", other,
                          RunOptions(seed_mode=SeedMode.NONE, async_commit=False),
                          listener=synchronous)
    assert report.error is None
    assert synchronous.values == [True] * 5


def test_group_splits_into_transactions_the_lock_table_can_hold(
        own_server: ServerFactory, project: Project) -> None:
    # 10 locks per transaction x (10 connections + 0 prepared): about 100 lock slots.
    server = own_server(max_locks_per_transaction="10", max_connections="10")
    url = _create_database(server, "app")
    _effects_set(project, 300)
    seen = AfterEachFile(url)
    report = run_database(DirectorySource(project.migrations, None), "app", url,
                          RunOptions(seed_mode=SeedMode.NONE, group=True), listener=seen)
    assert report.error is None, report.error
    assert report.summary() == "300 applied, 0 skipped, 0 failed"
    assert report.group_transactions > 1
    assert any("lock table" in n and "max_locks_per_transaction" in n for n in report.notes)
    # Each file is reported once, in order, only after its transaction committed.
    assert [e.index for e in seen.events] == list(range(1, 301))
    assert _one(url, "SELECT count(*) FROM effects") == 299


def test_a_failure_in_a_later_group_transaction_keeps_the_committed_ones(
        own_server: ServerFactory, project: Project) -> None:
    server = own_server(max_locks_per_transaction="10", max_connections="10")
    url = _create_database(server, "app")
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
