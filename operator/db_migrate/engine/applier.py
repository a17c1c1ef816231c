"""Running the files of an apply, in plan order: each in its own transaction (or statement by
statement), or ``--group``'s files together; reported as they finish, a failure recorded in
the history, and one synchronous commit at the end.

Round trips: one per transactional file (its history row travels in the same string), one
BEGIN and one COMMIT per group, and one flush when any commit was asynchronous.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import NoReturn

import psycopg
from psycopg import sql

from db_migrate.engine.errors import DbMigrateError, MigrationFailed
from db_migrate.engine.executor import (
    elapsed_ms,
    flush_wal,
    redacted,
    rollback,
    run_in_group,
    run_non_transactional,
    run_transactional,
)
from db_migrate.engine.loader import Planned
from db_migrate.engine.planner import PlanItem, State
from db_migrate.engine.report import ItemResult, Outcome, Progress
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.session import Session
from db_migrate.engine.sqltext import Analysis


@dataclass(frozen=True)
class Step:
    """A file to run: its position among the run's files, its plan item, its analysis and
    the report entry it fills."""

    index: int
    item: PlanItem
    analysis: Analysis
    result: ItemResult

    @property
    def script(self) -> Script:
        assert self.item.script is not None
        return self.item.script


def apply_all(s: Session, planned: Planned, analyses: dict[tuple[Kind, str], Analysis]) -> None:
    """Run what the plan says, in its order; files after a failure are "not attempted"."""
    runnable = [i for i in planned.plan.items if i.state is not State.MISSING]
    applier = _Applier(s, len(runnable))
    batch: list[Step] = []
    try:
        for index, item in enumerate(runnable, 1):
            if not item.runnable:
                planned.result(item).outcome = Outcome.SKIPPED
                s.listener.progress(Progress(s.database, index, len(runnable), item,
                                             Outcome.SKIPPED))
                continue
            step = Step(index, item, analyses[(item.kind, item.key)], planned.result(item))
            if s.options.group and step.analysis.transactional and item.kind is Kind.MIGRATION:
                batch.append(step)
                continue
            if batch:
                applier.run_group(batch)
                batch = []
            applier.run_one(step)
        if batch:
            applier.run_group(batch)
    except BaseException:
        # What was reported applied before the failure must be durable too.
        applier.flush_after_failure()
        raise
    else:
        applier.flush()
    finally:
        for res in s.report.items:
            if res.outcome is None and res.item.runnable:
                res.outcome = Outcome.NOT_ATTEMPTED


class _Applier:
    """What one apply learns as it goes: how its commits were made, and how many files the
    server's lock table holds in one transaction."""

    def __init__(self, s: Session, total: int) -> None:
        self.s = s
        self.total = total
        #: Files committed without waiting for their WAL flush (``RunOptions.async_commit``):
        #: when there are any, the run ends with one synchronous commit (see :meth:`flush`).
        self.async_commits = 0
        #: ``--group``: most files per transaction, once the server's lock table overflowed.
        self.group_limit: int | None = None

    def run_one(self, step: Step) -> None:
        """One file in its own transaction (or statement by statement), reported at once."""
        s, analysis = self.s, step.analysis
        started = time.perf_counter()
        s.notices.clear()  # the engine's own statements before this file
        try:
            if analysis.transactional:
                run_transactional(s.conn, s.history, step.script, analysis,
                                  asynchronous=s.options.async_commit)
                if s.options.async_commit:
                    self.async_commits += 1
            else:
                warnings: list[str] = []
                try:
                    run_non_transactional(s.conn, s.history, step.script, analysis,
                                          retrying=step.item.state is State.FAILED,
                                          warn=warnings, secrets=s.secrets)
                finally:
                    for message in warnings:
                        s.warn(message)
        except MigrationFailed as raised:
            self._failed(step, raised, started)
        step.result.elapsed_ms = elapsed_ms(started)
        s.take_notices(step.result)
        self._applied(step)

    def run_group(self, batch: list[Step]) -> None:
        """``--group``: the files in one transaction, unless the server's lock table cannot
        hold all their locks; then in as few consecutive transactions as it can hold."""
        start = 0
        while start < len(batch):
            chunk = batch[start:start + (self.group_limit or len(batch))]
            done = self._try_group(chunk)
            if done == len(chunk):
                start += done
                self.s.report.group_transactions += 1
                continue
            # The lock table filled up after ``done`` files: all of them were rolled back.
            # Later transactions stay below that, with room for what other sessions hold.
            self.group_limit = max(1, done * 3 // 4)
            self.s.note(f"--group: the server's lock table (max_locks_per_transaction) filled "
                        f"up after {done} files; continuing in transactions of at most "
                        f"{self.group_limit} files")

    def _try_group(self, chunk: list[Step]) -> int:
        """Run ``chunk`` in one transaction: ``len(chunk)`` when it committed, or how many
        files ran before the lock table overflowed (all rolled back)."""
        s = self.s
        s.conn.execute("BEGIN")
        for position, step in enumerate(chunk):
            started = time.perf_counter()
            s.notices.clear()
            try:
                run_in_group(s.conn, s.history, step.script, step.analysis)
            except MigrationFailed as raised:
                s.conn.execute("ROLLBACK")
                if position > 0 and _lock_table_full(raised):
                    return position
                # Everything before it in this transaction is undone: pending, not applied.
                self._failed(step, raised, started)
            step.result.elapsed_ms = elapsed_ms(started)
            s.take_notices(step.result)
        s.conn.execute("COMMIT")
        for step in chunk:
            self._applied(step)
        return len(chunk)

    def _applied(self, step: Step) -> None:
        res, report = step.result, self.s.report
        res.outcome = Outcome.APPLIED
        report.applied += 1
        report.pending -= 1
        version = step.item.version
        if step.item.kind is Kind.MIGRATION and version is not None:
            current = report.current_version
            report.current_version = version if current is None else max(current, version)
        self.s.listener.progress(Progress(self.s.database, step.index, self.total, step.item,
                                          Outcome.APPLIED, res.elapsed_ms, res.mode,
                                          tuple(res.notices)))

    def _failed(self, step: Step, raised: MigrationFailed, started: float) -> NoReturn:
        s, res = self.s, step.result
        exc = redacted(raised, s.secrets)
        res.outcome = Outcome.FAILED
        res.error = str(exc)
        res.elapsed_ms = elapsed_ms(started)
        if step.analysis.transactional:
            _record_failure(s, step, exc, res.elapsed_ms)
        s.report.failed = 1
        s.report.pending -= 1
        s.listener.progress(Progress(s.database, step.index, self.total, step.item,
                                     Outcome.FAILED, res.elapsed_ms, res.mode,
                                     s.take_notices(res)))
        raise exc from None

    def flush(self) -> None:
        """One synchronous commit after asynchronous ones, before anything is reported."""
        if self.async_commits:
            flush_wal(self.s.conn)

    def flush_after_failure(self) -> None:
        """The same, as far as the connection still allows; the failure is what is reported."""
        conn = self.s.conn
        if self.async_commits and not (conn.broken or conn.closed):
            with contextlib.suppress(psycopg.Error, DbMigrateError):
                # A cancelled file (Ctrl-C, SIGTERM) leaves its transaction aborted.
                rollback(conn)
                flush_wal(conn)


def _record_failure(s: Session, step: Step, exc: MigrationFailed, took_ms: int) -> None:
    """The file rolled back; its attempt is recorded after (autocommit) so that --status
    shows it failed, when, and why.  A second failure here must not hide the first."""
    statements = step.analysis.statements
    total = len(statements) if statements is not None else None
    with contextlib.suppress(psycopg.Error):
        s.conn.execute(s.history.upsert_sql(
            step.script, success=False, transactional=True, execution_ms=sql.Literal(took_ms),
            statements_total=total, statements_applied=0, error=exc.detail))


#: PostgreSQL's "out of shared memory" (SQLSTATE 53200) with the hint naming the lock table.
def _lock_table_full(exc: MigrationFailed) -> bool:
    return exc.sqlstate == "53200" and "max_locks_per_transaction" in exc.detail
