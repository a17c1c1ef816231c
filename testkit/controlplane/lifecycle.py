"""up, down, status, current, release, restart_apiserver: the control plane's public lifecycle.

Every entry point takes the cluster lock (:func:`state.locked`), so a script, the demo and
several pytest sessions in one checkout can share one control plane.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from testkit.controlplane import hooks, processes, readiness, servers
from testkit.controlplane.binaries import cached_kubectl, ensure_binaries
from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.kubeconfig import admin_kubeconfig, current_cluster, write_private
from testkit.controlplane.paths import Layout, layout
from testkit.controlplane.pki import tls_context
from testkit.controlplane.plane import KUBECONFIG_ENV, ControlPlane, Status
from testkit.controlplane.servers import APISERVER, ETCD
from testkit.controlplane.state import locked, read_state, write_state

# Who started the cluster: a person keeps it until `down`; test sessions share it and
# the last one to finish stops it.
PERSON_OWNER = "person"
SESSION_OWNER = "session"


def up(
    timeout: float | None = None,
    *,
    session: int | None = None,
    dev: Path | None = None,
    advertise: str | None = None,
) -> ControlPlane:
    """Make sure a control plane is up and ready; idempotent. Returns how to reach it.

    ``session`` (a test run's PID) registers a user of the cluster; see :func:`release`.
    Without it the caller is a person (``scripts/cluster up``), and the cluster then stays
    up until ``scripts/cluster down``, whoever started it. ``dev`` is the dev dir (default:
    ``DB_MIGRATE_DEV_DIR`` or ``.dev``). ``advertise`` is for the local node
    (:mod:`testkit.node`): a running control plane started without it is
    restarted with it.
    """
    external = _external()
    if external is not None:
        if readiness.http_status(f"{external.server}/version", readiness.unverified_tls(), timeout=10.0) == 0:
            raise ControlPlaneError(
                f"the cluster named by {KUBECONFIG_ENV} ({external.server}) does not answer"
            )
        return external
    lay = layout(dev)
    limit = readiness.ready_timeout() if timeout is None else timeout
    owner = SESSION_OWNER if session is not None else PERSON_OWNER
    with locked(lay):
        plane = _up_locked(lay, limit, owner, advertise)
        if session is not None:
            # Registered under the same lock, so no release() can stop it in between.
            lay.sessions.mkdir(parents=True, exist_ok=True)
            (lay.sessions / str(session)).touch()
        return plane


def _up_locked(lay: Layout, limit: float, owner: str, advertise: str | None) -> ControlPlane:
    # Cheap when cached (a hash of tools/controlplane); builds only when the pins changed.
    bin_dir = ensure_binaries()
    state = read_state(lay)
    if state is not None:
        alive = processes.alive(state)
        if (
            set(alive) == {ETCD, APISERVER}
            and lay.kubeconfig.is_file()
            and state.get("bin_dir") == str(bin_dir)
            # A node-ready server serves a plain `up` too, but not the other way round.
            and (advertise is None or state.get("advertise") == advertise)
        ):
            readiness.wait_ready(lay, str(state["server"]), alive, limit)
            if owner == PERSON_OWNER and state.get("owner") != PERSON_OWNER:
                # A person asked for it: it must outlive the test run that started it.
                state["owner"] = PERSON_OWNER
                write_state(lay, state)
            return _local(lay, state, started=False)
        # A half-dead cluster (a crash, a reboot) or one running older binaries:
        # clear it and start afresh.
        teardown(lay, state)
    state = servers.start_with_retries(lay, bin_dir, limit, advertise)
    state["owner"] = owner
    write_state(lay, state)
    write_private(lay.kubeconfig, admin_kubeconfig(lay, str(state["server"])))
    return _local(lay, state, started=True)


def release(session: int, *, stop: bool = True, dev: Path | None = None) -> bool:
    """Unregister test session ``session``; stop the cluster if it is no longer needed.

    Several pytest runs may share one checkout's cluster. It is stopped only when a test
    session started it, ``stop`` is true, and no other registered session is still alive.
    A cluster a person started with ``scripts/cluster up`` is never stopped here.
    Returns whether it was stopped.
    """
    if os.environ.get(KUBECONFIG_ENV):
        return False
    lay = layout(dev)
    with locked(lay):
        (lay.sessions / str(session)).unlink(missing_ok=True)
        others = [
            entry
            for entry in (lay.sessions.iterdir() if lay.sessions.is_dir() else [])
            if entry.name.isdigit() and processes.pid_exists(int(entry.name))
        ]
        state = read_state(lay)
        if not stop or others or state is None or state.get("owner") != SESSION_OWNER:
            return False
        teardown(lay, state)
        return True


def restart_apiserver(downtime_s: float, timeout: float | None = None) -> None:
    """Stop the local kube-apiserver, wait ``downtime_s``, start it again with the same argv and
    return once ``/readyz`` answers: watches break and clients must re-list, as after a
    control-plane upgrade. etcd keeps running, so nothing stored is lost."""
    lay = layout()
    with locked(lay):
        state = read_state(lay)
        recorded = processes.recorded(state or {})
        if state is None or APISERVER not in recorded:
            raise ControlPlaneError("no local kube-apiserver is recorded; start it with scripts/cluster up")
        pid, argv = recorded[APISERVER]
        processes.stop(pid, argv)
        time.sleep(downtime_s)
        state["processes"][APISERVER] = {"pid": processes.spawn(argv, lay.log(APISERVER)), "argv": argv}
        write_state(lay, state)
        readiness.wait_ready(lay, str(state["server"]), processes.recorded(state),
                             timeout or readiness.ready_timeout())


def teardown(lay: Layout, state: dict[str, Any] | None) -> None:
    """Stop the node, then the servers of ``state``, and remove all state; the caller holds the lock."""
    # A local node depends on this server: it goes first, whoever stops the server. It
    # registered its teardown (hooks.py): this package imports none of its dependents.
    hooks.run_teardowns(lay)
    if state is not None:
        servers.stop_all(state)
    servers.wipe(lay)



def down(dev: Path | None = None) -> bool:
    """Stop the processes recorded by ``up`` (and only those) and remove all state.

    A local node in the same dev dir is stopped and removed first. Returns whether there
    was anything to stop or remove.
    """
    if os.environ.get(KUBECONFIG_ENV):
        return False  # an external cluster is not ours to stop
    lay = layout(dev)
    with locked(lay):
        existed = lay.cluster.exists() or lay.kubeconfig.exists() or lay.node.exists()
        teardown(lay, read_state(lay))
    return existed


def status() -> Status:
    external = _external()
    if external is not None:
        reachable = readiness.http_status(f"{external.server}/version", readiness.unverified_tls()) != 0
        return Status(reachable, True, external.kubeconfig, external.server, {}, None)
    lay = layout()
    state = read_state(lay)
    if state is None:
        return Status(False, False, lay.kubeconfig, None, {}, None)
    alive = processes.alive(state)
    ready = (
        set(alive) == {ETCD, APISERVER}
        and lay.kubeconfig.is_file()
        and readiness.http_status(f"{state['server']}/readyz", tls_context(lay.pki)) == 200
    )
    pids = {binary: pid for binary, (pid, _) in alive.items()}
    return Status(ready, False, lay.kubeconfig, str(state["server"]), pids, lay.logs)


def current(dev: Path | None = None) -> ControlPlane:
    """The control plane that is up now, without starting anything."""
    external = _external()
    if external is not None:
        return external
    lay = layout(dev)
    state = read_state(lay)
    if state is None or set(processes.alive(state)) != {ETCD, APISERVER}:
        raise ControlPlaneError("no local control plane is running; start it with scripts/cluster up")
    return _local(lay, state, started=False)


def _external() -> ControlPlane | None:
    named = os.environ.get(KUBECONFIG_ENV)
    if not named:
        return None
    path = Path(named).expanduser().resolve()
    if not path.is_file():
        raise ControlPlaneError(f"{KUBECONFIG_ENV} names {named}, which is not a file")
    cluster, _ = current_cluster(path)
    return ControlPlane(
        kubeconfig=path,
        server=str(cluster.get("server", "")),
        kubectl_path=cached_kubectl(),
        external=True,
    )


def _local(lay: Layout, state: dict[str, Any], started: bool) -> ControlPlane:
    kubectl = Path(state["bin_dir"]) / "kubectl"
    return ControlPlane(
        kubeconfig=lay.kubeconfig,
        server=str(state["server"]),
        kubectl_path=kubectl if kubectl.is_file() else None,
        started=started,
    )
