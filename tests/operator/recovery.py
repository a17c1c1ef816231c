"""Helpers shared by the recovery tests: production backoff, timing, events."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from tests.operator.conftest import Kubectl, cond

#: The Deployment's backoff (5 s doubling to 300 s): recovery must not depend on it being short.
PRODUCTION_BACKOFF = {"DB_MIGRATE_RETRY_BASE": "5", "DB_MIGRATE_RETRY_MAX": "300",
                      "DB_MIGRATE_DRIFT_INTERVAL": "600"}
#: How soon after a fix a resource must be Ready (the issue asks for a reconcile within 2 s).
RECOVERY_S = 3.0


def ready(obj: dict[str, Any]) -> bool:
    return cond(obj, "Ready").get("status") == "True"


def retrying(reason: str, attempt: int) -> Callable[[dict[str, Any]], bool]:
    """Reconciling for ``reason`` at ``attempt`` or later: the next retry is >= 5*2^attempt s away."""
    def check(obj: dict[str, Any]) -> bool:
        c = cond(obj, "Reconciling")
        if c.get("status") != "True" or c.get("reason") != reason:
            return False
        message = str(c.get("message", ""))
        return any(f"(attempt {n})" in message for n in range(attempt, attempt + 20))
    return check


def time_to(kube: Kubectl, name: str, predicate: Callable[[dict[str, Any]], bool],
            timeout: float, what: str) -> float:
    """Seconds until ``predicate`` holds, polling every 0.1 s; fails after ``timeout``."""
    started = time.monotonic()
    deadline = started + timeout
    while True:
        obj = kube.get(name)
        if predicate(obj):
            return time.monotonic() - started
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} took more than {timeout} s: "
                                 f"{json.dumps(obj.get('status'), indent=1)}")
        time.sleep(0.1)


def events(kube: Kubectl, name: str) -> list[dict[str, Any]]:
    raw = json.loads(kube("get", "events", "--field-selector", f"involvedObject.name={name}",
                          "-o", "json"))
    return list(raw.get("items") or [])


def warnings(kube: Kubectl, name: str, reason: str) -> int:
    """How many Warning events with ``reason`` were posted (counting aggregated repeats)."""
    return sum(int(e.get("count") or 1) for e in events(kube, name)
               if e.get("type") == "Warning" and e.get("reason") == reason)
