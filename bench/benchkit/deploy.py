"""The usual deploy of issue 11: a few new files on a database with many applied.

Per tool (those that keep history), the tool itself applies the base set once into a template
database (untimed, checked). Each round copies that database and times two whole processes:
`deploy-noop`, the tool's apply command over the base set (nothing to do), then `deploy`, the
same command over the full set (only the new files to apply). Tools alternate as in runner.
"""

from __future__ import annotations

import functools
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .migsets import MigrationSet
from .pgserver import PgServer
from .runner import (
    CommandFailed,
    Log,
    RunConfig,
    Sample,
    brief,
    measure,
    run_checked,
    stderr_log,
    tool_env,
)
from .tools import Op, SampleOp, Tool


@dataclass(frozen=True)
class DeployConfig:
    """The usual deploy: `base` files applied (untimed), then `full` = base + a few new."""

    base: MigrationSet
    full: MigrationSet
    rounds: int


def _copy_database(server: PgServer, template: str, dbname: str) -> None:
    with server.connect() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}" TEMPLATE "{template}"')
        # As in PgServer.create_database: no pending checkpoint or writeback inside a
        # measurement.
        conn.execute("CHECKPOINT")
    os.sync()


def run_deploy(
    server: PgServer,
    tools: list[Tool],
    dc: DeployConfig,
    cfg: RunConfig,
    venv_bin: Path,
    log: Log = stderr_log,
) -> tuple[list[Sample], list[str]]:
    """Samples of every tool that keeps history, stored with n = the base size, and notes."""
    base_env = tool_env(venv_bin)
    nb, nf = dc.base.n, dc.full.n
    samples: list[Sample] = []
    notes: list[str] = []
    ready: list[Tool] = []
    for tool in (t for t in tools if t.keeps_history):
        template = f"deploy_{tool.key.replace('-', '_')}_base"
        server.create_database(template)
        try:
            seconds = run_checked(
                tool, "apply", dc.base, nb, server, template, base_env, cfg.command_timeout, nb
            )
        except CommandFailed as exc:
            note = f"{tool.key} deploy setup ({nb} files): {brief(str(exc))}"
            notes.append(note)
            log(f"  FAILED {note}")
            server.drop_database(template)
            continue
        log(f"  deploy setup {tool.key:<11} {nb} applied in {seconds:.3f} s (untimed)")
        ready.append(tool)
    failed: set[str] = set()
    try:
        for rnd in range(dc.rounds):
            order = ready if rnd % 2 == 0 else list(reversed(ready))
            for tool in order:
                if tool.key in failed:
                    continue
                if time.monotonic() > cfg.deadline:
                    notes.append(f"deadline reached in the usual deploy, round {rnd + 1}: rest skipped")
                    return samples, notes
                key = tool.key.replace("-", "_")
                dbname = f"deploy_{key}_{rnd}"
                _copy_database(server, f"deploy_{key}_base", dbname)
                steps: tuple[tuple[SampleOp, Op, MigrationSet, int, int], ...] = (
                    ("deploy-noop", "noop", dc.base, nb, nb),
                    ("deploy", "apply", dc.full, nf - nb, nf),
                )
                try:
                    for label, op, ms, expect, tables in steps:
                        if not measure(
                            functools.partial(run_checked, tool, op, ms, expect, server, dbname,
                                              base_env, cfg.command_timeout, tables),
                            Sample(tool.key, nb, rnd, label, None),
                            f"{tool.key} {label} ({nb} applied) round {rnd + 1}",
                            f"deploy round {rnd + 1} {tool.key:<11} {label:<11}",
                            samples, notes, log,
                        ):
                            failed.add(tool.key)
                            break
                finally:
                    server.drop_database(dbname)
    finally:
        for tool in ready:
            server.drop_database(f"deploy_{tool.key.replace('-', '_')}_base")
    return samples, notes
