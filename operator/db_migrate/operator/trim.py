"""Return freed heap memory to the system after a burst (``DB_MIGRATE_MEMORY_TRIM`` seconds).

A burst -- a thousand resources created at once -- has kopf parse and hold a thousand bodies
while eight workers get through them. Once they are processed Python frees them, but glibc
keeps the freed chunks inside its heap (only the heap's top is given back), so the operator's
RSS stayed at the burst's peak for good. ``malloc_trim(0)`` gives back every whole free page,
wherever it lies. A thread calls it every few seconds; a pass over an idle heap takes well
under a millisecond. Without glibc (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Callable
from typing import cast


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        fn = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_size_t]
    fn.restype = ctypes.c_int
    return cast("Callable[[int], int]", fn)


def start(interval_s: float) -> threading.Event | None:
    """Trim every ``interval_s`` seconds in a daemon thread; 0 (or no glibc) starts nothing."""
    trim = _malloc_trim() if interval_s > 0 else None
    if trim is None:
        return None
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(interval_s):
            trim(0)

    threading.Thread(target=run, name="db-migrate-trim", daemon=True).start()
    return stop
