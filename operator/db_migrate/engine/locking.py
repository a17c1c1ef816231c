"""The migration lock: a session-level advisory try-lock, polled with jitter until a deadline.

Why this shape (see docs/design.md and flyway #1654, #3497):

* Never ``pg_advisory_lock``: a blocked waiter holds a snapshot that makes a concurrent
  ``CREATE INDEX CONCURRENTLY`` of the lock holder wait forever.  ``pg_try_advisory_lock``
  returns at once and the waiter holds no snapshot between polls.
* Not transaction-scoped: an open transaction on the lock session blocks concurrent index
  builds for the same reason; the lock session runs the migrations with no transaction open
  between files.
* Same session as the migrations: if the runner is killed, the lock is released only when the
  server ends that session, i.e. after its in-flight statement stopped, so a second runner can
  never apply the same file while the first one's statement still runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from db_migrate.engine.connection import Conn
from db_migrate.engine.errors import LockTimeout

_HOLDER_SQL = """
SELECT a.pid, a.application_name, a.client_addr::text, a.backend_start, a.usename
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.database = (
    SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = %s AND l.objid = %s AND l.objsubid = 1
LIMIT 1
"""


def lock_key(qualified_table: str) -> int:
    """A stable signed 64-bit key per history table, so two tables never share a lock."""
    digest = hashlib.sha256(f"db-migrate:{qualified_table}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def describe_holder(conn: Conn, key: int) -> str:
    unsigned = key & 0xFFFFFFFFFFFFFFFF
    row = conn.execute(_HOLDER_SQL, [unsigned >> 32, unsigned & 0xFFFFFFFF]).fetchone()
    if row is None:
        return "the holder could not be identified (it may have just released it)"
    pid, app, client, since, user = row
    where = client or "local socket"
    return (
        f"held by pid {pid} (application_name {app!r}, user {user!r}, client {where}, "
        f"connected since {since:%Y-%m-%d %H:%M:%S %Z})"
    )


@contextmanager
def migration_lock(
    conn: Conn, key: int, *, wait_s: float, what: str
) -> Iterator[None]:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        row = conn.execute("SELECT pg_try_advisory_lock(%s)", [key]).fetchone()
        if row and row[0]:
            break
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LockTimeout(
                f"{what}: migration lock not obtained within {wait_s:g} s; "
                f"{describe_holder(conn, key)}"
            )
        # Full jitter keeps many waiting runners from polling in lockstep.
        time.sleep(min(remaining, random.uniform(0, delay)))
        delay = min(delay * 2, 1.0)
    try:
        yield
    finally:
        if not conn.closed and not conn.broken:
            # The session ends right after; closing it releases the lock anyway.
            with contextlib.suppress(psycopg.Error):
                conn.execute("SELECT pg_advisory_unlock(%s)", [key])
