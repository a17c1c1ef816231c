"""Timed rounds: every tool gets a fresh database per round, tools alternate within a size.

Per round and tool: CREATE DATABASE, time `apply` (all N to the empty database), check the
database really holds N tables and N indexes, time `noop` (re-run with all N applied), time
`status`, DROP DATABASE. The tool order is reversed on every other round (A B C, C B A, ...),
so slow drift of the shared machine falls on every tool alike.

The usual deploy (a few new files on many applied) is in deploy.py.

Everything is bounded: each command has a timeout, the whole run has a deadline, and a tool
that fails or times out at one size is not run again at that size or any larger one.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from .migsets import MigrationSet
from .pgserver import PgServer
from .tools import OPS, Invocation, Op, SampleOp, Tool


@dataclass(frozen=True)
class Sample:
    tool: str
    n: int
    round: int
    op: SampleOp
    seconds: float | None
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class RunConfig:
    sizes: list[int]
    rounds: dict[int, int]
    command_timeout: float
    deadline: float  # time.monotonic() value after which no new measurement starts


class CommandFailed(Exception):
    pass


def tool_env(venv_bin: Path) -> dict[str, str]:
    # Drop inherited libpq settings so every tool talks to the bench server and nothing else.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    return env


def timed(inv: Invocation, base_env: dict[str, str], timeout: float) -> tuple[float, str]:
    """Wall time of one whole command and its combined output; raises CommandFailed."""
    env = {**base_env, **inv.env}
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as out:
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                inv.argv,
                env=env,
                cwd=inv.cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise CommandFailed(f"timed out after {timeout:.0f} s") from exc
        elapsed = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    if proc.returncode != 0:
        raise CommandFailed(f"exit {proc.returncode}: {text[-1500:]}")
    return elapsed, text


def verify_applied(server: PgServer, dbname: str, n: int) -> str | None:
    """None when the database holds exactly the N bench tables and N name indexes."""
    with server.connect(dbname) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM pg_tables WHERE tablename ~ '^bench_t[0-9]+$'),"
            " (SELECT count(*) FROM pg_indexes WHERE indexname ~ '^bench_t[0-9]+_name_idx$')"
        ).fetchone()
        last = conn.execute(f"SELECT count(*) FROM bench_t{n:05d}").fetchone() if row else None
    if row is None or (row[0], row[1]) != (n, n):
        return f"expected {n} tables and {n} indexes, found {row}"
    if last is None or last[0] != 3:
        return f"expected 3 rows in the last table, found {last}"
    return None


def run_checked(
    tool: Tool,
    op: Op,
    ms: MigrationSet,
    expect: int,
    server: PgServer,
    dbname: str,
    base_env: dict[str, str],
    timeout: float,
    tables: int,
) -> float:
    """One command of a tool, its output and the database checked; raises CommandFailed."""
    inv = tool.invocation(op, ms, server.endpoint(dbname))
    if inv is None:
        raise CommandFailed(f"{tool.key} has no {op} command")
    seconds, output = timed(inv, base_env, timeout)
    problem = tool.check_output(op, expect, output)
    if problem is None and op == "apply":
        problem = verify_applied(server, dbname, tables)
    if problem is not None:
        raise CommandFailed(problem)
    return seconds


def measure(
    run: Callable[[], float],
    sample: Sample,
    what: str,
    line: str,
    samples: list[Sample],
    notes: list[str],
    log: Log,
) -> bool:
    """Time one step: its sample (``sample`` with the seconds) or its failure (a sample without
    seconds, a note ``what: error``); False when it failed."""
    try:
        seconds = run()
    except CommandFailed as exc:
        samples.append(dataclasses.replace(sample, error=str(exc)))
        note = f"{what}: {brief(str(exc))}"
        notes.append(note)
        log(f"  FAILED {note}")
        return False
    samples.append(dataclasses.replace(sample, seconds=seconds))
    log(f"  {line} {seconds:8.3f} s")
    return True


def brief(message: str) -> str:
    """One line for notes: the tool's error line if it printed one, else its last line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    chosen = errors[0] if errors else (lines[-1] if lines else "")
    return chosen[:300]


Log = Callable[[str], None]


def stderr_log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_rounds(
    server: PgServer,
    tools: list[Tool],
    sets: dict[int, MigrationSet],
    cfg: RunConfig,
    venv_bin: Path,
    log: Log = stderr_log,
) -> tuple[list[Sample], list[str]]:
    """All samples, plus notes on what was cut short (deadline, failures)."""
    base_env = tool_env(venv_bin)
    samples: list[Sample] = []
    notes: list[str] = []
    dropped: set[str] = set()  # tools that failed at a smaller size
    for n in cfg.sizes:
        ms = sets[n]
        failed_here: set[str] = set()
        for rnd in range(cfg.rounds[n]):
            order = tools if rnd % 2 == 0 else list(reversed(tools))
            for tool in order:
                if tool.key in dropped or tool.key in failed_here:
                    continue
                if time.monotonic() > cfg.deadline:
                    notes.append(f"deadline reached at N={n}, round {rnd + 1}: rest skipped")
                    return samples, notes
                dbname = f"bench_{tool.key.replace('-', '_')}_{n}_{rnd}"
                endpoint = server.create_database(dbname)
                try:
                    for op in OPS:
                        if tool.invocation(op, ms, endpoint) is None:
                            continue
                        if not measure(
                            functools.partial(run_checked, tool, op, ms, n, server, dbname,
                                              base_env, cfg.command_timeout, n),
                            Sample(tool.key, n, rnd, op, None),
                            f"{tool.key} {op} N={n} round {rnd + 1}",
                            f"N={n:<5} round {rnd + 1} {tool.key:<11} {op:<6}",
                            samples, notes, log,
                        ):
                            failed_here.add(tool.key)
                            break
                finally:
                    server.drop_database(dbname)
        dropped |= failed_here
    return samples, notes
