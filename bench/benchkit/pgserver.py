"""The bench's PostgreSQL 18 server: one throw-away server on a loopback TCP port for every tool.

Started by :mod:`testkit.pgserver` (the one way the repository runs a throw-away server), with
initdb's defaults (fsync on) and locale C, identical for every tool because all tools run
against this one server. What is the bench's own: a clean checkpoint before each timed run,
and the settings recorded with the results.
"""

from __future__ import annotations

import os
from pathlib import Path

from testkit import pgserver
from testkit.pgserver import Endpoint

__all__ = ["PG_BIN", "Endpoint", "PgServer"]

PG_BIN = pgserver.embedded_pg18().bin_dir


class PgServer(pgserver.PgServer):
    """Starts on enter, stops (and deletes its data) on exit."""

    def __init__(self, root: Path, settings: dict[str, str] | None = None) -> None:
        # Extra server settings (postgres -c NAME=VALUE), the same for every tool of the run.
        super().__init__(root, settings=settings, locale="C")

    def create_database(self, dbname: str) -> Endpoint:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
            # Start each timed run from a clean checkpoint, so that a checkpoint triggered by
            # an earlier run does not land in the middle of the next tool's measurement.
            conn.execute("CHECKPOINT")
        # And with the kernel's dirty pages written back: on a disk with little write bandwidth
        # the previous tool's writeback would otherwise throttle this one's writes.
        os.sync()
        return self.endpoint(dbname)

    def drop_database(self, dbname: str) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')

    def describe(self) -> dict[str, str]:
        """Version and the settings that decide commit cost, recorded with the results."""
        names: tuple[str, ...] = (
            "fsync",
            "synchronous_commit",
            "wal_sync_method",
            "full_page_writes",
            "shared_buffers",
            "max_wal_size",
            "autovacuum",
            "max_locks_per_transaction",
        )
        out: dict[str, str] = {}
        names += tuple(k for k in self.settings if k not in names)
        with self.connect() as conn:
            row = conn.execute("SELECT version()").fetchone()
            out["version"] = str(row[0]) if row else "?"
            for name in names:
                row = conn.execute("SELECT current_setting(%s)", (name,)).fetchone()
                out[name] = str(row[0]) if row else "?"
        return out
