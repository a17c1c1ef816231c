"""Run the operator as a real process under the ServiceAccount and RBAC that ``deploy/`` grants.

Used by the operator integration tests and by ``make demo``: install ``deploy/`` (namespace,
CRD, ServiceAccount, ClusterRole and binding), mint a token for the ServiceAccount through
TokenRequest, and start ``db-migrate-operator`` with a kubeconfig carrying only that token.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from testkit.apiwrites import WriteCounter, ssl_context, through
from testkit.controlplane import ControlPlane, repo_root, serviceaccount_kubeconfig
from testkit.controlplane.kubeconfig import current_cluster
from testkit.ports import free_ports

NAMESPACE = "db-migrate-system"
SERVICE_ACCOUNT = "db-migrate-operator"
CRD = "databasemigrations.migrations.es1.dev"


def install(plane: ControlPlane) -> None:
    """``kubectl apply -k deploy/`` and wait until the CRD is served."""
    plane.kubectl("apply", "--server-side", "--force-conflicts", "-k", str(repo_root() / "deploy"))
    plane.kubectl("wait", "--for=condition=Established", f"crd/{CRD}", "--timeout=60s")


@dataclass
class OperatorProcess:
    process: subprocess.Popen[bytes]
    log: Path
    metrics_port: int
    liveness_port: int

    def logs(self) -> str:
        return self.log.read_text(errors="replace")

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as r:
            return str(r.read().decode())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as resp:
            return bool(resp.status == 200)
    except OSError:
        return False


def start(
    plane: ControlPlane,
    workdir: Path,
    *,
    name: str = "operator",
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
    kopf_run: list[str] | None = None,
    via: WriteCounter | None = None,
) -> OperatorProcess:
    """Start the operator; return once its liveness endpoint answers.

    ``kopf_run``: start it as ``kopf run <kopf_run...> -m db_migrate.operator`` instead of the
    console script's module (kopf's own options then come from those arguments).
    ``via``: reach the API server through that counting proxy (testkit/apiwrites.py).

    The metrics and liveness ports are free when chosen, not when the operator binds them: a
    process starting at the same moment (another test session on the machine) can take one
    first. The operator then cannot start, and is started again on new ports."""
    for attempt in range(1, PORT_ATTEMPTS + 1):
        try:
            return _start_once(plane, workdir, name=name, env=env, timeout=timeout,
                               kopf_run=kopf_run, via=via)
        except PortTaken:
            if attempt == PORT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


#: Starts tried when a chosen port was taken before the operator bound it.
PORT_ATTEMPTS = 3


class PortTaken(RuntimeError):
    pass


def _start_once(plane: ControlPlane, workdir: Path, *, name: str, env: dict[str, str] | None,
                timeout: float, kopf_run: list[str] | None, via: WriteCounter | None) -> OperatorProcess:
    workdir.mkdir(parents=True, exist_ok=True)
    kubeconfig = serviceaccount_kubeconfig(
        NAMESPACE, SERVICE_ACCOUNT, control_plane=plane, path=workdir / f"{name}.kubeconfig"
    )
    if via is not None:
        through(kubeconfig, via)
    metrics_port, liveness_port = free_ports(2)
    root = repo_root()
    full_env = {
        **os.environ,
        "KUBECONFIG": str(kubeconfig),
        "PYTHONUNBUFFERED": "1",
        "DB_MIGRATE_MIGRATIONS_DIR": str(root / "migrations"),
        "DB_MIGRATE_SEEDS_DIR": str(root / "seeds"),
        "DB_MIGRATE_METRICS_PORT": str(metrics_port),
        "DB_MIGRATE_LIVENESS_PORT": str(liveness_port),
        **(env or {}),
    }
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        command = [sys.executable, "-m", "db_migrate.operator.main"] if kopf_run is None else [
            sys.executable, "-m", "kopf", "run", *kopf_run,
            "--liveness", f"http://127.0.0.1:{liveness_port}/healthz", "-m", "db_migrate.operator"]
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=root,
        )
    op = OperatorProcess(process, log, metrics_port, liveness_port)
    deadline = time.monotonic() + timeout
    while not _healthy(liveness_port):
        if "address already in use" in op.logs().lower():
            op.stop()
            raise PortTaken(f"a port chosen for the operator was taken first; see {log}")
        if process.poll() is not None or time.monotonic() > deadline:
            op.stop()
            raise RuntimeError(f"the operator did not become healthy; see {log}:\n{op.logs()[-3000:]}")
        time.sleep(0.2)
    return op


def write_counter(plane: ControlPlane) -> WriteCounter:
    """A started :class:`WriteCounter` in front of the plane's API server (``start(via=...)``)."""
    cluster, _ = current_cluster(plane.kubeconfig)
    return WriteCounter(plane.server, ssl_context(cluster)).start()
