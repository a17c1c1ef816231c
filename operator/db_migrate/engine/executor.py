"""Execute one script (or a group) against a connection held under the migration lock.

Round trips per transactional migration: ONE.  ``BEGIN; <file>; <history upsert>; COMMIT``
is sent as a single simple-query string, so the file and its history row land together or
not at all, and PostgreSQL times the file itself (see ``ELAPSED_MS_IN_STRING``).

Non-transactional files (``CREATE INDEX CONCURRENTLY`` ...) run statement by statement in
autocommit, because a multi-statement string is one implicit transaction.  A history row
marked unfinished is written first and updated after each statement, so even a runner killed
with SIGKILL leaves a record of how far it got.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Sequence

import psycopg
from psycopg import sql

from db_migrate.engine.connection import Conn, redact
from db_migrate.engine.errors import MigrationFailed
from db_migrate.engine.history import ELAPSED_MS_IN_STRING, HistoryTable
from db_migrate.engine.scripts import Script
from db_migrate.engine.sqltext import Analysis, Statement, concurrent_index_names, line_of
from db_migrate.engine.wire import Outcome, ServerError, execute_script

#: Opens the single round trip of a transactional file (idempotency.py runs files the same way).
BEGIN = "BEGIN;\n"
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


def _fail(script: Script, where: str, err: ServerError, index: int | None,
          statements: list[Statement] | None) -> MigrationFailed:
    quoted = None
    if index is not None and statements is not None and 0 <= index < len(statements):
        quoted = one_line(statements[index].text)
    detail = f"{where}: {err.describe()}" + (f"; statement: {quoted}" if quoted else "")
    return MigrationFailed(f"{script.origin} {detail}", script=script.label,
                           statement_index=index, statement=quoted, detail=detail)


def redacted(exc: MigrationFailed, secrets: Sequence[str]) -> MigrationFailed:
    """The failure with every secret removed: a quoted statement may contain one."""
    if not any(s and (s in str(exc) or s in exc.detail) for s in secrets):
        return exc
    hide = list(secrets)
    return MigrationFailed(redact(str(exc), hide), script=exc.script,
                           statement_index=exc.statement_index,
                           statement=redact(exc.statement, hide) if exc.statement else None,
                           detail=redact(exc.detail, hide))


def rollback(conn: Conn) -> None:
    """Roll back whatever a failed script left open (nothing if the server already did)."""
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        conn.execute("ROLLBACK")


def _success_row(conn: Conn, history: HistoryTable, script: Script, analysis: Analysis) -> str:
    """The history upsert that travels in the same string as the file it records."""
    count = len(analysis.statements) if analysis.statements is not None else None
    return history.upsert_sql(script, success=True, transactional=True,
                              execution_ms=ELAPSED_MS_IN_STRING, statements_total=count,
                              statements_applied=count).as_string(conn)


def run_transactional(conn: Conn, history: HistoryTable, script: Script,
                      analysis: Analysis) -> None:
    row = _success_row(conn, history, script, analysis)
    query = f"{BEGIN}{analysis.text}\n;\n{row};\nCOMMIT;"
    outcome = execute_script(conn, query)
    if outcome.error is not None:
        rollback(conn)
        # The first completed result is our BEGIN.
        where, index = _where(script, analysis, outcome.error, outcome.completed - 1, len(BEGIN))
        raise _fail(script, where, outcome.error, index, analysis.statements)


def run_in_group(conn: Conn, history: HistoryTable, script: Script,
                 analysis: Analysis) -> None:
    """One file inside an already open group transaction; the caller rolls back on failure."""
    row = _success_row(conn, history, script, analysis)
    outcome = execute_script(conn, f"{analysis.text}\n;\n{row};")
    if outcome.error is not None:
        where, index = _where(script, analysis, outcome.error, outcome.completed, 0)
        raise _fail(script, where, outcome.error, index, analysis.statements)


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
    def scrub_text(text: str) -> str:
        return redact(text, list(secrets))

    def scrub(exc: MigrationFailed) -> MigrationFailed:
        return redacted(exc, secrets)

    statements = analysis.statements or []
    total = len(statements)
    _drop_invalid_indexes(conn, script, analysis, retrying, warn)
    conn.execute(history.upsert_sql(script, success=False, transactional=False,
                                    execution_ms=sql.Literal(0), statements_total=total,
                                    statements_applied=0, error=_INTERRUPTED))
    started = time.perf_counter()
    for index, stmt in enumerate(statements):
        outcome: Outcome = execute_script(conn, stmt.text)
        if outcome.error is not None:
            rollback(conn)
            err = outcome.error
            line = stmt.line
            if err.position is not None:
                line = line_of(script.text, stmt.start + err.position - 1)
            where = f"line {line} (statement {index + 1}/{total})"
            failure = _fail(script, where, err, index, statements)
            failure = scrub(failure)
            quoted = f"; statement: {failure.statement}" if failure.statement else ""
            conn.execute(history.upsert_sql(
                script, success=False, transactional=False,
                execution_ms=sql.Literal(_ms(started)), statements_total=total,
                statements_applied=index,
                error=f"statement {index + 1}: {scrub_text(err.describe())}{quoted}"))
            raise failure
        conn.execute(history.progress_sql(script, index + 1))
    conn.execute(history.upsert_sql(script, success=True, transactional=False,
                                    execution_ms=sql.Literal(_ms(started)),
                                    statements_total=total, statements_applied=total))


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
