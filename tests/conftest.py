"""Shared fixtures: real PostgreSQL servers, the CLI as a real process, sample sets."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from testkit import pgserver
from tests.pgservers import PgServer

pytest_plugins = ["testkit.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="session")
def pg_base() -> Iterator[Path]:
    # Short path: unix socket paths are limited to ~100 bytes.
    with tempfile.TemporaryDirectory(prefix="dbm-pg-", dir="/tmp") as tmp:
        yield Path(tmp)


@pytest.fixture(scope="session")
def pg18(pg_base: Path) -> Iterator[PgServer]:
    with pgserver.PgServer(pg_base / "pg18") as server:
        shared = PgServer.of(server, "pg18")
        yield shared
        shared.drop_created()


@pytest.fixture(scope="session")
def pg15(pg_base: Path) -> Iterator[PgServer]:
    binaries = pgserver.debian_pg15()
    if binaries is None:
        if IN_CI:
            pytest.fail("Debian PostgreSQL 15 is missing; .ci/run must install postgresql-15")
        pytest.skip("Debian PostgreSQL 15 is not installed (apt-get install postgresql-15)")
    # Throwaway data: no fsync (the engine tests run on both majors; this one is the extra).
    with pgserver.PgServer(pg_base / "pg15", binaries, settings={"fsync": "off"}) as server:
        yield PgServer.of(server, "pg15")


@pytest.fixture(params=["pg18", "pg15"])
def pg(request: pytest.FixtureRequest) -> PgServer:
    """Engine tests run on both majors (pgvector-free SQL only)."""
    server: PgServer = request.getfixturevalue(request.param)
    return server


@pytest.fixture
def db_url(pg: PgServer) -> str:
    return pg.create_database()


@dataclass
class Project:
    """A throwaway migrations/ + seeds/ tree for one test."""

    root: Path

    @property
    def migrations(self) -> Path:
        return self.root / "migrations"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    def migration(self, database: str, name: str, body: str | bytes) -> Path:
        return self._write(self.migrations / database / name, body)

    def seed(self, database: str, set_name: str, name: str, body: str | bytes) -> Path:
        return self._write(self.seeds / database / set_name / name, body)

    @staticmethod
    def _write(path: Path, body: str | bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, str):
            path.write_text(textwrap.dedent(body).lstrip("\n"))
        else:
            path.write_bytes(body)
        return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 120) -> CliResult:
    """The CLI as users run it: a real process, real exit code."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DB_MIGRATE_URL_")}
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "db_migrate", *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd or ROOT, timeout=timeout)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
