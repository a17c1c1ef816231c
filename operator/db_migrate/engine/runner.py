"""Run one database: discover, connect, lock, read history once, plan, execute, report.

Per run, whatever the number of files: one connection, one settings round trip, the lock
poll, one existence check, one history read; then one round trip per transactional file.
A no-op run therefore costs the same handful of round trips for 10 or 10,000 files.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NoReturn

import psycopg
from psycopg import sql

from db_migrate.engine import flyway, legacy, placeholders
from db_migrate.engine.connection import Conn, connect, describe_target, redact, secrets_of
from db_migrate.engine.discovery import MigrationSet, discover
from db_migrate.engine.errors import (
    ChecksumDrift,
    DbMigrateError,
    InvalidInput,
    InvalidMigrationSet,
    MigrationFailed,
    OutOfOrder,
    Unavailable,
)
from db_migrate.engine.executor import (
    elapsed_ms,
    flush_wal,
    redacted,
    rollback,
    run_in_group,
    run_non_transactional,
    run_transactional,
)
from db_migrate.engine.history import (
    BASELINE_RUNNER,
    VERSION_TEXT,
    HistoryRow,
    HistoryTable,
    dotted,
)
from db_migrate.engine.locking import lock_key, migration_lock
from db_migrate.engine.options import ChecksumPolicy, OutOfOrderPolicy, RunOptions
from db_migrate.engine.planner import Plan, PlanItem, State, plan
from db_migrate.engine.report import (
    Action,
    DatabaseReport,
    ItemResult,
    Listener,
    Outcome,
    Progress,
    SilentListener,
    note,
)
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.source import Source
from db_migrate.engine.sqltext import Analysis, UnsafeScript, analyze


class _Run:
    """State of one database run; kept private so adapters only see the report."""

    def __init__(self, mset: MigrationSet, conn: Conn,
                 options: RunOptions, report: DatabaseReport, listener: Listener,
                 secrets: Sequence[str] = ()) -> None:
        self.mset = mset
        #: Kept out of messages and history rows (a quoted statement may contain one).
        self.secrets = list(secrets)
        self.conn = conn
        self.options = options
        self.report = report
        self.listener = listener
        self.history = HistoryTable(options.history_schema, options.history_table)
        self._results: dict[int, ItemResult] = {}
        self._table_exists = False
        #: The history table has ``version_text`` (tables from before dotted versions do not).
        self._version_text = False
        #: A foreign history table, adopted under the lock before anything runs.
        self._legacy: legacy.LegacyTable | None = None
        #: ``baseline`` over a table that cannot be adopted: rename it to ``<table>_legacy``.
        self._move_aside = False
        #: ``RunOptions.baseline_version`` on a history without applied migrations.
        self._pending_baseline: list[Script] = []
        #: NOTICE/WARNING messages the server sent while the current file ran. libpq delivers
        #: them to this handler as the results are read, so each lands with its own file.
        self._notices: list[str] = []
        conn.add_notice_handler(self._notice)
        #: An asynchronous commit happened since the last synchronous one (see _flush).
        self._unflushed = False
        #: ``--group``: most files per transaction, once the server's lock table overflowed.
        self._group_limit: int | None = None
        #: Placeholders without a value, per file; they count only for files that run.
        self._placeholder_problems: dict[tuple[Kind, str], list[placeholders.Problem]] = {}

    def _notice(self, diag: psycopg.errors.Diagnostic) -> None:
        severity = diag.severity_nonlocalized or diag.severity or "NOTICE"
        self._notices.append(redact(f"{severity}: {diag.message_primary or ''}".strip(), self.secrets))

    def _take_notices(self, res: ItemResult) -> tuple[str, ...]:
        res.notices = list(self._notices)
        self._notices.clear()
        return tuple(res.notices)

    def read_plan(self) -> Plan:
        rows = self._load_history()
        self._expand_placeholders()
        baseline = self._baseline_scripts(rows, explicit=False)
        self._pending_baseline = baseline
        if baseline:
            rows = {**rows, **_baseline_rows(baseline)}
            verb = "records" if self.report.action is Action.APPLY else "would record"
            self._note(f"no migration is recorded yet: the baseline {verb} "
                       f"{_span(baseline)} as applied without running them")
        result = plan(self.mset, rows, self.options.seed_mode, self.options.target_version)
        self.report.items = [ItemResult(item) for item in result.items]
        # By identity: a dict lookup per file keeps a run linear (a scan per file is O(n^2)).
        self._results = {id(r.item): r for r in self.report.items}
        self.report.skipped = len(result.up_to_date)
        self.report.pending = len(result.to_run)
        self.report.current_version = result.current_version()
        for message in result.warnings:
            self._warn(message)
        if result.gaps and self.report.action is Action.STATUS:
            self.report.gaps = list(result.gaps)
            self._note(f"no file has version {', '.join(f'V{v}' for v in result.gaps)}: a gap "
                       "in the numbering; in a Flyway repository usually a Java or Kotlin "
                       "migration, which db-migrate cannot run (README: Coming from Flyway)")
        return result

    def _expand_placeholders(self) -> None:
        """Replace ``${...}`` before planning: a repeatable's checksum is that of its replaced
        text (Flyway's rule), so a repeatable without a value is refused at once."""
        if not self.options.placeholder_replacement:
            return
        builtins = placeholders.Builtins(
            user=self.conn.info.user, database=self.conn.info.dbname,
            default_schema=self.history.schema, table=self.history.table)
        self.mset, found = placeholders.expand_set(
            self.mset, placeholders.Expander(self.options.placeholders, builtins))
        repeatable = [str(p) for s in self.mset.repeatables
                      for p in found.get((s.kind, s.key), [])]
        if repeatable:
            raise InvalidMigrationSet(self.mset.database, repeatable)
        self._placeholder_problems = found

    def _load_history(self) -> dict[tuple[Kind, str], HistoryRow]:
        """One catalog query and one read; a foreign table is read, never written, here."""
        columns = self.history.columns(self.conn)
        self._table_exists = columns is not None
        self._version_text = columns is not None and VERSION_TEXT in columns
        if columns is None:
            self._check_flyway()
            return {}
        if legacy.is_ours(columns):
            return self.history.read(self.conn, version_text=self._version_text)
        try:
            self._legacy = legacy.load(self.conn, self.history, columns, self.mset.database)
        except legacy.ForeignHistory:
            if self.report.action is not Action.BASELINE:
                raise
            # Baseline takes over a table it cannot adopt by moving it aside (apply_baseline).
            self._move_aside = True
            return {}
        if self.report.action in (Action.STATUS, Action.DRY_RUN):
            self._note(f"{self.history.qualified} was written by another tool; the next run "
                       f"adopts it: {self._legacy.summary()}")
        return self._legacy.history_rows(self.mset)

    def _check_flyway(self) -> None:
        """First run on a database Flyway migrated: never apply everything again from V1."""
        if self.report.action is Action.ADOPT:
            return
        table = flyway.table_of(self.history.schema, self.options.flyway_table)
        count = flyway.applied_count(self.conn, table)
        if not count:
            return
        if self.report.action is Action.BASELINE:
            # The baseline records the versions itself: "running would apply every migration
            # again" would be untrue right after it did.
            self._note(f"{table.qualified} lists {count} version(s) Flyway applied; the "
                       "baseline records its own range instead (adopt --from flyway imports "
                       "Flyway's list and checks its checksums)")
            return
        refusal = flyway.refuse_unimported(self.mset.database, table, count)
        if self.report.action is Action.APPLY:
            raise refusal
        self._warn(str(refusal).split(": ", 1)[1])

    def adopt_flyway(self) -> None:
        """``db-migrate adopt --from flyway``: import Flyway's applied versions, run nothing."""
        rows = self._load_history()
        table = flyway.table_of(self.history.schema, self.options.flyway_table)
        if not table.exists(self.conn):
            raise InvalidInput(f"{self.mset.database}: no Flyway history table {table.qualified}"
                               " (set another one with --flyway-table)")
        found = flyway.read(self.conn, table, self.mset)
        if found.changed and self.options.checksum_policy is ChecksumPolicy.FAIL:
            raise ChecksumDrift(
                f"{self.mset.database}: files changed after Flyway applied them "
                f"({', '.join(origin for origin, _, _ in found.changed)}: their checksum "
                "differs from Flyway's) and the checksum policy is 'fail'; nothing was imported")
        found.rows = [r for r in found.rows
                      if not ((h := rows.get((Kind.MIGRATION, r.version.key))) and h.success)]
        self._prepare_table(dotted_rows=found.dotted)
        if found.rows:
            self.conn.execute(found.insert_sql(self.history))
        self.report.baselined = len(found.rows)
        span = f"V{found.rows[0].version}..V{found.rows[-1].version}" if found.rows else "none"
        self._note(f"imported {len(found.rows)} applied version(s) from {table.qualified} "
                   f"({span}), Flyway's checksums checked against the files; Flyway's table is "
                   "unchanged")
        for origin, recorded, now in found.changed:
            self._warn(f"{origin} was changed after Flyway applied it: Flyway recorded checksum "
                       f"{recorded}, the file gives {now} (flyway validate reports it too); "
                       "imported as applied, --status shows it modified")
        for label in found.failed:
            self._warn(f"{label} failed under Flyway; not imported, the next run applies it")
        for label in found.without_file:
            self._warn(f"{label} was applied by Flyway but no file has that version; recorded "
                       "as applied (--status shows it missing)")
        if found.repeatable:
            self._note(f"{len(found.repeatable)} repeatable migration(s) not imported: "
                       + ", ".join(found.repeatable[:5]))
        self.report.current_version = max(
            [*(r.version for r in rows.values() if r.success and r.version is not None
               and r.kind is Kind.MIGRATION), *(r.version for r in found.rows)], default=None)

    def _baseline_scripts(self, rows: dict[tuple[Kind, str], HistoryRow],
                          *, explicit: bool) -> list[Script]:
        """Files the baseline records: up to its version, not yet applied."""
        version = self.options.baseline_version
        if version is None:
            return []
        if not explicit and (self.report.action is Action.BASELINE or any(
                r.success for (kind, _), r in rows.items() if kind is Kind.MIGRATION)):
            return []
        return [s for s in self.mset.migrations
                if s.version is not None and s.version <= version
                and not ((r := rows.get((Kind.MIGRATION, s.key))) and r.success)]

    def _prepare_table(self, *, dotted_rows: bool = False) -> None:
        """Create, adopt or move aside the history table; called under the lock, after the
        files were validated, so a refused set leaves the database untouched.  A table from
        before dotted versions gets ``version_text`` only when one is about to be recorded
        (``dotted_rows``, or a dotted file in the set)."""
        self._create_or_adopt_table()
        needed = dotted_rows or any(dotted(s.version) for s in self.mset.migrations)
        if needed and not self._version_text:
            self.conn.execute(self.history.add_version_text_sql())
            self._version_text = True

    def _create_or_adopt_table(self) -> None:
        if self._legacy is not None and not self._move_aside:
            self._legacy.upgrade(self.conn, self.mset)
            self._note(f"adopted {self.history.qualified} written by another tool: "
                       f"{self._legacy.summary()}; added db-migrate's columns in place")
            self._legacy = None
            return
        if self._move_aside:
            legacy_name = f"{self.history.table}_legacy"
            if HistoryTable(self.history.schema, legacy_name).exists(self.conn):
                raise InvalidInput(
                    f"{self.mset.database}: cannot move {self.history.qualified} aside: "
                    f"{self.history.schema}.{legacy_name} already exists")
            with self.conn.transaction():
                self.conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(
                    self.history.ident, sql.Identifier(legacy_name)))
                self.conn.execute(self.history.create_sql())
            self._note(f"moved {self.history.qualified} (written by another tool) aside to "
                       f"{self.history.schema}.{legacy_name}")
            self._move_aside = False
            self._table_exists = self._version_text = True
            return
        if not self._table_exists:
            self.conn.execute(self.history.create_sql())
            self._table_exists = self._version_text = True

    def baseline(self) -> None:
        """``db-migrate baseline --version N``: record V1..VN as applied without running them."""
        rows = self._load_history()
        scripts = self._baseline_scripts(rows, explicit=True)
        self._prepare_table()
        if scripts:
            self.conn.execute(self.history.baseline_sql(scripts))
            self._note(f"recorded {_span(scripts)} as applied (baseline) without running them")
        else:
            self._note(f"nothing to record: every migration up to V{self.options.baseline_version}"
                       " is already applied")
        self.report.baselined = len(scripts)
        self.report.current_version = max(
            [*(r.version for r in rows.values() if r.success and r.version is not None
               and r.kind is Kind.MIGRATION),
             *(s.version for s in scripts if s.version is not None)], default=None)

    def warn_ignored(self) -> None:
        """Other .sql files under the database's folder: named once per run, never run."""
        ignored = self.mset.ignored
        if ignored:
            shown = ", ".join(ignored[:10]) + (f" and {len(ignored) - 10} more"
                                               if len(ignored) > 10 else "")
            self._warn(f"{len(ignored)} .sql file(s) ignored, their names are not migrations "
                       f"(V<version>__<description>.sql or R__<description>.sql): {shown}")
        if self.mset.flyway_baselines:
            names = ", ".join(origin for origin, _ in self.mset.flyway_baselines)
            self._warn(f"Flyway baseline migration(s) not run: {names}; db-migrate applies the "
                       "V files instead, so a new database needs every V file from the first one (a "
                       "database Flyway started from the baseline is imported with adopt --from "
                       "flyway)")

    def _note(self, message: str) -> None:
        self.report.notes.append(message)
        note(self.listener, self.mset.database, message)

    def _warn(self, message: str) -> None:
        self.report.warnings.append(message)
        self.listener.warning(self.mset.database, message)

    def _result(self, item: PlanItem) -> ItemResult:
        return self._results[id(item)]

    def analyze_pending(self, result: Plan, *, strict: bool = False
                        ) -> dict[tuple[Kind, str], Analysis]:
        """Parse every file that will run BEFORE running any, so a bad file stops nothing
        half-way; every offending file and line is named in one refusal.  ``strict`` (dry
        runs) also refuses what pglast cannot parse."""
        analyses = {}
        problems: list[str] = []
        unwrapped: list[str] = []
        as_written: list[str] = []
        empty: list[str] = []
        for item in result.to_run:
            assert item.script is not None
            missing = self._placeholder_problems.get((item.kind, item.key))
            if missing:
                # Parsing it would only add "syntax error at or near $".
                problems += [str(p) for p in missing]
                continue
            try:
                analysis = analyze(item.script)
            except UnsafeScript as exc:
                problems += exc.problems
                continue
            if strict and analysis.parse_error is not None:
                problems.append(f"{item.script.origin} {analysis.parse_error}")
            if analysis.unwrapped:
                unwrapped.append(item.label)
            if analysis.as_written:
                as_written.append(item.label)
            if analysis.statements == []:
                empty.append(item.label)
            analyses[(item.kind, item.key)] = analysis
            self._result(item).mode = analysis.mode
        if problems:
            raise InvalidMigrationSet(self.mset.database, problems)
        if unwrapped:
            self._note(f"{_files(unwrapped, 'wraps itself', 'wrap themselves')} in BEGIN ... "
                       f"COMMIT ({_names(unwrapped)}); the wrapper is ignored: each file still "
                       "runs as one transaction together with its history row")
        if as_written:
            self._note(f"{_files(as_written, 'runs', 'run')} as written, statement by statement "
                       f"({_names(as_written)}): each file's own BEGIN ... COMMIT blocks are its "
                       "transactions; progress is recorded per statement and the history row is "
                       "written at the end")
        if empty:
            verb = "would be" if self.report.action is Action.DRY_RUN else "is"
            self._note(f"{_files(empty, 'has', 'have')} no statements ({_names(empty)}); each "
                       f"{verb} recorded as applied, as Flyway records it")
        return analyses

    def dry_run(self, result: Plan) -> None:
        self.analyze_pending(result, strict=True)
        self._emit(result)

    def _emit(self, result: Plan) -> None:
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
        if self.options.out_of_order is OutOfOrderPolicy.FAIL and result.out_of_order:
            names = ", ".join(i.label for i in result.out_of_order)
            raise OutOfOrder(
                f"{self.mset.database}: pending migrations are older than the current version "
                f"V{result.top} ({names}) and the out-of-order policy is 'fail'; nothing was run")
        dropped = self.mset.missing_before_baseline()
        if dropped is not None and result.top is None:
            # Flyway would start a new database from the B file; the V files it replaced are
            # gone, so the first V file would fail on tables that do not exist.
            raise InvalidInput(
                f"{self.mset.database}: a new database starts from Flyway's baseline migration "
                f"{dropped[0]}, which db-migrate does not run, and no V file goes up to "
                f"V{dropped[1]}; build it with Flyway once (flyway migrate -target={dropped[1]}),"
                " then run db-migrate adopt --from flyway; nothing was run")
        analyses = self.analyze_pending(result)
        self._prepare_table()
        if self._pending_baseline:
            self.conn.execute(self.history.baseline_sql(self._pending_baseline))
            self.report.baselined = len(self._pending_baseline)
        runnable = [i for i in result.items if i.state is not State.MISSING]
        total = len(runnable)
        batch: list[_Step] = []
        try:
            for index, item in enumerate(runnable, 1):
                if not item.runnable:
                    self._result(item).outcome = Outcome.SKIPPED
                    self.listener.progress(Progress(self.mset.database, index, total, item,
                                                    Outcome.SKIPPED))
                    continue
                step = _Step(index, item, analyses[(item.kind, item.key)])
                if self.options.group and step.analysis.transactional \
                        and item.kind is Kind.MIGRATION:
                    batch.append(step)
                    continue
                if batch:
                    self._run_group(batch, total)
                    batch = []
                self._run_one(step, total)
            if batch:
                self._run_group(batch, total)
        except BaseException:
            # What was reported applied before the failure must be durable too.
            self._flush(quietly=True)
            raise
        else:
            self._flush()
        finally:
            for res in self.report.items:
                if res.outcome is None and res.item.runnable:
                    res.outcome = Outcome.NOT_ATTEMPTED

    def _run_one(self, step: _Step, total: int) -> None:
        """One file in its own transaction (or statement by statement), reported at once."""
        item, analysis = step.item, step.analysis
        assert item.script is not None
        res = self._result(item)
        started = time.perf_counter()
        self._notices.clear()  # the engine's own statements before this file
        try:
            if analysis.transactional:
                run_transactional(self.conn, self.history, item.script, analysis,
                                  asynchronous=self.options.async_commit)
                self._unflushed = self._unflushed or self.options.async_commit
            else:
                warnings: list[str] = []
                try:
                    run_non_transactional(self.conn, self.history, item.script, analysis,
                                          retrying=item.state is State.FAILED,
                                          warn=warnings, secrets=self.secrets)
                finally:
                    for message in warnings:
                        self._warn(message)
        except MigrationFailed as raised:
            self._failed(step, total, raised, started)
        res.elapsed_ms = elapsed_ms(started)
        self._take_notices(res)
        self._applied(step, total)

    def _run_group(self, batch: list[_Step], total: int) -> None:
        """``--group``: the files in one transaction, unless the server's lock table cannot
        hold all their locks; then in as few consecutive transactions as it can hold."""
        start = 0
        while start < len(batch):
            chunk = batch[start:start + (self._group_limit or len(batch))]
            done = self._try_group(chunk, total)
            if done == len(chunk):
                start += done
                self.report.group_transactions += 1
                continue
            # The lock table filled up after ``done`` files: all of them were rolled back.
            # Later transactions stay below that, with room for what other sessions hold.
            self._group_limit = max(1, done * 3 // 4)
            self._note(f"--group: the server's lock table (max_locks_per_transaction) filled "
                       f"up after {done} files; continuing in transactions of at most "
                       f"{self._group_limit} files")

    def _try_group(self, chunk: list[_Step], total: int) -> int:
        """Run ``chunk`` in one transaction: ``len(chunk)`` when it committed, or how many
        files ran before the lock table overflowed (all rolled back)."""
        self.conn.execute("BEGIN")
        for position, step in enumerate(chunk):
            assert step.item.script is not None
            res = self._result(step.item)
            started = time.perf_counter()
            self._notices.clear()
            try:
                run_in_group(self.conn, self.history, step.item.script, step.analysis)
            except MigrationFailed as raised:
                self.conn.execute("ROLLBACK")
                if position > 0 and _lock_table_full(raised):
                    return position
                # Everything before it in this transaction is undone: pending, not applied.
                self._failed(step, total, raised, started)
            res.elapsed_ms = elapsed_ms(started)
            self._take_notices(res)
        self.conn.execute("COMMIT")
        for step in chunk:
            self._applied(step, total)
        return len(chunk)

    def _applied(self, step: _Step, total: int) -> None:
        res = self._result(step.item)
        res.outcome = Outcome.APPLIED
        self.report.applied += 1
        self.report.pending -= 1
        version = step.item.version
        if step.item.kind is Kind.MIGRATION and version is not None:
            current = self.report.current_version
            self.report.current_version = version if current is None else max(current, version)
        self.listener.progress(Progress(self.mset.database, step.index, total, step.item,
                                        Outcome.APPLIED, res.elapsed_ms, res.mode,
                                        tuple(res.notices)))

    def _failed(self, step: _Step, total: int, raised: MigrationFailed,
                started: float) -> NoReturn:
        assert step.item.script is not None
        exc = redacted(raised, self.secrets)
        res = self._result(step.item)
        res.outcome = Outcome.FAILED
        res.error = str(exc)
        res.elapsed_ms = elapsed_ms(started)
        if step.analysis.transactional:
            self._record_failure(step.item.script, step.analysis, exc, res.elapsed_ms)
        self.report.failed = 1
        self.report.pending -= 1
        self.listener.progress(Progress(self.mset.database, step.index, total, step.item,
                                        Outcome.FAILED, res.elapsed_ms, res.mode,
                                        self._take_notices(res)))
        raise exc from None

    def _flush(self, *, quietly: bool = False) -> None:
        """One synchronous commit after asynchronous ones, before anything is reported."""
        if not self._unflushed:
            return
        self._unflushed = False
        if not quietly:
            flush_wal(self.conn)
            return
        if not (self.conn.broken or self.conn.closed):
            with contextlib.suppress(psycopg.Error, DbMigrateError):
                # A cancelled file (Ctrl-C, SIGTERM) leaves its transaction aborted.
                rollback(self.conn)
                flush_wal(self.conn)

    def _record_failure(self, script: Script, analysis: Analysis, exc: MigrationFailed,
                        took_ms: int) -> None:
        """The file rolled back; its attempt is recorded after (autocommit) so that --status
        shows it failed, when, and why.  A second failure here must not hide the first."""
        total = len(analysis.statements) if analysis.statements is not None else None
        with contextlib.suppress(psycopg.Error):
            self.conn.execute(self.history.upsert_sql(
                script, success=False, transactional=True, execution_ms=sql.Literal(took_ms),
                statements_total=total, statements_applied=0, error=exc.detail))


@dataclass(frozen=True)
class _Step:
    """A file to run: its position among the run's files, its plan item and its analysis."""

    index: int
    item: PlanItem
    analysis: Analysis


#: PostgreSQL's "out of shared memory" (SQLSTATE 53200) with the hint naming the lock table.
def _lock_table_full(exc: MigrationFailed) -> bool:
    return exc.sqlstate == "53200" and "max_locks_per_transaction" in exc.detail


def _files(labels: list[str], one: str, many: str) -> str:
    """"1 file runs" / "3 files run": the subject of a note about files."""
    return f"1 file {one}" if len(labels) == 1 else f"{len(labels)} files {many}"


def _names(labels: list[str]) -> str:
    """The first three names of a note, then how many more."""
    more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
    return ", ".join(labels[:3]) + more


def _span(scripts: list[Script]) -> str:
    if len(scripts) == 1:
        return scripts[0].name
    return f"{len(scripts)} files ({scripts[0].name} .. {scripts[-1].name})"


def _baseline_rows(scripts: list[Script]) -> dict[tuple[Kind, str], HistoryRow]:
    """The rows a baseline writes, for planning before (or instead of) writing them."""
    now = datetime.now(UTC)
    return {(s.kind, s.key): HistoryRow(
        kind=s.kind, key=s.key, version=s.version, seed_set=None, script=s.name,
        description=s.description, checksum=s.checksum, success=True, applied_at=now,
        applied_by="", runner=BASELINE_RUNNER, execution_ms=0, transactional=True,
        statements_total=None, statements_applied=None, error=None) for s in scripts}


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
    target: str | None = None,
) -> DatabaseReport:
    """Like :func:`run_database` for a set already discovered (the operator digests it first).

    ``target`` names the database in messages instead of the URL's host and name (the
    operator's reference to a Secret: nothing read from a Secret is shown)."""
    listener = listener or SilentListener()
    database = mset.database
    report = report or DatabaseReport(database=database, target=target or describe_target(url),
                                      action=action, seed_mode=options.seed_mode,
                                      started_at=datetime.now(UTC))
    secrets = secrets_of(url)
    conn: Conn | None = None
    try:
        report.source_digest = mset.digest(options.seed_mode)
        conn = connect(url, options, database=database, target=report.target)
        run = _Run(mset, conn, options, report, listener, secrets)
        run.warn_ignored()
        if action is Action.STATUS:
            # Read-only and never waits for the lock: status must work during a long run.
            run.read_plan()
        elif action is Action.DRY_RUN:
            run.dry_run(run.read_plan())
        else:
            with migration_lock(conn, lock_key(run.history.qualified), wait_s=options.lock_wait_s,
                                what=database):
                if action is Action.BASELINE:
                    run.baseline()
                elif action is Action.ADOPT:
                    run.adopt_flyway()
                else:
                    run.apply(run.read_plan())
    except DbMigrateError as exc:
        report.error = exc
    except psycopg.Error as exc:
        report.error = _server_or_network_error(exc, conn, database, report.target, secrets)
    finally:
        if conn is not None:
            conn.close()
        report.finished_at = datetime.now(UTC)
    return report
