"""Teardowns of what runs on top of a control plane, registered by those modules themselves.

Whatever stops the API server must stop what depends on it first (a local node's kubelet and
containers). The control plane imports none of its dependents: a dependent registers its
teardown when it is imported (``testkit.nodeprocs`` does), and every entry point that can stop
a control plane imports it (``testkit.cluster``, the pytest fixtures, the demo).
"""

from __future__ import annotations

from collections.abc import Callable

from testkit.controlplane.paths import Layout

_TEARDOWNS: dict[str, Callable[[Layout], object]] = {}


def on_teardown(name: str, teardown: Callable[[Layout], object]) -> None:
    """Run ``teardown(layout)`` (with the cluster lock held) before the servers stop."""
    _TEARDOWNS[name] = teardown


def run_teardowns(lay: Layout) -> None:
    for teardown in list(_TEARDOWNS.values()):
        teardown(lay)
