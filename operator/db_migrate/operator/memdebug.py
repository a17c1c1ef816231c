"""``DB_MIGRATE_TRACEMALLOC=<file>``: where the operator's Python memory is held, on demand.

A debugging aid for the memory figures (bench/operator_bench.py --scale): tracemalloc starts
with the process and every SIGUSR1 writes the top allocations, grouped by line and by file,
to ``<file>`` (replaced each time). Off by default: tracing costs memory and CPU itself.
"""

from __future__ import annotations

import os
import signal
import tracemalloc
from pathlib import Path
from types import FrameType

ENV = "DB_MIGRATE_TRACEMALLOC"


def _dump(path: Path) -> None:
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)])
    current, peak = tracemalloc.get_traced_memory()
    lines = [f"traced {current / 2**20:.1f} MiB (peak {peak / 2**20:.1f} MiB)", "", "by file:"]
    for stat in snapshot.statistics("filename")[:40]:
        lines.append(f"{stat.size / 2**20:8.2f} MiB {stat.count:8d} {stat.traceback[0].filename}")
    lines += ["", "by line:"]
    for stat in snapshot.statistics("lineno")[:60]:
        frame = stat.traceback[0]
        lines.append(f"{stat.size / 2**20:8.2f} MiB {stat.count:8d} {frame.filename}:{frame.lineno}")
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)


def install() -> None:
    """Start tracing if the environment asks for it (called before kopf starts)."""
    target = os.environ.get(ENV)
    if not target:
        return
    tracemalloc.start()

    def on_signal(_signo: int, _frame: FrameType | None) -> None:
        _dump(Path(target))

    signal.signal(signal.SIGUSR1, on_signal)
