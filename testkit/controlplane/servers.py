"""Starting etcd and kube-apiserver from scratch: their argv, their ports, the retry on a lost port."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path
from typing import Any

from testkit.controlplane import processes, readiness
from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.paths import Layout
from testkit.controlplane.pki import create_pki, tls_context
from testkit.controlplane.state import read_state, write_state
from testkit.ports import free_ports

# Extra kube-apiserver flags, whitespace-separated (e.g. "--v=4" or "--feature-gates=..."),
# appended last so they override the defaults.
APISERVER_ARGS_ENV = "DB_MIGRATE_APISERVER_ARGS"
# Free ports are picked, then bound by the servers a moment later; another process can
# take one in between, so a start that failed on a taken port is retried.
PORT_ATTEMPTS = 3
ETCD = "etcd"
APISERVER = "kube-apiserver"
SERVICE_CIDR = "10.0.0.0/24"


def start_with_retries(lay: Layout, bin_dir: Path, limit: float, advertise: str | None) -> dict[str, Any]:
    """:func:`start` on a wiped state dir, again (up to :data:`PORT_ATTEMPTS`) on a lost port race."""
    attempt = 1
    while True:
        wipe(lay)
        try:
            return start(lay, bin_dir, limit, advertise)
        except BaseException as err:
            # Stop what was started but keep the logs: they explain the failure.
            failed = read_state(lay)
            if failed is not None:
                stop_all(failed)
            lay.state.unlink(missing_ok=True)
            if not (_lost_port_race(lay, err) and attempt < PORT_ATTEMPTS):
                raise
        attempt += 1


def _lost_port_race(lay: Layout, err: BaseException) -> bool:
    """Whether a server died because another process took its port after we picked it."""
    if not isinstance(err, ControlPlaneError):
        return False
    for binary in (ETCD, APISERVER):
        with contextlib.suppress(OSError):
            if "address already in use" in lay.log(binary).read_text(errors="replace"):
                return True
    return False


def stop_all(state: dict[str, Any]) -> None:
    # The API server first, so it never sees its etcd vanish under it.
    recorded = processes.recorded(state)
    for binary in (APISERVER, ETCD):
        if binary in recorded:
            processes.stop(*recorded[binary])


def wipe(lay: Layout) -> None:
    shutil.rmtree(lay.cluster, ignore_errors=True)
    lay.kubeconfig.unlink(missing_ok=True)


def start(lay: Layout, bin_dir: Path, timeout: float, advertise: str | None) -> dict[str, Any]:
    """Start etcd and kube-apiserver from scratch; return the recorded state once ready.

    ``advertise`` (the host side of a local node's veth) switches on what a node needs; see
    :func:`_node_args`.
    """
    create_pki(lay.pki)
    lay.etcd_data.mkdir(parents=True, exist_ok=True)
    lay.etcd_data.chmod(0o700)  # etcd refuses a data dir others can read
    etcd_port, peer_port, api_port = free_ports(3)
    etcd_url = f"http://127.0.0.1:{etcd_port}"
    peer_url = f"http://127.0.0.1:{peer_port}"
    server = f"https://127.0.0.1:{api_port}"
    state: dict[str, Any] = {
        "server": server,
        "etcd": etcd_url,
        "bin_dir": str(bin_dir),
        "advertise": advertise,
        "processes": {},
        "started_at": time.time(),
    }
    write_state(lay, state)

    # Without fsync etcd is fast on any disk; the data is throwaway, so durability is moot.
    etcd_argv = [
        str(bin_dir / ETCD),
        f"--data-dir={lay.etcd_data}",
        f"--listen-client-urls={etcd_url}",
        f"--advertise-client-urls={etcd_url}",
        f"--listen-peer-urls={peer_url}",
        f"--initial-advertise-peer-urls={peer_url}",
        f"--initial-cluster=db-migrate={peer_url}",
        "--name=db-migrate",
        "--unsafe-no-fsync",
        "--log-level=warn",
    ]
    state["processes"][ETCD] = {"pid": processes.spawn(etcd_argv, lay.log(ETCD)), "argv": etcd_argv}
    write_state(lay, state)  # record each PID at once so `down` can always stop it
    # kube-apiserver would retry an absent etcd, but its gRPC client backs off for a
    # second or more, so starting it only once etcd answers is faster (and the log quieter).
    deadline = time.monotonic() + timeout
    readiness.wait_healthy(lay, f"{etcd_url}/health", None, processes.recorded(state), deadline)

    pki = lay.pki
    api_argv = [
        str(bin_dir / APISERVER),
        f"--etcd-servers={etcd_url}",
        "--bind-address=127.0.0.1",
        f"--secure-port={api_port}",
        f"--cert-dir={pki}",
        f"--tls-cert-file={pki / 'apiserver.crt'}",
        f"--tls-private-key-file={pki / 'apiserver.key'}",
        f"--client-ca-file={pki / 'ca.crt'}",
        f"--service-cluster-ip-range={SERVICE_CIDR}",
        f"--service-account-issuer={server}",
        f"--service-account-key-file={pki / 'service-account.pub'}",
        f"--service-account-signing-key-file={pki / 'service-account.key'}",
        "--allow-privileged=true",
        "--profiling=false",
        *(_node_args(pki, advertise) if advertise else _plain_args()),
        *os.environ.get(APISERVER_ARGS_ENV, "").split(),
    ]
    state["processes"][APISERVER] = {"pid": processes.spawn(api_argv, lay.log(APISERVER)), "argv": api_argv}
    write_state(lay, state)
    readiness.wait_healthy(lay, f"{server}/readyz", tls_context(pki), processes.recorded(state), deadline)
    return state


def _plain_args() -> list[str]:
    return [
        "--advertise-address=127.0.0.1",
        "--authorization-mode=RBAC",
        # As envtest does: without a controller-manager no namespace gets a "default"
        # ServiceAccount, and this plugin would then reject every pod.
        "--disable-admission-plugins=ServiceAccount",
        # The "kubernetes" Service cannot have a loopback endpoint (validation refuses
        # it, logging an error every few seconds), and nothing here needs it.
        "--endpoint-reconciler-type=none",
    ]


def _node_args(pki: Path, advertise: str) -> list[str]:
    """What a real node needs from the API server (``scripts/cluster up --node``).

    The server still listens on loopback only; ``advertise`` is the host side of the node's
    veth, where a forwarder passes connections on to it, so the ``kubernetes`` Service gets a
    reachable endpoint for Pods. ServiceAccount admission is on (the controller-manager
    makes the "default" ServiceAccounts), the Node authorizer lets kubelet see its own Pods'
    Secrets only, and the admin certificate (system:masters) authenticates the server to
    kubelet for logs and exec.
    """
    return [
        f"--advertise-address={advertise}",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NodeRestriction",
        "--endpoint-reconciler-type=lease",
        f"--kubelet-client-certificate={pki / 'admin.crt'}",
        f"--kubelet-client-key={pki / 'admin.key'}",
        "--kubelet-preferred-address-types=InternalIP",
    ]


