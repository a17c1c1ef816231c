"""operator/trim.py: the heap a burst freed goes back to the system (glibc's malloc_trim)."""

from __future__ import annotations

import os
import time

import pytest

from db_migrate.operator import trim


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(trim._malloc_trim() is None, reason="not glibc")
def test_memory_freed_inside_the_heap_is_given_back_by_the_trim_thread() -> None:
    # 4,000-byte objects come from malloc's heap (not pymalloc, not mmap); one allocated after
    # them pins the heap's top, so freeing them alone returns nothing to the system.
    burst = [os.urandom(4000) for _ in range(20_000)]
    pin = os.urandom(4000)
    del burst
    before = rss_mib()
    stop = trim.start(0.05)
    assert stop is not None
    try:
        deadline = time.monotonic() + 5
        while before - rss_mib() < 20:
            assert time.monotonic() < deadline, f"RSS {rss_mib():.0f} MiB, was {before:.0f} MiB"
            time.sleep(0.05)
    finally:
        stop.set()
    assert pin


def test_zero_disables_the_trim_thread() -> None:
    assert trim.start(0) is None
