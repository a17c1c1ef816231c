"""Benchmark db-migrate against psql (the limit), yoyo, dbmate, Flyway, goose and golang-migrate.

    python bench/run.py --quick      # CI smoke: N=10,100, 2 rounds, results under bench/.cache
    python bench/run.py              # full: N=10,100,1000,5000; bench/results/*.json,
                                     # docs/benchmarks.md and docs/benchmarks.png updated

One PostgreSQL 18 server on a loopback port serves every tool; each tool gets a fresh database
per round. After the sizes, the usual deploy: 3 new files on a database with 300 applied, for
every tool that keeps history. Tools that are not installed are reported and skipped; the exit
status is 1 only when an installed tool failed (so a broken db-migrate fails the smoke run).
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit import report
from benchkit.deploy import DeployConfig, run_deploy
from benchkit.migsets import MigrationSet, ensure_set
from benchkit.pgserver import PgServer
from benchkit.runner import RunConfig, Sample, run_rounds
from benchkit.tools import PSQL, Flyway, GolangMigrate, Goose, Tool, all_tools

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
FLYWAY_LIB = CACHE / "flyway" / "lib"
PEERS_BUILD = BENCH / "peers" / "build"
FULL_SIZES = [10, 100, 1000, 5000]
QUICK_SIZES = [10, 100]
# Enough rounds for a stable median where a run is cheap, fewer where one run takes minutes.
FULL_ROUNDS = {10: 6, 100: 6, 1000: 4, 5000: 3}
DEFAULT_TOOLS = "ours,ours-group,ours-sync,psql-1,psql-session,psql-each,yoyo,dbmate,flyway,goose,migrate"
# The usual deploy: DEPLOY_NEW new files on a database with DEPLOY_BASE applied.
DEPLOY_BASE = 300
DEPLOY_NEW = 3
DEPLOY_ROUNDS = {"quick": 2, "full": 7}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="CI smoke run: N=10,100, 2 rounds")
    p.add_argument("--sizes", help="comma-separated N values (overrides the mode's)")
    p.add_argument("--rounds", type=int, help="rounds per size (overrides the mode's)")
    p.add_argument(
        "--tools",
        default=DEFAULT_TOOLS,
        help=f"comma-separated tool keys (default {DEFAULT_TOOLS}; also: flyway-group)",
    )
    p.add_argument(
        "--deploy-rounds",
        type=int,
        help=f"rounds of the usual deploy ({DEPLOY_NEW} new on {DEPLOY_BASE} applied); 0 skips it "
        f"(default {DEPLOY_ROUNDS['full']}, {DEPLOY_ROUNDS['quick']} in quick mode)",
    )
    p.add_argument("--name", help="result name (default: timestamp, prefixed quick- in quick mode)")
    p.add_argument("--out", type=Path, help="results JSON path")
    p.add_argument(
        "--docs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="update docs/benchmarks.md and .png (default: on for full, off for quick)",
    )
    p.add_argument("--max-minutes", type=float, help="deadline for the whole run")
    p.add_argument(
        "--command-timeout", type=float, default=900.0, help="seconds one command may take (default 900)"
    )
    p.add_argument(
        "--venv-bin",
        type=Path,
        default=ROOT / ".venv" / "bin",
        help="where db-migrate, yoyo and dbmate are installed",
    )
    p.add_argument(
        "--pg-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra server setting for every tool, e.g. max_locks_per_transaction=1024",
    )
    p.add_argument(
        "--report-only",
        type=Path,
        metavar="RESULTS_JSON",
        help="measure nothing: rebuild docs/benchmarks.md and .png from a stored results file",
    )
    p.add_argument(
        "--no-fetch",
        action="store_true",
        help="do not run bench/fetch_flyway.sh (Flyway jars) or bench/peers/build (goose, migrate)",
    )
    return p.parse_args(argv)


def fetch_flyway(log: list[str]) -> None:
    if list(FLYWAY_LIB.glob("flyway-commandline-*.jar")):
        return
    print("fetching Flyway jars (bench/fetch_flyway.sh)", file=sys.stderr, flush=True)
    try:
        subprocess.run(
            ["bash", str(BENCH / "fetch_flyway.sh")], check=True, timeout=900, stdout=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.append(f"fetch_flyway.sh failed: {exc}")


def peers_bin(build: bool, log: list[str]) -> Path | None:
    """goose's and migrate's bin dir: built (a no-op when cached) or, with build=False, the dir
    a previous build left. None when there is none; the tools are then reported unavailable."""
    argv = ["bash", str(PEERS_BUILD)] + ([] if build else ["--print"])
    if build:
        print("building goose and golang-migrate if needed (bench/peers/build)", file=sys.stderr, flush=True)
    try:
        proc = subprocess.run(argv, check=True, timeout=900, stdout=subprocess.PIPE, text=True)
    except (OSError, subprocess.SubprocessError) as exc:
        log.append(f"bench/peers/build failed: {exc}")
        return None
    return Path(proc.stdout.strip().splitlines()[-1])


def select_tools(keys: str, venv_bin: Path, fetch: bool, log: list[str]) -> list[Tool]:
    wanted = [k.strip() for k in keys.split(",") if k.strip()]
    need_peers = bool({Goose.key, GolangMigrate.key} & set(wanted))
    peers = peers_bin(fetch, log) if need_peers else None
    known = {t.key: t for t in all_tools(venv_bin, FLYWAY_LIB, peers)}
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise SystemExit(f"unknown tool(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[k] for k in wanted]


def git_commit() -> str:
    """The commit measured (db-migrate is installed editable from this tree)."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "?"
    return proc.stdout.strip() or "?"


def machine() -> dict[str, object]:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
    }


def render(meta: dict[str, object], samples: list[Sample], labels: dict[str, str], write_docs: bool) -> None:
    summary = report.summarize(samples)
    section = report.markdown(summary, labels, meta, "benchmarks.png")
    print(section)
    if write_docs:
        report.plot(summary, labels, ROOT / "docs" / "benchmarks.png")
        report.update_doc(ROOT / "docs" / "benchmarks.md", section)
        print("updated docs/benchmarks.md and docs/benchmarks.png", file=sys.stderr)


def report_only(path: Path) -> int:
    meta, samples = report.load_json(path)
    tools = meta.get("tools")
    labels = {k: str(v["label"]) for k, v in tools.items()} if isinstance(tools, dict) else {}
    render(meta, samples, labels, write_docs=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report_only:
        return report_only(args.report_only)
    quick: bool = args.quick
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (QUICK_SIZES if quick else FULL_SIZES)
    rounds = {n: args.rounds or (2 if quick else FULL_ROUNDS.get(n, 3)) for n in sizes}
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = args.name or (f"quick-{stamp}" if quick else stamp)
    out: Path = args.out or (CACHE / "results" if quick else BENCH / "results") / f"{name}.json"
    write_docs = (not quick) if args.docs is None else bool(args.docs)
    max_minutes = args.max_minutes or (20.0 if quick else 150.0)
    venv_bin: Path = args.venv_bin
    # A wheel install compiles the package's bytecode; the editable checkout under test does
    # not when PYTHONDONTWRITEBYTECODE is set, and would pay ~25 ms of compiling per process.
    compileall.compile_dir(str(ROOT / "operator" / "db_migrate"), quiet=1)

    notes: list[str] = []
    tools = select_tools(args.tools, venv_bin, not args.no_fetch, notes)
    if any(isinstance(t, Flyway) for t in tools) and not args.no_fetch:
        fetch_flyway(notes)
    runnable: list[Tool] = []
    tool_meta: dict[str, dict[str, object]] = {}
    for tool in tools:
        reason = tool.unavailable_reason()
        tool_meta[tool.key] = {
            "label": tool.label,
            "available": reason is None,
            "reason": reason,
            "version": tool.version() if not reason else "",
        }
        if reason is None:
            runnable.append(tool)
        else:
            notes.append(f"{tool.key} skipped: {reason}")
            print(f"skipping {tool.key}: {reason}", file=sys.stderr)

    sets: dict[int, MigrationSet] = {n: ensure_set(CACHE, n, PSQL) for n in sizes}
    cfg = RunConfig(sizes, rounds, args.command_timeout, time.monotonic() + max_minutes * 60)
    deploy_rounds: int = (
        DEPLOY_ROUNDS["quick" if quick else "full"] if args.deploy_rounds is None else args.deploy_rounds
    )
    deploy = DeployConfig(
        ensure_set(CACHE, DEPLOY_BASE, PSQL), ensure_set(CACHE, DEPLOY_BASE + DEPLOY_NEW, PSQL), deploy_rounds
    )
    meta: dict[str, object] = {
        "name": name,
        "mode": "quick" if quick else "full",
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "sizes": sizes,
        "rounds": rounds,
        "deploy": {"base": DEPLOY_BASE, "new": DEPLOY_NEW, "rounds": deploy_rounds},
        "machine": machine(),
        "tools": tool_meta,
        "results_file": str(out.relative_to(ROOT)) if out.is_relative_to(ROOT) else str(out),
    }
    started = time.monotonic()
    settings = dict(s.split("=", 1) for s in args.pg_setting)
    with PgServer(CACHE / "pg", settings) as server:
        meta["server"] = server.describe()
        samples, run_notes = run_rounds(server, runnable, sets, cfg, venv_bin)
        notes.extend(run_notes)
        if deploy_rounds > 0:
            deploy_samples, run_notes = run_deploy(server, runnable, deploy, cfg, venv_bin)
            samples.extend(deploy_samples)
            notes.extend(run_notes)
    meta["notes"] = notes
    meta["wall_seconds"] = round(time.monotonic() - started, 1)
    machine_meta = meta["machine"]
    assert isinstance(machine_meta, dict)
    machine_meta["loadavg_end"] = os.getloadavg()

    report.write_json(out, meta, samples)
    print(f"results: {out}", file=sys.stderr)
    render(meta, samples, {t.key: t.label for t in tools}, write_docs)
    failed = [s for s in samples if s.error is not None]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
