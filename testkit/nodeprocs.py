"""The local node's recorded processes: where its state lives, who is alive, how all stop.

Split from :mod:`testkit.node` (which starts them); :func:`teardown_locked` is
what ``scripts/cluster down`` and every other stop of the control plane run first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testkit import netns
from testkit.controlplane import ControlPlaneError, Layout, hooks, processes
from testkit.controlplane.state import read_json, write_json

# The order of a clean stop: who uses the API first, then what runs Pods.
CONTROLLERS = ("kube-scheduler", "kube-controller-manager")
NODE_AGENTS = ("kube-proxy", "kubelet", "coredns")
CONTAINERD = "containerd"
REGISTRY = "registry"
FORWARDER = "forwarder"

# --------------------------------------------------------------------------- paths


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def state(self) -> Path:
        return self.root / "state.json"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def kubeconfigs(self) -> Path:
        return self.root / "kubeconfigs"

    @property
    def containerd(self) -> Path:
        return self.root / "containerd"

    @property
    def socket(self) -> Path:
        return self.root / "containerd.sock"

    @property
    def kubelet(self) -> Path:
        return self.root / "kubelet"

    @property
    def cni(self) -> Path:
        return self.root / "cni"

    @property
    def images(self) -> Path:
        return self.root / "images"

    @property
    def registry(self) -> Path:
        """The local registry's storage (every image pushed to the node)."""
        return self.root / "registry"

    @property
    def registry_hosts(self) -> Path:
        """containerd's ``config_path``: one ``hosts.toml`` per registry name it resolves."""
        return self.config / "certs.d"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"


def paths(lay: Layout) -> Paths:
    return Paths(lay.node)


# --------------------------------------------------------------------------- state


def read_state(p: Paths) -> dict[str, Any] | None:
    return read_json(p.state)


def write_state(p: Paths, state: dict[str, Any]) -> None:
    write_json(p.state, state)


def recorded(state: dict[str, Any]) -> dict[str, tuple[int, list[str]]]:
    return processes.recorded(state)


def holder(state: dict[str, Any]) -> tuple[int, str | None]:
    """The holder's PID (0 when none) and its network namespace id."""
    entry = state.get("holder") or {}
    return int(entry.get("pid") or 0), entry.get("netns_id")


def alive(state: dict[str, Any]) -> bool:
    pid, ns = holder(state)
    if not pid or not netns.holder_alive(pid, ns):
        return False
    expected = {*CONTROLLERS, *NODE_AGENTS, CONTAINERD, REGISTRY, FORWARDER}
    procs = recorded(state)
    return set(procs) == expected and all(processes.is_ours(*rec) for rec in procs.values())


# --------------------------------------------------------------------------- down


def _stop_together(recorded: Sequence[tuple[int, list[str]]], timeout: float = 10.0) -> None:
    """SIGTERM to all at once, SIGKILL to whoever is left; zombies count as stopped."""
    live = [rec for rec in recorded if processes.is_ours(*rec)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid, _argv in live:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + timeout
        while live and time.monotonic() < deadline:
            live = [rec for rec in live if processes.is_ours(*rec)]
            time.sleep(0.05)


def _shims(socket_path: Path) -> list[int]:
    """containerd shims serving our containerd: their argv names its socket exactly."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            args = entry.joinpath("cmdline").read_bytes().split(b"\0")
            for i, arg in enumerate(args[:-1]):
                if arg == b"-address" and args[i + 1] == os.fsencode(socket_path):
                    found.append(int(entry.name))
    return found


def _kill_and_wait(pids: Sequence[int], still: Callable[[], bool], timeout: float = 10.0) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while still() and time.monotonic() < deadline:
        time.sleep(0.05)


def stop_everything(lay: Layout, state: dict[str, Any] | None, *, keep_logs: bool = False) -> None:
    """Stop every recorded process and leftover (see docs/node.md, Teardown) and remove the state."""
    p = paths(lay)
    ident = netns.identity(lay.dev)
    procs = recorded(state or {})
    _stop_together([procs[n] for n in CONTROLLERS if n in procs])
    _stop_together([procs[n] for n in NODE_AGENTS if n in procs])
    # What kubelet left running: every container is in our cgroup tree.
    _kill_and_wait(sorted(netns.cgroup_pids(ident.cgroup)), lambda: bool(netns.cgroup_pids(ident.cgroup)))
    # containerd and the registry it pulls from; the registry's storage goes with the dev dir.
    _stop_together([procs[n] for n in (CONTAINERD, REGISTRY) if n in procs])
    _kill_and_wait(_shims(p.socket), lambda: bool(_shims(p.socket)))
    holder_pid, ns = holder(state or {})
    if holder_pid:
        netns.stop_holder(holder_pid, ns)
    if FORWARDER in procs:
        _stop_together([procs[FORWARDER]])
    netns.remove_link(ident)
    left = netns.remove_cgroups(ident.cgroup)
    if left:
        raise ControlPlaneError(f"cgroups still busy after stopping the node: {', '.join(map(str, left))}")
    if not keep_logs:
        shutil.rmtree(p.root, ignore_errors=True)
        return
    for child in p.root.iterdir() if p.root.is_dir() else []:
        if child.is_dir() and child != p.logs:
            shutil.rmtree(child, ignore_errors=True)
        elif not child.is_dir():
            child.unlink(missing_ok=True)


def teardown_locked(lay: Layout) -> bool:
    """Stop the node of ``lay`` and remove every trace; the caller holds the cluster lock.

    Called by :func:`testkit.controlplane.lifecycle.teardown` too, so whatever stops the API server stops
    the node first. Returns whether there was a node.
    """
    p = paths(lay)
    ident = netns.identity(lay.dev)
    leftovers = (
        netns.link_exists(ident.veth_host)
        or bool(netns.cgroup_pids(ident.cgroup))
        or any((h / ident.cgroup).exists() for h in netns.cgroup_hierarchies())
    )
    if not p.root.exists() and not leftovers:
        return False
    stop_everything(lay, read_state(p))
    return True


# Whatever stops the control plane of a dev dir stops its node first (controlplane/hooks.py).
hooks.on_teardown("node", teardown_locked)
