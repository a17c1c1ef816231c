"""Run one database: discover, connect, lock, read history once, plan, execute, report.

Per run, whatever the number of files: one connection, one settings round trip, the lock
poll, one existence check, one history read; then one round trip per transactional file.
A no-op run therefore costs the same handful of round trips for 10 or 10,000 files.

This module opens the run, takes the lock for the commands that write, and dispatches; the
commands themselves are in commands.py, over loader.py (the history, read once, and the plan),
preflight.py (refusals before anything runs), applier.py (running the files) and session.py
(what every step of the run shares).
"""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg

from db_migrate.engine import commands
from db_migrate.engine.connection import Conn, connect, describe_target, redact, secrets_of
from db_migrate.engine.discovery import MigrationSet, discover
from db_migrate.engine.errors import DbMigrateError, MigrationFailed, Unavailable
from db_migrate.engine.loader import warn_ignored
from db_migrate.engine.locking import lock_key, migration_lock
from db_migrate.engine.options import RunOptions
from db_migrate.engine.report import Action, DatabaseReport, Listener, SilentListener
from db_migrate.engine.session import Session
from db_migrate.engine.source import Source

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


#: The commands that write, run while the run holds the migration lock.
_UNDER_LOCK = {
    Action.APPLY: commands.apply,
    Action.BASELINE: commands.baseline,
    Action.ADOPT: commands.adopt_flyway,
}


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
        s = Session.open(mset, conn, options, report, listener, secrets)
        warn_ignored(s)
        if action is Action.STATUS:
            # Read-only and never waits for the lock: status must work during a long run.
            commands.status(s)
        elif action is Action.DRY_RUN:
            commands.dry_run(s)
        else:
            with migration_lock(conn, lock_key(s.history.qualified), wait_s=options.lock_wait_s,
                                what=database):
                _UNDER_LOCK[action](s)
    except DbMigrateError as exc:
        report.error = exc
    except psycopg.Error as exc:
        report.error = _server_or_network_error(exc, conn, database, report.target, secrets)
    finally:
        if conn is not None:
            conn.close()
        report.finished_at = datetime.now(UTC)
    return report
