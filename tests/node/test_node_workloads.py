"""Workloads on the local node: Pods, a Job, a ClusterIP Service, cluster DNS, in-cluster API.

One node serves the whole module (the ``local_node`` session fixture); each test works in a
namespace of its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from testkit import imagearchive, netns, node, registry
from tests.node.helpers import (
    DNS_CLIENT,
    apply,
    dns_query,
    get_json,
    new_namespace,
    pod,
    probe_image,
    wait_for,
)

pytestmark = pytest.mark.node


@pytest.fixture(scope="module")
def probe(local_node: node.Node, tmp_path_factory: pytest.TempPathFactory) -> str:
    return probe_image(local_node, tmp_path_factory.mktemp("images"))


def test_node_is_ready_with_its_sandbox_image_in_its_registry(local_node: node.Node) -> None:
    found = get_json(local_node, "node", local_node.name)
    ready = {c["type"]: c["status"] for c in found["status"]["conditions"]}
    assert ready["Ready"] == "True"
    assert {"type": "InternalIP", "address": local_node.node_ip} in found["status"]["addresses"]
    assert local_node.pause_image.startswith(registry.NAME + "/")
    assert local_node.registry_digest(local_node.pause_image.removeprefix(registry.NAME + "/"))


def test_pod_from_the_pause_image_becomes_ready(local_node: node.Node) -> None:
    ns = new_namespace(local_node, "pause")
    spec = pod("sleeper", local_node.pause_image, [])
    spec["spec"]["containers"][0].pop("args")
    spec["metadata"]["namespace"] = ns
    apply(local_node, spec)
    local_node.plane.kubectl(
        "wait", "--for=condition=Ready", "pod/sleeper", "-n", ns, "--timeout=90s", timeout=100
    )
    status = get_json(local_node, "pod", "sleeper", "-n", ns)["status"]
    assert status["podIP"].startswith(local_node.pod_cidr.rsplit(".", 2)[0])


def test_job_runs_to_completion_and_its_logs_are_readable(local_node: node.Node, probe: str) -> None:
    ns = new_namespace(local_node, "job")
    job = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "once", "namespace": ns},
        "spec": {
            "completions": 2,
            "backoffLimit": 0,
            "template": {"spec": {"restartPolicy": "Never", "containers": [
                {"name": "main", "image": probe, "imagePullPolicy": "IfNotPresent", "args": ["exit", "0"]}]}},
        },
    }  # fmt: skip
    apply(local_node, job)
    local_node.plane.kubectl(
        "wait", "--for=condition=Complete", "job/once", "-n", ns, "--timeout=90s", timeout=100
    )
    assert get_json(local_node, "job", "once", "-n", ns)["status"]["succeeded"] == 2
    # Through the API server -> kubelet on the node IP: what `kubectl logs` needs.
    logs = local_node.plane.kubectl("logs", "job/once", "-n", ns).stdout
    assert "probe exiting with 0" in logs


def _serve(local_node: node.Node, ns: str, probe: str) -> str:
    """A probe HTTP server behind a ClusterIP Service; returns the ClusterIP."""
    server = pod("web", probe, ["serve", ":8080"])
    server["metadata"]["namespace"] = ns
    server["spec"]["containers"][0]["readinessProbe"] = {
        "httpGet": {"path": "/", "port": 8080},
        "periodSeconds": 1,
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": ns},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]},
    }
    apply(local_node, server, service)
    local_node.plane.kubectl(
        "wait", "--for=condition=Ready", "pod/web", "-n", ns, "--timeout=90s", timeout=100
    )
    cluster_ip = str(get_json(local_node, "service", "web", "-n", ns)["spec"]["clusterIP"])
    # kube-proxy programs the endpoint a moment after the Pod is Ready: a client started before
    # that is refused, so wait until the ClusterIP answers from the node's namespace.
    wait_for(lambda: _fetch(local_node, cluster_ip), f"http://{cluster_ip}/ to answer from the node's namespace",
             timeout=30)
    return cluster_ip


def _fetch(local_node: node.Node, cluster_ip: str) -> bool:
    fetch = f"import urllib.request; print(urllib.request.urlopen('http://{cluster_ip}/', timeout=3).read().decode())"
    result = local_node.exec_in_netns([sys.executable, "-c", fetch])
    return result.returncode == 0 and "probe web" in result.stdout


def test_clusterip_service_answers_from_inside_the_node_namespace(local_node: node.Node, probe: str) -> None:
    ns = new_namespace(local_node, "svc")
    cluster_ip = _serve(local_node, ns, probe)
    assert _fetch(local_node, cluster_ip)


def test_clusterip_is_unreachable_from_the_host(local_node: node.Node, probe: str) -> None:
    """Services live in the node's namespace only: the host has no route to them."""
    route = netns.run(["ip", "route", "get", "10.0.0.1"], check=False)
    assert local_node.netns not in route and "dbm-" not in route


def test_cluster_dns_resolves_service_names(local_node: node.Node, probe: str) -> None:
    ns = new_namespace(local_node, "dns")
    cluster_ip = _serve(local_node, ns, probe)
    name = f"web.{ns}.svc.cluster.local"
    # From the node's namespace, to the kube-dns ClusterIP (UDP through kube-proxy).
    query = local_node.exec_in_netns([sys.executable, "-c", DNS_CLIENT, "10.0.0.10", dns_query(name).hex()])
    assert query.returncode == 0, query.stderr
    assert query.stdout.split() == ["0", cluster_ip]
    # From a Pod, through its resolv.conf and search path, as `postgres.<ns>.svc` is used.
    client = pod("resolve", probe, ["resolve", f"web.{ns}.svc"], restartPolicy="Never")
    client["metadata"]["namespace"] = ns
    apply(local_node, client)
    wait_for(lambda: get_json(local_node, "pod", "resolve", "-n", ns)["status"].get("phase") in ("Succeeded", "Failed"),
             "the resolving Pod to finish")  # fmt: skip
    logs = local_node.plane.kubectl("logs", "resolve", "-n", ns).stdout
    assert get_json(local_node, "pod", "resolve", "-n", ns)["status"]["phase"] == "Succeeded", logs
    assert cluster_ip in logs


def test_pod_reaches_a_service_and_the_api_server_with_its_token(local_node: node.Node, probe: str) -> None:
    ns = new_namespace(local_node, "incluster")
    _serve(local_node, ns, probe)
    client = pod("client", probe, ["get", f"http://web.{ns}.svc/"], restartPolicy="Never")
    api = pod("api", probe, ["api"], restartPolicy="Never")
    for item in (client, api):
        item["metadata"]["namespace"] = ns
    apply(local_node, client, api)
    for name in ("client", "api"):
        wait_for(lambda name=name: get_json(local_node, "pod", name, "-n", ns)["status"].get("phase")  # type: ignore[misc]
                 in ("Succeeded", "Failed"), f"Pod {name} to finish")  # fmt: skip
    client_logs = local_node.plane.kubectl("logs", "client", "-n", ns).stdout
    api_logs = local_node.plane.kubectl("logs", "api", "-n", ns).stdout
    assert client_logs.startswith("200 probe web"), client_logs
    # 200 from /version with the projected token over the `kubernetes` Service: the
    # token is valid (a bad one is 401) and the serving certificate fits 10.0.0.1.
    assert api_logs.startswith("200 ") and '"gitVersion"' in api_logs, api_logs


@pytest.mark.parametrize(("pushed", "named"), [
    # What Pods on a cluster with a local registry name: the registry's own address.
    ("db-migrate/pushed-test:1", f"{registry.NAME}/db-migrate/pushed-test:1"),
    # A docker.io name, as deploy/ writes its images: containerd resolves it to the node's registry.
    ("library/pushed-test:2", "pushed-test:2"),
])
def test_image_pushed_to_the_node_registry_is_pulled_by_the_kubelet(
        local_node: node.Node, tmp_path: Path, pushed: str, named: str) -> None:
    archive = imagearchive.write(local_node.bin_dir / "pause", pushed, tmp_path / "a.tar")
    local_node.push(f"docker-archive:{archive}", pushed)
    digest = local_node.registry_digest(pushed)
    assert digest is not None and digest.startswith("sha256:")
    ns = new_namespace(local_node, "pull")
    spec = pod("pulled", named, [])
    spec["spec"]["containers"][0].pop("args")
    spec["metadata"]["namespace"] = ns
    apply(local_node, spec)
    local_node.plane.kubectl("wait", "--for=condition=Ready", "pod/pulled", "-n", ns, "--timeout=90s",
                             timeout=100)  # fmt: skip
    status = get_json(local_node, "pod", "pulled", "-n", ns)["status"]["containerStatuses"][0]
    # The image ID is the registry's manifest digest: the kubelet pulled what was pushed.
    assert status["imageID"].endswith("@" + digest)
    events = local_node.plane.kubectl("get", "events", "-n", ns, "--field-selector",
                                      "reason=Pulled", "-o", "jsonpath={.items[*].message}").stdout
    assert "Successfully pulled image" in events, events


def test_registry_serves_only_inside_the_node_network_namespace(local_node: node.Node) -> None:
    from testkit import controlplane, nodeprocs

    state = nodeprocs.read_state(nodeprocs.paths(controlplane.layout(local_node.dev))) or {}
    pid, _argv = nodeprocs.recorded(state)[nodeprocs.REGISTRY]
    # The registry process lives in the node's network namespace, not the host's.
    assert netns.namespace_id(pid) == netns.namespace_id(local_node.holder_pid)
    assert netns.namespace_id(pid) != netns.namespace_id(os.getpid())
    # The host reaches it through the veth (the node IP), containerd on the node's own loopback.
    status, headers, _body = local_node.registry_get("")
    assert status == 200 and headers.get("Docker-Distribution-Api-Version") == "registry/2.0"
    inside = local_node.exec_in_netns([sys.executable, "-c", (
        "import urllib.request; print(urllib.request.urlopen("
        f"'http://127.0.0.1:{registry.PORT}/v2/', timeout=5).status)")])
    assert inside.stdout.strip() == "200", inside.stderr
    # Its storage is in the node's dev dir, which `down` removes.
    assert (local_node.dev / "node" / "registry" / "docker" / "registry" / "v2").is_dir()
