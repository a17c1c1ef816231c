"""Execute one script (or a group) against a connection held under the migration lock.

Round trips per transactional migration: ONE.  ``BEGIN; <file>; <history upsert>; COMMIT``
is sent as a single simple-query string, so the file and its history row land together or
not at all, and PostgreSQL times the file itself (see ``ELAPSED_MS_IN_STRING``).

Asynchronous commit: the string may also carry ``SET LOCAL synchronous_commit TO off``, so
the COMMIT does not wait for its WAL flush.  A crash can then lose only whole recent
file+history pairs (they commit together), which the next run applies again; the runner
ends every run with one synchronous commit (:func:`flush_wal`) before it reports, so what
the summary line says is durable.  docs/design.md has the reasoning and the figures.

Non-transactional files (``CREATE INDEX CONCURRENTLY`` ...) run statement by statement in
autocommit, because a multi-statement string is one implicit transaction.  A history row
marked unfinished is written first and updated after each statement, so even a runner killed
with SIGKILL leaves a record of how far it got.

:func:`run_in_transaction` and :func:`run_statements` are the only two ways a file is sent;
``verify-idempotency`` runs files again through them, without a history row.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql

from db_migrate.engine.connection import Conn, redact
from db_migrate.engine.errors import MigrationFailed, Unavailable
from db_migrate.engine.history import ELAPSED_MS_IN_STRING, HistoryTable
from db_migrate.engine.scripts import Script
from db_migrate.engine.sqltext import Analysis, Statement, concurrent_index_names, line_of
from db_migrate.engine.wire import ServerError, execute_script

#: Opens the single round trip of a transactional file.
BEGIN = "BEGIN;\n"
#: Lets that transaction's COMMIT return before its WAL is flushed (see the module doc).
ASYNC_COMMIT = "SET LOCAL synchronous_commit TO off;\n"
_INTERRUPTED = "started; the runner stopped before this file finished"

_INVALID_INDEXES = """
SELECT n.nspname, c.relname FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT i.indisvalid AND c.relname = ANY(%s)
  AND n.nspname = ANY(%s::text[] || current_schemas(false)::text[])
"""


def _statement_at(statements: list[Statement], offset: int) -> int | None:
    """Index of the statement containing character ``offset`` of the file."""
    index = bisect.bisect_right([s.start for s in statements], offset) - 1
    if index < 0 or offset > statements[index].end:
        return None
    return index


def _where(script: Script, analysis: Analysis, err: ServerError, completed: int,
           text_offset: int) -> tuple[str, int | None]:
    """'line L (statement k/n)' from the error position, else from the completed count."""
    statements = analysis.statements
    index: int | None = None
    line: int | None = None
    if err.position is not None:
        offset = err.position - 1 - text_offset
        if 0 <= offset <= len(script.text):
            line = line_of(script.text, offset)
            # A syntax error fails the whole string before anything ran: only the position
            # tells which statement it is.
            index = _statement_at(statements, offset) if statements else None
    if index is None and statements is not None and 0 <= completed < len(statements):
        index = completed
    if line is None and index is not None and statements is not None:
        line = statements[index].line
    detail = None
    if index is not None and statements is not None:
        detail = f"statement {index + 1}/{len(statements)}"
    elif statements is not None and completed >= len(statements):
        detail = "at COMMIT"  # e.g. a deferred constraint
    if line is None:
        return detail or "unknown position", index
    return (f"line {line} ({detail})" if detail else f"line {line}"), index


#: How much of the failing statement a message quotes.
STATEMENT_QUOTE_CHARS = 200


def one_line(text: str, limit: int = STATEMENT_QUOTE_CHARS) -> str:
    """The statement on one line, whitespace collapsed, trimmed to about ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"


@dataclass(frozen=True)
class ScriptError:
    """Where a file failed, and PostgreSQL's error."""

    error: ServerError
    #: "line 3 (statement 3/3)", "at COMMIT", ...
    where: str
    #: 0-based index of the failing statement, when known.
    index: int | None
    #: The failing statement on one line, trimmed.
    statement: str | None

    @property
    def detail(self) -> str:
        """The message without the file name: "line 3 (statement 3/3): ...; statement: ..."."""
        quoted = f"; statement: {self.statement}" if self.statement else ""
        return f"{self.where}: {self.error.describe()}{quoted}"

    def failure(self, script: Script) -> MigrationFailed:
        return MigrationFailed(f"{script.origin} {self.detail}", script=script.label,
                               statement_index=self.index, statement=self.statement,
                               detail=self.detail, sqlstate=self.error.sqlstate)


def _located(script: Script, analysis: Analysis, err: ServerError, completed: int,
             text_offset: int) -> ScriptError:
    where, index = _where(script, analysis, err, completed, text_offset)
    statements = analysis.statements
    quoted = None
    if index is not None and statements is not None and 0 <= index < len(statements):
        quoted = one_line(statements[index].text)
    return ScriptError(err, where, index, quoted)


def redacted(exc: MigrationFailed, secrets: Sequence[str]) -> MigrationFailed:
    """The failure with every secret removed: a quoted statement may contain one."""
    if not any(s and (s in str(exc) or s in exc.detail) for s in secrets):
        return exc
    hide = list(secrets)
    return MigrationFailed(redact(str(exc), hide), script=exc.script,
                           statement_index=exc.statement_index,
                           statement=redact(exc.statement, hide) if exc.statement else None,
                           detail=redact(exc.detail, hide), sqlstate=exc.sqlstate)


def rollback(conn: Conn) -> None:
    """Roll back whatever a failed script left open (nothing if the server already did)."""
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        conn.execute("ROLLBACK")


def run_in_transaction(conn: Conn, script: Script, analysis: Analysis, *, then: str = "",
                       asynchronous: bool = False) -> ScriptError | None:
    """``BEGIN; <file>; <then>; COMMIT`` in one round trip; rolled back if anything fails."""
    prefix = BEGIN + (ASYNC_COMMIT if asynchronous else "")
    tail = f"{then};\n" if then else ""
    outcome = execute_script(conn, f"{prefix}{analysis.text}\n;\n{tail}COMMIT;")
    if outcome.error is None:
        return None
    rollback(conn)
    # BEGIN (and SET LOCAL) are the first completed results.
    opened = 2 if asynchronous else 1
    return _located(script, analysis, outcome.error, outcome.completed - opened, len(prefix))


def run_statements(conn: Conn, script: Script, analysis: Analysis, *,
                   after_each: Callable[[int], None] | None = None) -> ScriptError | None:
    """Each statement on its own in autocommit; ``after_each(k)`` once k statements are done."""
    statements = analysis.statements or []
    for index, stmt in enumerate(statements):
        outcome = execute_script(conn, stmt.text)
        if outcome.error is not None:
            rollback(conn)
            # The server's position counts from the start of the statement sent.
            return _located(script, analysis, outcome.error, index, -stmt.start)
        if after_each is not None:
            after_each(index + 1)
    return None


def _success_row(conn: Conn, history: HistoryTable, script: Script, analysis: Analysis) -> str:
    """The history upsert that travels in the same string as the file it records."""
    count = len(analysis.statements) if analysis.statements is not None else None
    return history.upsert_sql(script, success=True, transactional=True,
                              execution_ms=ELAPSED_MS_IN_STRING, statements_total=count,
                              statements_applied=count).as_string(conn)


def run_transactional(conn: Conn, history: HistoryTable, script: Script,
                      analysis: Analysis, *, asynchronous: bool = False) -> None:
    failed = run_in_transaction(conn, script, analysis, asynchronous=asynchronous,
                                then=_success_row(conn, history, script, analysis))
    if failed is not None:
        raise failed.failure(script)


def run_in_group(conn: Conn, history: HistoryTable, script: Script,
                 analysis: Analysis) -> None:
    """One file inside an already open group transaction; the caller rolls back on failure."""
    row = _success_row(conn, history, script, analysis)
    outcome = execute_script(conn, f"{analysis.text}\n;\n{row};")
    if outcome.error is not None:
        raise _located(script, analysis, outcome.error, outcome.completed, 0).failure(script)


def _drop_invalid_indexes(conn: Conn, script: Script, analysis: Analysis,
                          retrying: bool, warn: list[str]) -> None:
    """A failed concurrent build leaves an INVALID index that ``IF NOT EXISTS`` would skip."""
    names = concurrent_index_names(analysis.statements or [])
    if not names:
        return
    schemas = sorted({s for s, _ in names if s})
    found = conn.execute(_INVALID_INDEXES, [[n for _, n in names], schemas]).fetchall()
    for schema, name in found:
        ident = sql.Identifier(str(schema), str(name))
        if not retrying:
            raise MigrationFailed(
                f"{script.origin}: index {ident.as_string(conn)} exists but is INVALID (a "
                "concurrent build failed outside db-migrate); drop it with DROP INDEX "
                "CONCURRENTLY and run again", script=script.label)
        warn.append(f"{script.name}: dropping INVALID index {ident.as_string(conn)} left by "
                    "the earlier failed run, then building it again")
        conn.execute(sql.SQL("DROP INDEX CONCURRENTLY IF EXISTS {}").format(ident))


def run_non_transactional(conn: Conn, history: HistoryTable,
                          script: Script, analysis: Analysis, *, retrying: bool,
                          warn: list[str], secrets: Sequence[str] = ()) -> None:
    total = len(analysis.statements or [])
    _drop_invalid_indexes(conn, script, analysis, retrying, warn)
    conn.execute(history.upsert_sql(script, success=False, transactional=False,
                                    execution_ms=sql.Literal(0), statements_total=total,
                                    statements_applied=0, error=_INTERRUPTED))
    started = time.perf_counter()
    done = 0

    def progressed(count: int) -> None:
        nonlocal done
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            # Inside the file's own BEGIN block: its statements are not kept until its
            # COMMIT, and the history row must stay out of the file's transaction.
            return
        done = count
        conn.execute(history.progress_sql(script, count))

    failed = run_statements(conn, script, analysis, after_each=progressed)
    if failed is not None:
        failure = redacted(failed.failure(script), secrets)
        quoted = f"; statement: {failure.statement}" if failure.statement else ""
        conn.execute(history.upsert_sql(
            script, success=False, transactional=False,
            execution_ms=sql.Literal(elapsed_ms(started)), statements_total=total,
            statements_applied=done,
            error=f"statement {(failed.index if failed.index is not None else done) + 1}: "
                  f"{redact(failed.error.describe(), list(secrets))}"
                  f"{quoted}"))
        raise failure
    conn.execute(history.upsert_sql(script, success=True, transactional=False,
                                    execution_ms=sql.Literal(elapsed_ms(started)),
                                    statements_total=total, statements_applied=total))


#: A commit only waits for its WAL flush if its transaction wrote WAL, and an XID alone writes
#: none; a transactional logical message does, touches no table, and any role may send it.
_FLUSH = ("BEGIN;\nSET LOCAL synchronous_commit TO DEFAULT;\n"
          "SELECT pg_logical_emit_message(true, 'db-migrate', 'flush');\nCOMMIT;")


def flush_wal(conn: Conn) -> None:
    """One synchronous commit: PostgreSQL flushes the WAL up to its commit record, so every
    asynchronous commit before it too (and waits for synchronous standbys as the server's
    ``synchronous_commit`` says)."""
    outcome = execute_script(conn, _FLUSH)
    if outcome.error is not None:
        rollback(conn)
        raise Unavailable("could not confirm that this run's commits reached disk: "
                          f"{outcome.error.describe()}")


def elapsed_ms(started: float) -> int:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` value)."""
    return round((time.perf_counter() - started) * 1000)
