"""Run one database: discover, connect, lock, read history once, plan, execute, report.

Per run, whatever the number of files: one connection, one settings round trip, the lock
poll, one existence check, one history read; then one round trip per transactional file.
A no-op run therefore costs the same handful of round trips for 10 or 10,000 files.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import psycopg

from db_migrate.engine.connection import Conn, connect, describe_target, password_of, redact
from db_migrate.engine.discovery import MigrationSet, discover
from db_migrate.engine.errors import ChecksumDrift, DbMigrateError, MigrationFailed, Unavailable
from db_migrate.engine.executor import run_in_group, run_non_transactional, run_transactional
from db_migrate.engine.history import HistoryTable
from db_migrate.engine.locking import lock_key, migration_lock
from db_migrate.engine.options import ChecksumPolicy, RunOptions
from db_migrate.engine.planner import Plan, PlanItem, State, plan
from db_migrate.engine.report import (
    Action,
    DatabaseReport,
    ItemResult,
    Listener,
    Outcome,
    Progress,
    SilentListener,
)
from db_migrate.engine.scripts import Kind
from db_migrate.engine.source import Source
from db_migrate.engine.sqltext import Analysis, analyze


class _Run:
    """State of one database run; kept private so adapters only see the report."""

    def __init__(self, mset: MigrationSet, conn: Conn,
                 options: RunOptions, report: DatabaseReport, listener: Listener) -> None:
        self.mset = mset
        self.conn = conn
        self.options = options
        self.report = report
        self.listener = listener
        self.history = HistoryTable(options.history_schema, options.history_table)
        self._results: dict[int, ItemResult] = {}

    def read_plan(self) -> Plan:
        rows = self.history.read(self.conn) if self.history.exists(self.conn) else {}
        result = plan(self.mset, rows, self.options.seed_mode)
        self.report.items = [ItemResult(item) for item in result.items]
        # By identity: a dict lookup per file keeps a run linear (a scan per file is O(n^2)).
        self._results = {id(r.item): r for r in self.report.items}
        self.report.skipped = len(result.up_to_date)
        self.report.pending = len(result.to_run)
        self.report.current_version = result.current_version()
        for message in result.warnings:
            self._warn(message)
        return result

    def _warn(self, message: str) -> None:
        self.report.warnings.append(message)
        self.listener.warning(self.mset.database, message)

    def _result(self, item: PlanItem) -> ItemResult:
        return self._results[id(item)]

    def analyze_pending(self, result: Plan) -> dict[tuple[Kind, str], Analysis]:
        """Parse every file that will run BEFORE running any, so a bad file stops nothing half-way."""
        analyses = {}
        for item in result.to_run:
            assert item.script is not None
            analyses[(item.kind, item.key)] = analyze(item.script)
            self._result(item).mode = analyses[(item.kind, item.key)].mode
        return analyses

    def dry_run(self, result: Plan) -> None:
        self.analyze_pending(result)
        self._emit(result, dry=True)

    def _emit(self, result: Plan, *, dry: bool) -> None:
        # Only for dry runs: progress lines of what would happen, in run order.
        runnable = [i for i in result.items if i.state is not State.MISSING]
        for index, item in enumerate(runnable, 1):
            outcome = Outcome.WOULD_APPLY if item.runnable else Outcome.SKIPPED
            res = self._result(item)
            res.outcome = outcome
            self.listener.progress(Progress(self.mset.database, index, len(runnable), item,
                                            outcome, mode=res.mode))

    def apply(self, result: Plan) -> None:
        if self.options.checksum_policy is ChecksumPolicy.FAIL and result.modified:
            names = ", ".join(i.label for i in result.modified)
            raise ChecksumDrift(
                f"{self.mset.database}: applied migrations changed on disk ({names}) and the "
                "checksum policy is 'fail'; nothing was run")
        analyses = self.analyze_pending(result)
        if not self.history.exists(self.conn):
            self.conn.execute(self.history.create_sql())
        runnable = [i for i in result.items if i.state is not State.MISSING]
        group_open = False
        try:
            for index, item in enumerate(runnable, 1):
                res = self._result(item)
                if not item.runnable:
                    res.outcome = Outcome.SKIPPED
                    self.listener.progress(Progress(self.mset.database, index, len(runnable),
                                                    item, Outcome.SKIPPED))
                    continue
                assert item.script is not None
                analysis = analyses[(item.kind, item.key)]
                grouped = self.options.group and analysis.transactional and item.kind is Kind.MIGRATION
                if group_open and not grouped:
                    self.conn.execute("COMMIT")
                    group_open = False
                if grouped and not group_open:
                    self.conn.execute("BEGIN")
                    group_open = True
                started = time.perf_counter()
                try:
                    if grouped:
                        run_in_group(self.conn, self.history, item.script, analysis)
                    elif analysis.transactional:
                        run_transactional(self.conn, self.history, item.script, analysis)
                    else:
                        warnings: list[str] = []
                        try:
                            run_non_transactional(self.conn, self.history, item.script, analysis,
                                                  retrying=item.state is State.FAILED,
                                                  warn=warnings)
                        finally:
                            for message in warnings:
                                self._warn(message)
                except MigrationFailed as exc:
                    if group_open:
                        self._rollback_group()
                        group_open = False
                    res.outcome = Outcome.FAILED
                    res.error = str(exc)
                    res.elapsed_ms = _ms(started)
                    self.report.failed = 1
                    self.report.pending -= 1
                    self.listener.progress(Progress(self.mset.database, index, len(runnable),
                                                    item, Outcome.FAILED, res.elapsed_ms, res.mode))
                    raise
                res.outcome = Outcome.APPLIED
                res.elapsed_ms = _ms(started)
                self.report.applied += 1
                self.report.pending -= 1
                if item.kind is Kind.MIGRATION and item.version is not None:
                    self.report.current_version = max(self.report.current_version or 0, item.version)
                self.listener.progress(Progress(self.mset.database, index, len(runnable), item,
                                                Outcome.APPLIED, res.elapsed_ms, res.mode))
            if group_open:
                self.conn.execute("COMMIT")
        finally:
            for res in self.report.items:
                if res.outcome is None and res.item.runnable:
                    res.outcome = Outcome.NOT_ATTEMPTED

    def _rollback_group(self) -> None:
        """A failed group undoes every file in it: they count as pending again, not applied."""
        self.conn.execute("ROLLBACK")
        for res in self.report.items:
            if res.outcome is Outcome.APPLIED and res.mode == "transaction" and \
                    res.item.kind is Kind.MIGRATION:
                res.outcome = Outcome.NOT_ATTEMPTED
                self.report.applied -= 1
                self.report.pending += 1


#: Server errors on the engine's own queries that heal by themselves: lock timeout, statement
#: timeout / cancel, deadlock, serialization failure.
_TRANSIENT_SQLSTATES = ("55P03", "57014", "40P01", "40001")


def _server_or_network_error(exc: psycopg.Error, conn: Conn | None, database: str, target: str,
                             secrets: list[str]) -> DbMigrateError:
    """Tell "the network went away" from "the server refused one of our own queries"."""
    if conn is None or conn.broken or conn.closed or exc.sqlstate is None \
            or exc.sqlstate.startswith("08"):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return Unavailable(f"{database}: lost the connection to {target}: {redact(first, secrets)}")
    message = exc.diag.message_primary or type(exc).__name__
    sentence = redact(f"{database}: {message} (SQLSTATE {exc.sqlstate}) while reading or writing "
                      "the history table", secrets)
    if exc.sqlstate in _TRANSIENT_SQLSTATES:
        return Unavailable(sentence)
    return MigrationFailed(sentence, script="")


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def run_database(
    source: Source,
    database: str,
    url: str,
    options: RunOptions,
    *,
    action: Action = Action.APPLY,
    listener: Listener | None = None,
) -> DatabaseReport:
    """Run one database and return its report; errors are in ``report.error``, never raised."""
    listener = listener or SilentListener()
    report = DatabaseReport(database=database, target=describe_target(url), action=action,
                            seed_mode=options.seed_mode, started_at=datetime.now(UTC))
    try:
        mset = discover(source, database)
    except DbMigrateError as exc:
        report.error = exc
        report.finished_at = datetime.now(UTC)
        return report
    return run_set(mset, url, options, action=action, listener=listener, report=report)


def run_set(
    mset: MigrationSet,
    url: str,
    options: RunOptions,
    *,
    action: Action = Action.APPLY,
    listener: Listener | None = None,
    report: DatabaseReport | None = None,
) -> DatabaseReport:
    """Like :func:`run_database` for a set already discovered (the operator digests it first)."""
    listener = listener or SilentListener()
    database = mset.database
    report = report or DatabaseReport(database=database, target=describe_target(url),
                                      action=action, seed_mode=options.seed_mode,
                                      started_at=datetime.now(UTC))
    secret = password_of(url)
    conn: Conn | None = None
    try:
        report.source_digest = mset.digest(options.seed_mode)
        conn = connect(url, options, database=database)
        run = _Run(mset, conn, options, report, listener)
        if action is Action.STATUS:
            # Read-only and never waits for the lock: status must work during a long run.
            run.read_plan()
        elif action is Action.DRY_RUN:
            run.dry_run(run.read_plan())
        else:
            with migration_lock(conn, lock_key(run.history.qualified), wait_s=options.lock_wait_s,
                                what=database):
                run.apply(run.read_plan())
    except DbMigrateError as exc:
        report.error = exc
    except psycopg.Error as exc:
        report.error = _server_or_network_error(exc, conn, database, report.target,
                                                [secret] if secret else [])
    finally:
        if conn is not None:
            conn.close()
        report.finished_at = datetime.now(UTC)
    return report
