"""Server processes the kit starts: spawned in their own session, recognised by their exact argv.

Recorded state keeps each process as its PID and the argv it was started with
(:data:`Recorded`); only a process that still runs exactly that argv is ours to stop.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

STOP_TIMEOUT = 10.0

# A recorded server process: its PID and the exact argv it was started with.
Recorded = tuple[int, list[str]]

# Popen handles of processes started by this Python process, so `down` can reap them.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def spawn(argv: list[str], log: Path, *, env: dict[str, str] | None = None) -> int:
    """Start ``argv`` with stdout and stderr appended to ``log``; return its PID.

    ``env`` adds to (or overrides) this process's environment.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            argv,
            env={**os.environ, **env} if env else None,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            # Own session: Ctrl-C in the terminal or pytest does not reach the servers;
            # they stop only through `down`.
            start_new_session=True,
        )
    _CHILDREN[proc.pid] = proc
    return proc.pid


def runs(pid: int, argv: Sequence[str]) -> bool:
    """Whether ``pid`` is alive and runs exactly ``argv``.

    The name alone proves nothing: PIDs are reused (this machine wraps its 32768 PIDs every
    few minutes) and other clusters (another DB_MIGRATE_DEV_DIR) run the same binaries. The
    full command line holds this cluster's ports and paths, so it identifies our process.
    """
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return False
        # No procfs (macOS): ps shows the command line joined by spaces.
        result = subprocess.run(
            ["ps", "-p", str(pid), "-o", "command="], capture_output=True, text=True, check=False
        )
        return result.stdout.strip() == " ".join(argv)
    except OSError:
        return False
    # A zombie has an empty command line, so it never matches.
    return raw.rstrip(b"\0").split(b"\0") == [os.fsencode(arg) for arg in argv]


def is_ours(pid: int, argv: Sequence[str]) -> bool:
    """Whether the recorded process ``pid`` (started as ``argv``) is still running."""
    proc = _CHILDREN.get(pid)
    if proc is not None:
        # Started by this very process: poll() is authoritative (and reaps it). Reading
        # /proc/<pid>/cmdline right after the spawn can race with execve and come back empty.
        return proc.poll() is None
    return runs(pid, argv)


def stop(pid: int, argv: Sequence[str]) -> None:
    """SIGTERM, then SIGKILL after :data:`STOP_TIMEOUT`; a process that is not ours is left alone."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not is_ours(pid, argv):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and is_ours(pid, argv):
            time.sleep(0.05)


def pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recorded(state: dict[str, Any]) -> dict[str, Recorded]:
    """The processes recorded under ``state["processes"]``, by name."""
    found: dict[str, Recorded] = {}
    for binary, entry in (state.get("processes") or {}).items():
        if isinstance(entry, dict):
            pid, argv = entry.get("pid"), entry.get("argv")
            if isinstance(pid, int) and isinstance(argv, list):
                found[str(binary)] = (pid, [str(arg) for arg in argv])
    return found


def alive(state: dict[str, Any]) -> dict[str, Recorded]:
    """The recorded processes that still run."""
    return {binary: rec for binary, rec in recorded(state).items() if is_ours(*rec)}
