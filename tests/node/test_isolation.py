"""The node leaves no trace on the host: firewall, sysctls, links, routes, mounts, cgroups.

A full cycle of its own (in a dev dir of its own, apart from the session's node), through
the exact commands a person types: snapshot the host, ``scripts/cluster up --node``, run a
Pod behind a Service (so CNI and kube-proxy write their rules), ``scripts/cluster down``,
snapshot again. The snapshots must be identical.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit import netns, node
from testkit.controlplane import repo_root
from tests.node.helpers import apply, new_namespace, pod
from tests.node.hostsnapshot import processes_in_netns, processes_mentioning, snapshot

pytestmark = pytest.mark.node

KUBELET_SYSCTLS = ("vm.overcommit_memory", "kernel.panic", "kernel.panic_on_oops")


@pytest.fixture
def isolated_dev(node_dev: Path) -> Iterator[Path]:
    # node_dev skips or fails (CI) on a machine without a node, or when the build failed.
    dev = Path(f"{node_dev}-iso")
    node.down(dev=dev)  # a crashed earlier run
    yield dev
    node.down(dev=dev)


def _cluster(dev: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DB_MIGRATE_DEV_DIR": str(dev)}
    return subprocess.run([str(repo_root() / "scripts" / "cluster"), *args], env=env, capture_output=True,
                          text=True, timeout=600, check=False)  # fmt: skip


def _diff(name: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), "before up", "after down", lineterm=""
    )
    return f"{name} changed:\n" + "\n".join(list(lines)[:40])


def test_up_and_down_leave_the_host_as_it_was(isolated_dev: Path) -> None:
    ident = netns.identity(isolated_dev)
    before = snapshot(ident.tag)
    sysctls_before = {key: Path("/proc/sys", key.replace(".", "/")).read_text() for key in KUBELET_SYSCTLS}
    started = _cluster(isolated_dev, "up", "--node")
    if started.returncode != 0:
        pytest.fail(f"scripts/cluster up --node failed: {started.stderr.strip()[-2000:]}", pytrace=False)
    assert "Ready with CoreDNS after" in started.stdout
    status = _cluster(isolated_dev, "status")
    assert status.returncode == 0 and "node: db-migrate-node up" in status.stdout, status.stdout
    up = node.current(dev=isolated_dev)
    assert up is not None
    netns_id = netns.namespace_id(up.holder_pid)
    assert netns_id is not None

    # Make kubelet, CNI and kube-proxy do their work: a Pod behind a Service.
    ns = new_namespace(up, "iso")
    sleeper = pod("sleeper", up.pause_image, [])
    sleeper["spec"]["containers"][0].pop("args")
    sleeper["metadata"]["namespace"] = ns
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "sleeper", "namespace": ns},
               "spec": {"selector": {"app": "sleeper"}, "ports": [{"port": 80}]}}  # fmt: skip
    apply(up, sleeper, service)
    up.plane.kubectl("wait", "--for=condition=Ready", "pod/sleeper", "-n", ns, "--timeout=90s", timeout=100)
    # The rules exist, in the node's namespace, and the host saw none of them.
    inside = up.exec_in_netns(["nft", "list", "ruleset"])
    assert "kube-proxy" in inside.stdout and ns in inside.stdout
    during = snapshot(ident.tag)
    assert ident.veth_host in during["links"]  # the snapshot does see the node's one host change
    for key in ("iptables-save", "ip6tables-save", "nft list ruleset", "mounts"):
        assert during[key] == before[key], _diff(key, before[key], during[key])
    for key, value in sysctls_before.items():
        assert Path("/proc/sys", key.replace(".", "/")).read_text() == value, f"{key} changed while up"

    began = time.monotonic()
    stopped = _cluster(isolated_dev, "down")
    teardown = time.monotonic() - began
    assert stopped.returncode == 0 and "stopped and removed" in stopped.stdout, stopped.stderr
    after = snapshot(ident.tag)

    changed = [_diff(key, before[key], after[key]) for key in before if before[key] != after[key]]
    assert not changed, "\n\n".join(changed)
    for key, value in sysctls_before.items():
        assert Path("/proc/sys", key.replace(".", "/")).read_text() == value, f"{key} changed"
    assert processes_in_netns(netns_id) == [], "processes are left in the node's network namespace"
    assert processes_mentioning(str(isolated_dev)) == [], "processes of the node are left"
    assert not netns.link_exists(ident.veth_host)
    assert not any((h / ident.cgroup).exists() for h in netns.cgroup_hierarchies())
    # The registry's storage (with the pause image containerd pulled) went with the node's dir.
    assert not (isolated_dev / "node").exists() and not (isolated_dev / "cluster").exists()
    assert teardown < 30, f"teardown took {teardown:.1f} s"
