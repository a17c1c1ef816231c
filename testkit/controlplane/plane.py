"""What callers get back: a reachable control plane (:class:`ControlPlane`) and its :class:`Status`."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.kubeconfig import api_client_for
from testkit.controlplane.paths import shown

KUBECONFIG_ENV = "DB_MIGRATE_KUBECONFIG"


@dataclass(frozen=True)
class ControlPlane:
    """A reachable API server: what tests, the demo and kubectl need to talk to it."""

    kubeconfig: Path
    server: str
    kubectl_path: Path | None
    external: bool = False
    # True when this call started the processes rather than finding them running.
    started: bool = field(default=False, compare=False)

    def kubectl(
        self,
        *args: str,
        input: str | None = None,
        check: bool = True,
        timeout: float = 60.0,
    ) -> subprocess.CompletedProcess[str]:
        """Run kubectl against this control plane; with ``check`` a failure raises with stderr."""
        if self.kubectl_path is None:
            raise ControlPlaneError(
                "no kubectl is available: put one on PATH, or unset "
                f"{KUBECONFIG_ENV} to use the locally built one"
            )
        argv = [str(self.kubectl_path), f"--kubeconfig={self.kubeconfig}", *args]
        result = subprocess.run(
            argv, input=input, text=True, capture_output=True, timeout=timeout, check=False
        )
        if check and result.returncode != 0:
            raise ControlPlaneError(
                f"kubectl {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}"
            )
        return result

    def api_client(self) -> Any:
        """A ``kubernetes.client.ApiClient`` for this control plane."""
        return api_client_for(self.kubeconfig)


@dataclass(frozen=True)
class Status:
    up: bool
    external: bool
    kubeconfig: Path
    server: str | None
    pids: dict[str, int]
    logs: Path | None

    def describe(self) -> str:
        if self.external:
            reach = "reachable" if self.up else "NOT reachable"
            return (
                f"external cluster from {KUBECONFIG_ENV}: {self.server} is {reach}; "
                f"kubeconfig: {self.kubeconfig}"
            )
        if not self.up:
            return "down: no local control plane is running (start it with scripts/cluster up)"
        pids = ", ".join(f"{name} pid {pid}" for name, pid in self.pids.items())
        return (
            f"up: {self.server} ({pids}); kubeconfig: {shown(self.kubeconfig)}; "
            f"logs: {shown(self.logs) if self.logs else '-'}"
        )
