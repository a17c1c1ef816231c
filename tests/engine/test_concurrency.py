"""Concurrency, crash and timeout behaviour of the engine, through the real CLI process.

Issue 2, points 6 (advisory try-lock on the migration session, holder named on timeout,
exactly-once under any number of runners, prompt cancellation of a dead runner's statement)
and 7 (lock_timeout, statement_timeout, application_name), plus point 5's INVALID index
recovery.  Every wait polls a signal PostgreSQL reports (pg_stat_activity, pg_locks) with a
bounded deadline; no sleep stands in for synchronisation.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.conftest import Project, run_cli
from tests.engine.helpers_concurrency import (
    LOCK_KEY,
    Conn,
    backend_alive,
    cli_args,
    connect,
    history,
    hold_migration_lock,
    json_doc,
    runner_pids,
    scalar,
    side_effects,
    start_cli,
    wait_until,
)
from tests.pgservers import PgServer

SIDE_EFFECTS_TABLE = "CREATE TABLE IF NOT EXISTS side_effects (v text NOT NULL);\n"


def _insert(version: str) -> str:
    # Deliberately NOT idempotent: running a file twice leaves two rows.
    return f"INSERT INTO side_effects (v) VALUES ('{version}');\n"


# --- point 6: exactly once under concurrency -------------------------------------------------


def test_six_concurrent_runners_apply_each_migration_exactly_once(
        project: Project, db_url: str) -> None:
    count, runners = 10, 6
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V01"))
    for n in range(2, count + 1):
        body = _insert(f"V{n:02}")
        if n == 6:
            # One non-transactional file too: its statements run one by one under the lock.
            body = ("CREATE INDEX CONCURRENTLY IF NOT EXISTS side_effects_v_idx "
                    "ON side_effects (v);\n" + body)
        project.migration("app", f"V{n}__step_{n}.sql", body)

    with connect(db_url) as admin:
        # Hold the lock until every runner is connected and polling, so that all of them
        # really compete for it the moment it is released.
        holder = hold_migration_lock(db_url, "start-gate")
        procs = [start_cli(*cli_args(project, db_url, "--json")) for _ in range(runners)]
        try:
            wait_until(lambda: len(runner_pids(admin, query_like="%advisory_lock(%"))
                       == runners, timeout=60, what=f"{runners} runners polling for the lock")
            holder.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
            results = [p.finish(timeout=90) for p in procs]
        finally:
            holder.close()
            for p in procs:
                p.kill()

        for r in results:
            assert r.code == 0, r.out + r.err
        docs = [json_doc(r) for r in results]
        assert sum(d["totals"]["applied"] for d in docs) == count
        assert all(d["totals"]["applied"] + d["totals"]["skipped"] == count for d in docs)
        assert all(d["totals"]["failed"] == 0 for d in docs)

        expected = [f"V{n:02}" for n in range(1, count + 1)]
        assert side_effects(admin) == expected
        rows = history(admin)
        assert [r[0] for r in rows] == [f"V{n}__{'side_effects' if n == 1 else f'step_{n}'}.sql"
                                        for n in range(1, count + 1)]
        assert all(r[1] for r in rows)
        assert scalar(admin, "SELECT indisvalid FROM pg_index "
                             "WHERE indexrelid = 'side_effects_v_idx'::regclass") is True


# --- point 6: a runner killed with SIGKILL ----------------------------------------------------


def test_sigkilled_runner_keeps_the_lock_until_its_statement_is_cancelled_then_rerun_applies_once(
        project: Project, pg: PgServer, db_url: str) -> None:
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V1"))
    # Slow only while `victim` is empty, i.e. for the first runner.  The rerun records, from
    # inside its own migration transaction, how many locks the killed runner's backend still
    # held: anything but 0 means it ran while the dead runner's statement was still live.
    project.migration("app", "V2__slow.sql", _insert("V2") + """
        INSERT INTO observations (victim_locks)
            SELECT count(*) FROM pg_locks l JOIN victim v ON v.pid = l.pid;
        SELECT pg_sleep(CASE WHEN EXISTS (SELECT 1 FROM victim) THEN 0 ELSE 30 END);
        """)
    project.migration("app", "V3__after.sql", _insert("V3"))

    with connect(db_url) as admin:
        admin.execute("CREATE TABLE victim (pid int); CREATE TABLE observations (victim_locks int)")
        first = start_cli(*cli_args(project, db_url, "--json"))
        try:
            [pid] = wait_until(lambda: runner_pids(admin, query_like="%pg_sleep%", active=True, sleeping=True),
                               timeout=60, what="the first runner to be inside pg_sleep")
            admin.execute("INSERT INTO victim VALUES (%s)", [pid])
            killed_at = time.monotonic()
            os.kill(first.proc.pid, signal.SIGKILL)
            first.proc.wait(timeout=10)
            second = start_cli(*cli_args(project, db_url, "--json"))
        finally:
            first.kill()
        try:
            wait_until(lambda: not backend_alive(admin, pid), timeout=25,
                       what="the dead runner's backend to end")
            backend_gone_s = time.monotonic() - killed_at
            result = second.finish(timeout=60)
        finally:
            second.kill()
        total_s = time.monotonic() - killed_at

        assert first.proc.returncode == -signal.SIGKILL
        assert result.code == 0, result.out + result.err
        doc = json_doc(result)
        assert (doc["totals"]["applied"], doc["totals"]["skipped"]) == (2, 1)
        assert side_effects(admin) == ["V1", "V2", "V3"]
        assert [(r[0], r[1]) for r in history(admin)] == [
            ("V1__side_effects.sql", True), ("V2__slow.sql", True), ("V3__after.sql", True)]
        assert [r[0] for r in admin.execute("SELECT victim_locks FROM observations")] == [0]
        # client_connection_check_interval (PG >= 14) cancels the orphaned pg_sleep(30) within
        # about a second; waiting it out would take 30 s.
        assert backend_gone_s < 5, f"dead runner's statement lived {backend_gone_s:.1f} s"
        assert total_s < 15, f"rerun took {total_s:.1f} s after the kill"


def test_sigkilled_no_transaction_file_is_reported_and_retried_from_the_start(
        project: Project, pg: PgServer, db_url: str) -> None:
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V1"))
    project.migration("app", "V2__index.sql", """
        -- db-migrate: no-transaction
        SELECT pg_sleep(CASE WHEN EXISTS (SELECT 1 FROM victim) THEN 0 ELSE 30 END);
        CREATE INDEX CONCURRENTLY IF NOT EXISTS side_effects_v_idx ON side_effects (v);
        """)

    with connect(db_url) as admin:
        admin.execute("CREATE TABLE victim (pid int)")
        first = start_cli(*cli_args(project, db_url, "--json"))
        try:
            [pid] = wait_until(lambda: runner_pids(admin, query_like="%pg_sleep%", active=True, sleeping=True),
                               timeout=60, what="the first runner to be inside pg_sleep")
            admin.execute("INSERT INTO victim VALUES (%s)", [pid])
            os.kill(first.proc.pid, signal.SIGKILL)
        finally:
            first.kill()
        wait_until(lambda: not backend_alive(admin, pid), timeout=25,
                   what="the dead runner's backend to end")
        # The unfinished file left a record of how far it got.
        assert history(admin)[1] == ("V2__index.sql", False, 2, 0,
                                     "started; the runner stopped before this file finished")

        status = run_cli(*cli_args(project, db_url, "--status", "--json"))
        assert status.code == 0, status.out + status.err
        states = {i["script"]: i["state"] for i in json_doc(status)["databases"][0]["items"]}
        assert states == {"V1__side_effects.sql": "applied", "V2__index.sql": "failed"}

        rerun = run_cli(*cli_args(project, db_url))
        assert rerun.code == 0, rerun.out + rerun.err
        assert "V2__index.sql failed earlier after 0/2 statements" in rerun.out + rerun.err
        assert "1 applied, 1 skipped, 0 failed" in rerun.out
        assert history(admin)[1] == ("V2__index.sql", True, 2, 2, None)
        assert scalar(admin, "SELECT indisvalid FROM pg_index "
                             "WHERE indexrelid = 'side_effects_v_idx'::regclass") is True


@pytest.mark.parametrize(("signum", "code", "said"), [
    (signal.SIGINT, 130, "interrupted"),
    (signal.SIGTERM, 143, "terminated (SIGTERM)"),
], ids=["ctrl-c", "sigterm"])
def test_interrupted_runner_cancels_its_statement_exits_130_and_frees_the_lock(
        project: Project, pg: PgServer, db_url: str, signum: int, code: int, said: str) -> None:
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V1"))
    project.migration("app", "V2__slow.sql", _insert("V2") + "SELECT pg_sleep(30);\n")

    with connect(db_url) as admin:
        runner = start_cli(*cli_args(project, db_url))
        try:
            [pid] = wait_until(lambda: runner_pids(admin, query_like="%pg_sleep%", active=True, sleeping=True),
                               timeout=60, what="the runner to be inside pg_sleep")
            interrupted_at = time.monotonic()
            os.kill(runner.proc.pid, signum)
            result = runner.finish(timeout=20)
        finally:
            runner.kill()
        elapsed = time.monotonic() - interrupted_at

        assert result.code == code, result.out + result.err
        assert said in result.err
        assert elapsed < 10, f"the signal took {elapsed:.1f} s to stop the runner"
        # Ctrl-C cancelled the statement on the server too, and the lock is free again.
        assert not backend_alive(admin, pid)
        assert scalar(admin, "SELECT pg_try_advisory_lock(%s)", [LOCK_KEY]) is True
        assert side_effects(admin) == ["V1"]
        assert [r[0] for r in history(admin)] == ["V1__side_effects.sql"]


# --- point 6: a concurrent index build while another runner waits ----------------------------


def test_concurrent_index_build_finishes_while_another_runner_polls_for_the_lock(
        project: Project, db_url: str) -> None:
    project.migration("app", "V1__items.sql", """
        CREATE TABLE IF NOT EXISTS items (id int, val int);
        INSERT INTO items SELECT g, g % 100 FROM generate_series(1, 20000) g;
        """)
    # The first statement parks runner A on a table the test keeps locked, so that runner B
    # is certainly polling before A's CREATE INDEX CONCURRENTLY starts.
    project.migration("app", "V2__items_index.sql", """
        SELECT count(*) FROM gate;
        CREATE INDEX CONCURRENTLY IF NOT EXISTS items_val_idx ON items (val);
        """)

    with connect(db_url) as admin, connect(db_url, "gate-keeper") as keeper:
        admin.execute("CREATE TABLE gate (x int)")
        keeper.execute("BEGIN")
        keeper.execute("LOCK TABLE gate IN ACCESS EXCLUSIVE MODE")
        a = start_cli(*cli_args(project, db_url, "--json"))
        b = None
        try:
            [a_pid] = wait_until(lambda: _waiting_on(admin, "gate"), timeout=60,
                                 what="runner A to wait on the gate table")
            b = start_cli(*cli_args(project, db_url, "--json"))
            [b_pid] = wait_until(
                lambda: [p for p in runner_pids(admin, query_like="%advisory_lock(%")
                         if p != a_pid], timeout=60, what="runner B to poll for the lock")
            keeper.execute("ROLLBACK")  # A proceeds to the concurrent index build
            result_a = a.finish(timeout=60)
            # B kept polling through the whole index build and is still waiting or done now.
            result_b = b.finish(timeout=60)
        finally:
            a.kill()
            if b is not None:
                b.kill()

        assert b_pid != a_pid
        assert result_a.code == 0, result_a.out + result_a.err
        assert json_doc(result_a)["totals"]["applied"] == 2
        assert result_b.code == 0, result_b.out + result_b.err
        totals_b = json_doc(result_b)["totals"]
        assert (totals_b["applied"], totals_b["skipped"], totals_b["failed"]) == (0, 2, 0)
        assert scalar(admin, "SELECT indisvalid FROM pg_index "
                             "WHERE indexrelid = 'items_val_idx'::regclass") is True


def _waiting_on(conn: Conn, table: str) -> list[int]:
    """Runner backends waiting for a lock on ``table``."""
    rows = conn.execute(
        "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE NOT l.granted AND l.relation = to_regclass(%s)"
        " AND a.application_name LIKE 'db-migrate%%'", [table]).fetchall()
    return [int(r[0]) for r in rows]


# --- point 6: lock timeout names the holder; status never waits ------------------------------


def test_lock_timeout_exits_3_and_names_the_holder(
        project: Project, pg: PgServer, db_url: str) -> None:
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V1"))
    with hold_migration_lock(db_url, "holder-test") as holder:
        holder_pid = holder.info.backend_pid
        started = time.monotonic()
        result = run_cli(*cli_args(project, db_url, "--lock-timeout", "1"), timeout=60)
        elapsed = time.monotonic() - started

    assert result.code == 3, result.out + result.err
    assert elapsed < 8, f"lock timeout of 1 s took {elapsed:.1f} s"
    assert "migration lock not obtained within 1 s" in result.err
    assert f"pid {holder_pid}" in result.err
    assert "application_name 'holder-test'" in result.err
    assert "connected since" in result.err
    with connect(db_url) as admin:
        # Nothing ran, not even the history table was created.
        assert scalar(admin, "SELECT to_regclass('public._schema_migrations')") is None


def test_status_does_not_wait_for_the_migration_lock(
        project: Project, pg: PgServer, db_url: str) -> None:
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V1"))
    assert run_cli(*cli_args(project, db_url)).code == 0
    project.migration("app", "V2__more.sql", _insert("V2"))

    with hold_migration_lock(db_url, "holder-test"):
        started = time.monotonic()
        result = run_cli(*cli_args(project, db_url, "--status", "--json", "--lock-timeout", "20"))
        elapsed = time.monotonic() - started

    assert result.code == 0, result.out + result.err
    assert elapsed < 10, f"--status took {elapsed:.1f} s with the lock held"
    states = {i["script"]: i["state"] for i in json_doc(result)["databases"][0]["items"]}
    assert states == {"V1__side_effects.sql": "applied", "V2__more.sql": "pending"}


def test_status_reports_while_a_runner_is_inside_a_migration(
        project: Project, pg: PgServer, db_url: str) -> None:
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V1"))
    project.migration("app", "V2__blocked.sql", _insert("V2") + "SELECT count(*) FROM gate;\n")

    with connect(db_url) as admin, connect(db_url, "gate-keeper") as keeper:
        admin.execute("CREATE TABLE gate (x int)")
        keeper.execute("BEGIN")
        keeper.execute("LOCK TABLE gate IN ACCESS EXCLUSIVE MODE")
        runner = start_cli(*cli_args(project, db_url, "--json"))
        try:
            wait_until(lambda: _waiting_on(admin, "gate"), timeout=60,
                       what="the runner to be blocked inside V2")
            started = time.monotonic()
            status = run_cli(*cli_args(project, db_url, "--status", "--json"))
            elapsed = time.monotonic() - started
            keeper.execute("ROLLBACK")
            applied = runner.finish(timeout=60)
        finally:
            runner.kill()

    assert status.code == 0, status.out + status.err
    assert elapsed < 10, f"--status took {elapsed:.1f} s during a running migration"
    states = {i["script"]: i["state"] for i in json_doc(status)["databases"][0]["items"]}
    assert states == {"V1__side_effects.sql": "applied", "V2__blocked.sql": "pending"}
    assert applied.code == 0, applied.out + applied.err


def test_lock_timeout_on_the_history_table_is_reported_as_such_not_as_a_lost_connection(
        project: Project, pg: PgServer, db_url: str) -> None:
    # A server error on the engine's own queries (history read, lock poll) is not a network
    # failure: the message must say what happened, in one line.
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V1"))
    assert run_cli(*cli_args(project, db_url)).code == 0
    project.migration("app", "V2__more.sql", _insert("V2"))

    with connect(db_url, "history-locker") as holder:
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE _schema_migrations IN ACCESS EXCLUSIVE MODE")
        result = run_cli(*cli_args(project, db_url, "--pg-lock-timeout", "500ms"), timeout=60)
        holder.execute("ROLLBACK")

    assert result.code == 3, result.out + result.err
    errors = [line for line in result.err.splitlines() if line.strip()]
    assert len(errors) == 1, result.err
    assert "lock timeout" in errors[0]
    assert "55P03" in errors[0]
    assert "lost the connection" not in errors[0]


# --- point 7: timeouts and application_name ---------------------------------------------------


@pytest.mark.parametrize(("flags", "lock_timeout", "statement_timeout"), [
    pytest.param([], "30s", "0", id="defaults"),
    pytest.param(["--pg-lock-timeout", "500ms", "--statement-timeout", "45s"], "500ms", "45s",
                 id="flags"),
])
def test_migrations_run_with_the_configured_timeouts_and_application_name(
        project: Project, pg: PgServer, db_url: str, flags: list[str], lock_timeout: str,
        statement_timeout: str) -> None:
    project.migration("app", "V1__settings.sql", """
        CREATE TABLE IF NOT EXISTS seen AS SELECT
            current_setting('lock_timeout') AS lock_timeout,
            current_setting('statement_timeout') AS statement_timeout,
            current_setting('application_name') AS application_name,
            current_setting('client_connection_check_interval') AS check_interval;
        """)
    result = run_cli(*cli_args(project, db_url, *flags))
    assert result.code == 0, result.out + result.err

    with connect(db_url) as admin:
        row = admin.execute("SELECT * FROM seen").fetchone()
        runner = scalar(admin, "SELECT runner FROM _schema_migrations")
    assert row is not None
    assert row[:2] == (lock_timeout, statement_timeout)
    assert row[2].startswith("db-migrate")
    assert row[3] == "1s"
    # The history row names the runner with the same application_name.
    assert runner == row[2]


def test_migration_blocked_by_a_table_lock_fails_fast_with_the_lock_timeout_then_reruns(
        project: Project, pg: PgServer, db_url: str) -> None:
    project.migration("app", "V1__side_effects.sql", SIDE_EFFECTS_TABLE + _insert("V1"))
    project.migration("app", "V2__alter_busy.sql", _insert("V2") + """
        ALTER TABLE busy ADD COLUMN IF NOT EXISTS note text;
        """)
    args = cli_args(project, db_url, "--pg-lock-timeout", "500ms")

    with connect(db_url) as admin, connect(db_url, "lock-holder") as holder:
        admin.execute("CREATE TABLE busy (id int)")
        holder.execute("BEGIN")
        holder.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        blocked = run_cli(*args, timeout=60)
        elapsed = time.monotonic() - started

        assert blocked.code == 1, blocked.out + blocked.err
        assert elapsed < 8, f"a 500 ms lock_timeout took {elapsed:.1f} s to fail"
        message = blocked.out + blocked.err
        assert "V2__alter_busy.sql" in message
        assert "lock timeout" in message
        assert "55P03" in message
        # The file rolled back; only the record of the failed attempt remains.
        assert side_effects(admin) == ["V1"]
        assert [(r[0], r[1]) for r in history(admin)] == [
            ("V1__side_effects.sql", True), ("V2__alter_busy.sql", False)]

        holder.execute("ROLLBACK")
        rerun = run_cli(*args)
        assert rerun.code == 0, rerun.out + rerun.err
        assert "1 applied, 1 skipped, 0 failed" in rerun.out
        assert side_effects(admin) == ["V1", "V2"]
        assert [(r[0], r[1]) for r in history(admin)] == [
            ("V1__side_effects.sql", True), ("V2__alter_busy.sql", True)]
        assert scalar(admin, "SELECT count(*) FROM information_schema.columns "
                             "WHERE table_name = 'busy' AND column_name = 'note'") == 1


# --- point 5: INVALID index left by a failed concurrent build ---------------------------------


def test_failed_concurrent_unique_index_is_recorded_then_detected_invalid_and_rebuilt(
        project: Project, pg: PgServer, db_url: str) -> None:
    project.migration("app", "V1__pairs.sql", """
        CREATE TABLE IF NOT EXISTS pairs (k int, v int);
        INSERT INTO pairs VALUES (1, 1), (2, 2), (2, 3);
        """)
    project.migration("app", "V2__pairs_indexes.sql", """
        CREATE INDEX CONCURRENTLY IF NOT EXISTS pairs_v_idx ON pairs (v);
        CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS pairs_k_key ON pairs (k);
        """)
    args = cli_args(project, db_url)
    valid = "SELECT indisvalid FROM pg_index WHERE indexrelid = %s::regclass"

    failed = run_cli(*args)
    assert failed.code == 1, failed.out + failed.err
    assert "V2__pairs_indexes.sql line 2 (statement 2/2)" in failed.out + failed.err
    assert "23505" in failed.out + failed.err
    with connect(db_url) as admin:
        # The concurrent build left the index behind, INVALID.
        assert scalar(admin, valid, ["pairs_k_key"]) is False
        script, success, total, done, error = history(admin)[1]
        assert (script, success, total, done) == ("V2__pairs_indexes.sql", False, 2, 1)
        assert error.startswith("statement 2: could not create unique index")
        assert "23505" in error

        # Fix the data; the rerun must notice the INVALID index that IF NOT EXISTS would skip.
        admin.execute("DELETE FROM pairs WHERE v = 3")
        rerun = run_cli(*args)
        assert rerun.code == 0, rerun.out + rerun.err
        message = rerun.out + rerun.err
        assert "INVALID" in message and "pairs_k_key" in message
        assert "1 applied, 1 skipped, 0 failed" in rerun.out
        assert scalar(admin, valid, ["pairs_k_key"]) is True
        assert scalar(admin, valid, ["pairs_v_idx"]) is True
        assert history(admin)[1] == ("V2__pairs_indexes.sql", True, 2, 2, None)


def test_invalid_index_left_outside_db_migrate_stops_the_file_with_a_clear_message(
        project: Project, pg: PgServer, db_url: str) -> None:
    project.migration("app", "V1__pairs.sql", """
        CREATE TABLE IF NOT EXISTS pairs (k int);
        INSERT INTO pairs VALUES (1), (1);
        """)
    args = cli_args(project, db_url)
    assert run_cli(*args).code == 0
    with connect(db_url) as admin:
        with pytest.raises(Exception, match="could not create unique index"):
            admin.execute("CREATE UNIQUE INDEX CONCURRENTLY pairs_k_key ON pairs (k)")
        admin.execute("DELETE FROM pairs WHERE ctid = (SELECT max(ctid) FROM pairs)")
        project.migration("app", "V2__pairs_key.sql", """
            CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS pairs_k_key ON pairs (k);
            """)
        result = run_cli(*args)
        assert result.code == 1, result.out + result.err
        message = result.out + result.err
        assert "V2__pairs_key.sql" in message and "INVALID" in message
        assert "DROP INDEX CONCURRENTLY" in message
        # IF NOT EXISTS would have silently kept the broken index; it is still there, untouched.
        assert scalar(admin, "SELECT indisvalid FROM pg_index "
                             "WHERE indexrelid = 'pairs_k_key'::regclass") is False
