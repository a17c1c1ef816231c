"""``db-migrate verify-idempotency``: prove "all migrations MUST be idempotent" on a real server.

For one database: create a throwaway database next to the real ones, apply everything with the
normal engine (:func:`run_database`), take a catalog snapshot, then run EVERY migration and seed
a second time, in order, each the way the engine runs it (transactional files inside one
transaction, no-transaction files statement by statement).  After each file a new snapshot is
compared with the previous one, so the file that fails or changes anything is named with the
error or the difference.  The throwaway database is always dropped (``WITH (FORCE)``).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from db_migrate.engine import placeholders
from db_migrate.engine.catalog import Snapshot, diff, snapshot
from db_migrate.engine.connection import Conn, connect, describe_target, redact, secrets_of
from db_migrate.engine.discovery import MigrationSet, discover
from db_migrate.engine.errors import (
    EXIT_FAILED,
    EXIT_OK,
    DbMigrateError,
    InvalidMigrationSet,
    Unavailable,
)
from db_migrate.engine.executor import elapsed_ms, run_in_transaction, run_statements
from db_migrate.engine.options import RunOptions
from db_migrate.engine.runner import run_database
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.source import Source
from db_migrate.engine.sqltext import Analysis, analyze

#: Prefix of every throwaway database, so a leftover one is easy to recognise (and drop).
SCRATCH_PREFIX = "dbm_verify_"


@dataclass
class FileCheck:
    """The second run of one file."""

    label: str
    kind: Kind
    origin: str
    mode: str
    elapsed_ms: int = 0
    #: The second run failed: where and PostgreSQL's error.
    error: str | None = None
    #: What the second run changed in the catalog snapshot.
    changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.changes

    @property
    def verdict(self) -> str:
        return "ok" if self.ok else ("failed" if self.error is not None else "changed")

    def to_json(self) -> dict[str, object]:
        return {"file": self.label, "kind": self.kind.value, "origin": self.origin,
                "mode": self.mode, "result": self.verdict, "ok": self.ok,
                "elapsed_ms": self.elapsed_ms, "error": self.error, "changes": self.changes}


@dataclass
class IdempotencyReport:
    database: str
    seed_mode: SeedMode
    #: Credential-free description of the server (``postgres on /tmp/...``).
    target: str
    started_at: datetime
    finished_at: datetime | None = None
    scratch_database: str | None = None
    #: ``N applied, N skipped, N failed`` of the first, normal run.
    first_run: str | None = None
    files: list[FileCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Could not verify at all: invalid files, server unreachable, or the first run failed.
    error: DbMigrateError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(f.ok for f in self.files)

    @property
    def failures(self) -> list[FileCheck]:
        return [f for f in self.files if not f.ok]

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return self.error.exit_code
        return EXIT_OK if self.ok else EXIT_FAILED

    def summary(self) -> str:
        if self.error is not None:
            return f"{self.database}: not verified: {self.error}"
        bad = len(self.failures)
        return (f"{self.database}: {len(self.files) - bad} of {len(self.files)} files idempotent"
                + (f", {bad} not" if bad else ""))

    def to_json(self) -> dict[str, object]:
        return {
            "database": self.database,
            "target": self.target,
            "scratch_database": self.scratch_database,
            "seed_mode": self.seed_mode.value,
            "ok": self.ok,
            "exit_code": self.exit_code,
            "first_run": self.first_run,
            "error": None if self.error is None else {"reason": self.error.reason,
                                                      "message": str(self.error)},
            "files": [f.to_json() for f in self.files],
            "not_idempotent": [f.label for f in self.failures],
            "warnings": self.warnings,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def scratch_name(database: str) -> str:
    """``dbm_verify_<database>_<random>``, a plain identifier within PostgreSQL's 63 bytes."""
    slug = re.sub(r"[^a-z0-9]+", "_", database.lower()).strip("_")[:40] or "db"
    return f"{SCRATCH_PREFIX}{slug}_{secrets.token_hex(4)}"


def _run_again(conn: Conn, script: Script, analysis: Analysis) -> str | None:
    """Run ``script`` once more exactly as the engine does, minus the history row; where and
    why it failed, if it did."""
    if analysis.transactional:
        failed = run_in_transaction(conn, script, analysis)
    else:
        failed = run_statements(conn, script, analysis)
    return None if failed is None else failed.detail


def _create_scratch(admin: Conn, name: str) -> None:
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_scratch(admin: Conn, name: str) -> None:
    ident = sql.Identifier(name)
    if admin.info.server_version >= 130000:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        return
    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                  [name])
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(ident))


def verify_idempotency(
    source: Source,
    database: str,
    admin_url: str,
    options: RunOptions,
    *,
    row_contents: bool = True,
    progress: Callable[[FileCheck], None] | None = None,
) -> IdempotencyReport:
    """Apply everything into a throwaway database, then run every file again and compare.

    ``admin_url`` points at an existing database of the server (e.g. ``postgres``) as a role
    with CREATEDB.  Errors are returned in ``report.error``, never raised.  ``progress`` is
    called after each file's second run.
    """
    secrets = secrets_of(admin_url)
    report = IdempotencyReport(database=database, seed_mode=options.seed_mode,
                               target=describe_target(admin_url), started_at=datetime.now(UTC))
    admin: Conn | None = None
    try:
        mset = discover(source, database)
        admin = connect(admin_url, options, database=database)
        name = scratch_name(database)
        mset = _expanded(mset, options, admin.info.user, name)
        scripts = [*mset.migrations, *mset.repeatables, *mset.seeds_for(options.seed_mode)]
        # Parse everything first: a file the engine refuses stops us before any database exists.
        analyses = [analyze(script) for script in scripts]
        try:
            _create_scratch(admin, name)
        except psycopg.Error as exc:
            raise DbMigrateError(
                f"{database}: cannot create the throwaway database {name} on {report.target} "
                f"(the role needs CREATEDB): {redact(str(exc).strip(), secrets)}"
            ) from None
        report.scratch_database = name
        try:
            _verify(report, scripts, analyses, source, make_conninfo(admin_url, dbname=name),
                    options, row_contents, progress)
        finally:
            try:
                _drop_scratch(admin, name)
            except psycopg.Error as exc:
                report.warnings.append(f"could not drop the throwaway database {name}: "
                                       f"{redact(str(exc).strip(), secrets)}")
    except DbMigrateError as exc:
        report.error = exc
    except psycopg.OperationalError as exc:
        report.error = Unavailable(
            f"{database}: lost the connection to {report.target}: "
            f"{redact(str(exc).strip(), secrets)}")
    finally:
        if admin is not None:
            admin.close()
        report.finished_at = datetime.now(UTC)
    return report


def _expanded(mset: MigrationSet, options: RunOptions, user: str, scratch: str) -> MigrationSet:
    """Placeholders replaced as the runner replaces them in the throwaway database, so that
    the second run sends the same text as the first; every missing value is named at once."""
    if not options.placeholder_replacement:
        return mset
    builtins = placeholders.Builtins(user=user, database=scratch,
                                     default_schema=options.history_schema,
                                     table=options.history_table)
    expanded, found = placeholders.expand_set(
        mset, placeholders.Expander(options.placeholders, builtins))
    if found:
        raise InvalidMigrationSet(mset.database, [str(p) for ps in found.values() for p in ps])
    return expanded


def _verify(report: IdempotencyReport, scripts: list[Script], analyses: list[Analysis],
            source: Source, url: str, options: RunOptions, row_contents: bool,
            progress: Callable[[FileCheck], None] | None) -> None:
    first = run_database(source, report.database, url, options)
    report.first_run = first.summary()
    if first.error is not None:
        report.error = first.error
        return
    history = [(options.history_schema, options.history_table)]
    conn = connect(url, options, database=report.database)
    try:
        before: Snapshot = snapshot(conn, exclude_rows_of=history, row_contents=row_contents)
        for script, analysis in zip(scripts, analyses, strict=True):
            check = FileCheck(label=script.label, kind=script.kind, origin=script.origin,
                              mode=analysis.mode)
            started = time.perf_counter()
            check.error = _run_again(conn, script, analysis)
            check.elapsed_ms = elapsed_ms(started)
            after = snapshot(conn, exclude_rows_of=history, row_contents=row_contents)
            # Compared with the state right before this file, so each change is blamed on
            # exactly one file.
            check.changes = diff(before, after)
            before = after
            report.files.append(check)
            if progress is not None:
                progress(check)
    finally:
        conn.close()
