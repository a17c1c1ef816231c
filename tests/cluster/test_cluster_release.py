"""The control plane is the official release, built and started the way the docs say."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from testkit import controlplane
from testkit.controlplane import ControlPlane

pytestmark = pytest.mark.cluster

TOOLS = controlplane.repo_root() / "tools" / "controlplane"


def pinned_release() -> str:
    match = re.search(r"^\s*k8s\.io/kubernetes (v\S+)", (TOOLS / "go.mod").read_text(), re.M)
    assert match, "tools/controlplane/go.mod must require k8s.io/kubernetes"
    return match.group(1)


def local_only(plane: ControlPlane) -> None:
    if plane.external:
        pytest.skip(f"{controlplane.KUBECONFIG_ENV} names an external cluster")


def test_kubectl_version_reports_the_pinned_release_for_client_and_server(
    control_plane: ControlPlane,
) -> None:
    local_only(control_plane)
    versions = json.loads(control_plane.kubectl("version", "--output=json").stdout)
    release = pinned_release()
    major, minor = release[1:].split(".")[:2]
    for side in ("clientVersion", "serverVersion"):
        assert versions[side]["gitVersion"] == release
        assert (versions[side]["major"], versions[side]["minor"]) == (major, minor)


def test_second_up_reuses_the_running_cluster_and_status_reports_it(
    control_plane: ControlPlane,
) -> None:
    local_only(control_plane)
    again = controlplane.up(session=os.getpid())  # as this session: no change of owner
    assert (again.server, again.kubeconfig) == (control_plane.server, control_plane.kubeconfig)
    assert not again.started
    report = controlplane.status()
    assert report.up
    assert set(report.pids) == {"etcd", "kube-apiserver"}
    assert str(control_plane.kubeconfig.name) in report.describe()


def test_build_reuses_cached_binaries_without_invoking_go(control_plane: ControlPlane) -> None:
    local_only(control_plane)
    assert control_plane.kubectl_path is not None
    result = subprocess.run([str(TOOLS / "build")], capture_output=True, text=True, check=True, timeout=60)
    assert Path(result.stdout.strip()) == control_plane.kubectl_path.parent
    assert result.stderr == ""  # the script only talks on stderr when it builds
