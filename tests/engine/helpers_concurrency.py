"""Helpers for the concurrency, crash and timeout tests: CLI processes started in the
background, and bounded polling of real server-side signals (pg_stat_activity, pg_locks).

Polling here always waits for a condition PostgreSQL reports, never for "long enough".
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import psycopg
from psycopg.rows import TupleRow

from db_migrate.engine.locking import lock_key
from tests.conftest import ROOT, CliResult, Project

T = TypeVar("T")
Conn = psycopg.Connection[TupleRow]

DATABASE = "app"
#: The advisory lock key of the default history table, as the engine computes it.
LOCK_KEY = lock_key("public._schema_migrations")
#: Every runner's application_name starts with this (the CLI adds version and host).
RUNNER_APP = "db-migrate%"


def cli_args(project: Project, url: str, *extra: str) -> list[str]:
    return ["--database", DATABASE, "--url", url, "--migrations-dir", str(project.migrations),
            "--seeds-dir", str(project.seeds), "--seed", "none", *extra]


@dataclass
class Runner:
    """One ``db-migrate`` process started in the background."""

    proc: subprocess.Popen[str]
    started: float = field(default_factory=time.monotonic)

    def finish(self, timeout: float) -> CliResult:
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise AssertionError(
                f"db-migrate did not finish within {timeout} s\nstdout:\n{out}\nstderr:\n{err}"
            ) from None
        return CliResult(self.proc.returncode, out, err)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def start_cli(*args: str) -> Runner:
    """Like ``tests.conftest.run_cli`` but returns at once: the process runs concurrently."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DB_MIGRATE_URL_")}
    proc = subprocess.Popen([sys.executable, "-m", "db_migrate", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
                            preexec_fn=_default_signals)
    return Runner(proc)


def _default_signals() -> None:
    """The child starts with SIGINT and SIGTERM at their defaults, as from a terminal or a
    container runtime, even when the suite itself was started in the background (a shell
    starts background jobs with SIGINT ignored, and the child would inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def json_doc(result: CliResult) -> dict[str, Any]:
    try:
        doc: dict[str, Any] = json.loads(result.out)
    except json.JSONDecodeError:
        raise AssertionError(f"not JSON (exit {result.code}):\n{result.out}\n{result.err}") from None
    return doc


def wait_until(probe: Callable[[], T | None], *, timeout: float, what: str,
               interval: float = 0.02) -> T:
    """Poll ``probe`` until it returns something truthy, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def connect(url: str, application_name: str = "concurrency-test") -> Conn:
    return psycopg.connect(url, autocommit=True, application_name=application_name)


def runner_pids(conn: Conn, *, query_like: str = "%", active: bool | None = None,
                sleeping: bool = False) -> list[int]:
    """Backends of db-migrate runners, optionally only those running a matching query.

    ``sleeping`` waits for the backend to be inside pg_sleep itself: a migration travels as one
    string, so its text (pg_sleep included) is visible while earlier statements still run.
    """
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE application_name LIKE %s AND pid <> pg_backend_pid()"
        " AND datname = current_database() AND query LIKE %s"
        " AND (%s::boolean IS NULL OR (state = 'active') = %s::boolean)"
        " AND (NOT %s::boolean OR wait_event = 'PgSleep') ORDER BY pid",
        [RUNNER_APP, query_like, active, active, sleeping],
    ).fetchall()
    return [int(r[0]) for r in rows]


def backend_alive(conn: Conn, pid: int) -> bool:
    row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    return bool(row and row[0])


def hold_migration_lock(url: str, application_name: str) -> Conn:
    """A session holding the engine's advisory lock, exactly as a runner would."""
    conn = connect(url, application_name)
    row = conn.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]).fetchone()
    assert row is not None and row[0] is True, "the migration lock was unexpectedly taken"
    return conn


def scalar(conn: Conn, query: str, params: list[Any] | None = None) -> Any:
    row = conn.execute(query, params or []).fetchone()
    assert row is not None
    return row[0]


def history(conn: Conn) -> list[tuple[Any, ...]]:
    """(script, success, statements_total, statements_applied, error) of every migration row."""
    return conn.execute(
        "SELECT script, success, statements_total, statements_applied, error"
        " FROM public._schema_migrations WHERE kind = 'migration' ORDER BY version"
    ).fetchall()


def side_effects(conn: Conn) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT v FROM side_effects ORDER BY v").fetchall()]
