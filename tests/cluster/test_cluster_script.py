"""scripts/cluster as people use it, on a private state directory next to the session's cluster."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from testkit import controlplane
from testkit.controlplane import ControlPlane

pytestmark = pytest.mark.cluster

SCRIPT = controlplane.repo_root() / "scripts" / "cluster"


def cluster(dev: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != controlplane.KUBECONFIG_ENV}
    env |= {controlplane.DEV_DIR_ENV: str(dev), **extra_env}
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def processes_using(dev: Path) -> list[int]:
    """PIDs whose command line mentions ``dev``: what a start in ``dev`` left running."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(dev).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.fixture
def dev(control_plane: ControlPlane, tmp_path: Path) -> Path:
    if control_plane.external:
        pytest.skip(f"{controlplane.KUBECONFIG_ENV} names an external cluster")
    if not Path("/proc/self").exists():
        pytest.skip("needs procfs to look for left-over processes")
    return tmp_path / "dev"


def test_up_is_idempotent_status_reports_it_and_down_stops_and_removes_everything(
    dev: Path,
) -> None:
    first = cluster(dev, "up")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("started: https://127.0.0.1:")
    kubeconfig = dev / "kubeconfig"
    assert kubeconfig.stat().st_mode & 0o077 == 0  # it holds the admin key
    assert len(processes_using(dev)) == 2  # etcd and kube-apiserver

    again = cluster(dev, "up")
    assert again.returncode == 0 and again.stdout.startswith("already up: ")
    status = cluster(dev, "status")
    assert status.returncode == 0 and status.stdout.startswith("up: ")

    down = cluster(dev, "down")
    assert down.returncode == 0 and down.stdout.strip() == "stopped and removed"
    assert processes_using(dev) == []
    assert not kubeconfig.exists() and not (dev / "cluster").exists()
    status = cluster(dev, "status")
    assert status.returncode == 3 and status.stdout.startswith("down: ")


def test_failed_start_says_so_in_one_line_keeps_the_logs_and_leaves_nothing_running(
    dev: Path,
) -> None:
    result = cluster(dev, "up", DB_MIGRATE_APISERVER_ARGS="--no-such-flag")
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()
    assert message == [
        f"cluster up: kube-apiserver exited while starting; see {dev}/cluster/logs/kube-apiserver.log"
    ]
    assert "unknown flag: --no-such-flag" in (dev / "cluster/logs/kube-apiserver.log").read_text()
    assert processes_using(dev) == []  # etcd, started first, was stopped again
    assert not (dev / "kubeconfig").exists()
