"""Send one multi-statement string and learn exactly which statement failed.

psycopg's ``execute`` sends a parameterless string through the simple-query protocol, but on
error it only raises: it does not say how many statements had already completed.  Here the
same protocol is driven through psycopg's documented ``pq`` layer so that every statement's
result is seen.  That buys two things at once:

* a migration, its history row and COMMIT travel in ONE round trip, and
* a failure is attributed to its statement even when PostgreSQL gives no error position
  (constraint violations, errors raised inside PL/pgSQL).
"""

from __future__ import annotations

import select
from dataclasses import dataclass

import psycopg
from psycopg import pq

from db_migrate.engine.connection import Conn

_OK = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK, pq.ExecStatus.EMPTY_QUERY)


@dataclass(frozen=True)
class ServerError:
    sqlstate: str
    message: str
    detail: str | None
    hint: str | None
    context: str | None
    #: 1-based character position in the string that was sent, if the server gave one.
    position: int | None

    def describe(self) -> str:
        parts = [f"{self.message} (SQLSTATE {self.sqlstate})"]
        if self.detail:
            parts.append(f"DETAIL: {self.detail}")
        if self.hint:
            parts.append(f"HINT: {self.hint}")
        if self.context:
            parts.append(f"CONTEXT: {self.context.splitlines()[0]}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Outcome:
    #: Statements that completed before the error (all of them when ``error`` is None).
    completed: int
    error: ServerError | None


def _field(res: pq.abc.PGresult, code: pq.DiagnosticField, encoding: str) -> str | None:
    raw = res.error_field(code)
    return raw.decode(encoding, "replace") if raw is not None else None


def _server_error(res: pq.abc.PGresult, encoding: str) -> ServerError:
    position = _field(res, pq.DiagnosticField.STATEMENT_POSITION, encoding)
    return ServerError(
        sqlstate=_field(res, pq.DiagnosticField.SQLSTATE, encoding) or "XX000",
        message=_field(res, pq.DiagnosticField.MESSAGE_PRIMARY, encoding) or "unknown error",
        detail=_field(res, pq.DiagnosticField.MESSAGE_DETAIL, encoding),
        hint=_field(res, pq.DiagnosticField.MESSAGE_HINT, encoding),
        context=_field(res, pq.DiagnosticField.CONTEXT, encoding),
        position=int(position) if position else None,
    )


def _wait(pgconn: pq.abc.PGconn, *, write: bool) -> None:
    sock = pgconn.socket
    if write:
        select.select([sock], [sock], [])
    else:
        select.select([sock], [], [])


def execute_script(conn: Conn, query: str) -> Outcome:
    """Run ``query`` (one or many statements) and count completed statements.

    The connection must be idle and in autocommit mode; the caller decides about ROLLBACK.
    A lost connection raises :class:`psycopg.OperationalError` like psycopg would.
    """
    pgconn = conn.pgconn
    encoding = conn.info.encoding
    pgconn.send_query(query.encode(encoding))
    while pgconn.flush() != 0:
        _wait(pgconn, write=True)
    completed = 0
    error: ServerError | None = None
    try:
        while True:
            while True:
                pgconn.consume_input()
                if not pgconn.is_busy():
                    break
                _wait(pgconn, write=False)
            res = pgconn.get_result()
            if res is None:
                break
            status = res.status
            if status in _OK:
                completed += 1
            elif status == pq.ExecStatus.COPY_IN:
                # COPY ... FROM STDIN has no data to read from a migration file.
                pgconn.put_copy_end(b"COPY FROM STDIN is not supported in migrations; use INSERT")
            elif status == pq.ExecStatus.COPY_OUT:
                while pgconn.get_copy_data(0)[0] > 0:
                    pass
            elif error is None:
                error = _server_error(res, encoding)
    except KeyboardInterrupt:
        # Ctrl-C: ask the server to stop the statement too, not only the client.
        pgconn.get_cancel().cancel()
        while pgconn.get_result() is not None:
            pass
        raise
    if pgconn.status == pq.ConnStatus.BAD:
        raise psycopg.OperationalError(pgconn.get_error_message(encoding) or "connection lost")
    return Outcome(completed=completed, error=error)
