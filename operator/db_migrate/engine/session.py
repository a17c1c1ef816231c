"""What every step of one database run shares: the connection, the options, the report being
filled, the listener, the secrets to hide, and the server's notices.

It holds no decisions: which command runs, and what the history table holds, are values the
commands pass along (engine/commands.py, engine/loader.py), so no step has to guess what an
earlier one did from a flag it left behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import psycopg

from db_migrate.engine.connection import Conn, redact
from db_migrate.engine.discovery import MigrationSet
from db_migrate.engine.history import HistoryTable
from db_migrate.engine.options import RunOptions
from db_migrate.engine.report import DatabaseReport, ItemResult, Listener, note


@dataclass
class Session:
    """One database run; kept inside the engine so adapters only see the report."""

    #: As discovered, placeholders not replaced (engine/loader.py's ``Planned.mset`` has them
    #: replaced, for the commands that run files).
    mset: MigrationSet
    conn: Conn
    options: RunOptions
    report: DatabaseReport
    listener: Listener
    #: Kept out of messages and history rows (a quoted statement may contain one).
    secrets: list[str]
    history: HistoryTable
    #: NOTICE/WARNING messages the server sent while the current file ran. libpq delivers
    #: them to :meth:`_notice` as the results are read, so each lands with its own file.
    notices: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, mset: MigrationSet, conn: Conn, options: RunOptions, report: DatabaseReport,
             listener: Listener, secrets: Sequence[str] = ()) -> Session:
        session = cls(mset, conn, options, report, listener, list(secrets),
                      HistoryTable(options.history_schema, options.history_table))
        conn.add_notice_handler(session._notice)
        return session

    @property
    def database(self) -> str:
        return self.mset.database

    def _notice(self, diag: psycopg.errors.Diagnostic) -> None:
        severity = diag.severity_nonlocalized or diag.severity or "NOTICE"
        self.notices.append(redact(f"{severity}: {diag.message_primary or ''}".strip(),
                                   self.secrets))

    def take_notices(self, res: ItemResult) -> tuple[str, ...]:
        """The notices since the last call belong to ``res``'s file."""
        res.notices = list(self.notices)
        self.notices.clear()
        return tuple(res.notices)

    def note(self, message: str) -> None:
        self.report.notes.append(message)
        note(self.listener, self.database, message)

    def warn(self, message: str) -> None:
        self.report.warnings.append(message)
        self.listener.warning(self.database, message)
