"""The runs' thread pool, with a front of the queue for checks of resources taken over.

kopf and the scheduler share one pool of ``DB_MIGRATE_WORKERS`` threads (so a replica never
holds more PostgreSQL connections than that). kopf queues a handler call for every event it
processes; during a mass rollout that is hundreds of this replica's own resources. A replica
that takes over a lost peer's resources checks them through the same pool, and in a FIFO queue
those checks waited behind the whole backlog: measured with 1,000 resources over 3 replicas
(bench/fleet.py rollout), the killed replica's share was owned by the survivors 8.8 s after the
kill, but the first of it was reconciled only 32 s after the kill, once their own backlog was
done. :meth:`PriorityExecutor.submit_first` puts a call at the front instead; the scheduler
bounds how many it submits at once, so kopf's calls still get the pool in between.
"""

from __future__ import annotations

import collections
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class _FrontQueue:
    """What ``ThreadPoolExecutor``'s workers read (``put``, ``get``, ``get_nowait``), with a
    front: a ``put`` from a thread inside :meth:`PriorityExecutor.submit_first` goes first."""

    def __init__(self) -> None:
        self._items: collections.deque[Any] = collections.deque()
        self._ready = threading.Condition(threading.Lock())
        self.front = threading.local()

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        with self._ready:
            if getattr(self.front, "on", False) and item is not None:
                self._items.appendleft(item)
            else:
                self._items.append(item)
            self._ready.notify()

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        with self._ready:
            if not block and not self._items:
                raise queue.Empty  # what shutdown(cancel_futures=True) drains until
            while not self._items:
                self._ready.wait()
            return self._items.popleft()

    def get_nowait(self) -> Any:
        return self.get(block=False)


class PriorityExecutor(ThreadPoolExecutor):
    """A ``ThreadPoolExecutor`` whose :meth:`submit_first` jumps the queue."""

    def __init__(self, max_workers: int, thread_name_prefix: str = "") -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix=thread_name_prefix)
        self._front_queue = _FrontQueue()
        # The workers start on the first submit and read this attribute then.
        self._work_queue = self._front_queue  # type: ignore[assignment]

    def submit_first(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        self._front_queue.front.on = True
        try:
            return self.submit(fn, *args, **kwargs)
        finally:
            self._front_queue.front.on = False
