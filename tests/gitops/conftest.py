"""Argo CD integration fixtures: a real Argo CD (testkit/argocd.py) and the operator as processes
on the local control plane, real PostgreSQL behind them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit import argocd, operator_process
from testkit.argocd import ArgoCD
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess

IN_CI = os.environ.get("CI") == "true"
#: Fast retries in tests, as in tests/operator: the production defaults are for real outages.
FAST = {"DB_MIGRATE_RETRY_BASE": "1", "DB_MIGRATE_RETRY_MAX": "4", "DB_MIGRATE_DRIFT_INTERVAL": "600"}


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what}; .ci/run installs it", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def argocd_binary() -> Path:
    """Argo CD, built once by tools/argocd/build (about 11 min cold on 2 cores) or taken from its cache."""
    if shutil.which("redis-server") is None:
        _missing("redis-server is not installed (apt-get install redis-server), so Argo CD has no cache")
    binary = argocd.binary_path()
    if not binary.is_file():
        if shutil.which("go") is None:
            _missing("Go is not installed, so Argo CD cannot be built (tools/argocd/build)")
        binary = argocd.build()
    return binary


@pytest.fixture(scope="module")
def operator(control_plane: ControlPlane, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OperatorProcess]:
    # Module scope, as in tests/operator: a cluster-wide operator left running would reconcile
    # the objects of other test modules.
    operator_process.install(control_plane)
    op = operator_process.start(control_plane, tmp_path_factory.mktemp("operator"), env=FAST)
    yield op
    op.stop()


@pytest.fixture(scope="module")
def argo(control_plane: ControlPlane, argocd_binary: Path,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArgoCD]:
    argocd.install(control_plane, argocd_binary)
    running = argocd.start(control_plane, tmp_path_factory.mktemp("argocd"), argocd_binary)
    yield running
    running.stop()
