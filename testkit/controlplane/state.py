"""The control plane's recorded state (``state.json``) and the lock that serialises up/down."""

from __future__ import annotations

import contextlib
import fcntl
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from testkit.controlplane.paths import Layout


def read_json(path: Path) -> dict[str, Any] | None:
    """A recorded state file (the control plane's or the node's); None when absent or unreadable."""
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_json(path: Path, state: dict[str, Any]) -> None:
    """Replace a state file atomically: a reader sees the old or the new one, never half."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2) + "\n")
    tmp.replace(path)


def read_state(lay: Layout) -> dict[str, Any] | None:
    return read_json(lay.state)


def write_state(lay: Layout, state: dict[str, Any]) -> None:
    write_json(lay.state, state)


# Locks this process holds, so a nested locked() (node.up calling up()) does not wait
# on itself: flock locks belong to the open file, and a second open would deadlock.
_HELD: dict[Path, int] = {}


@contextlib.contextmanager
def locked(lay: Layout) -> Iterator[None]:
    """Serialise up/down across processes (two pytest sessions, a script and a test run)."""
    if _HELD.get(lay.lock):
        _HELD[lay.lock] += 1
        try:
            yield
        finally:
            _HELD[lay.lock] -= 1
        return
    lay.dev.mkdir(parents=True, exist_ok=True)
    with lay.lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _HELD[lay.lock] = 1
        try:
            yield
        finally:
            _HELD.pop(lay.lock, None)
            fcntl.flock(handle, fcntl.LOCK_UN)
