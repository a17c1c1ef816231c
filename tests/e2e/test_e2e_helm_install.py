"""deploy/helm/db-migrate/ installed on the local node with the real Helm (tools/helm/build), as an
operator user installs it: ``helm install`` with the image from a registry (the node's own, by its
``localhost:5000`` name, pulled with ``imagePullPolicy: IfNotPresent``), namespaced to one watched
namespace; a DatabaseMigration against PostgreSQL in a Pod behind a Service becomes Ready with its
counts; ``helm uninstall`` removes the operator and its grants.

The module's steps run in order on one release. A cluster-wide operator from another module
(deploy/overlays/local) would reconcile the same resources, so it is scaled to zero meanwhile.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from testkit import registry
from testkit.helm import Helm, HelmUnavailable
from testkit.helm import ensure as ensure_helm
from tests.e2e.cluster import ROOT, NodeCluster, Workspace
from tests.e2e.conftest import OPERATOR_TAGS

pytestmark = [pytest.mark.node, pytest.mark.slow]

CHART = ROOT / "deploy" / "helm" / "db-migrate"
RELEASE = "e2e-helm"
KUSTOMIZE_INSTALL = ("db-migrate-system", "deploy/db-migrate-operator")
PUSHED = OPERATOR_TAGS[0]  # es1/db-migrate:dev, in the node's registry


@dataclass
class Release:
    helm: Helm
    cluster: NodeCluster
    namespace: str  # the release's (the operator's) namespace
    watched: Workspace  # the one namespace it watches, with PostgreSQL in it

    def pods(self) -> list[dict[str, Any]]:
        listed = json.loads(self.cluster.kubectl(
            "-n", self.namespace, "get", "pods", "-l", f"app.kubernetes.io/instance={RELEASE}",
            "-o", "json").stdout)
        return [p for p in listed["items"] if not p["metadata"].get("deletionTimestamp")]


def _pause_cluster_wide_operator(cluster: NodeCluster) -> int:
    namespace, deployment = KUSTOMIZE_INSTALL
    found = cluster.kubectl("-n", namespace, "get", deployment, "-o", "jsonpath={.spec.replicas}",
                            check=False)
    replicas = int(found.stdout or 0) if found.returncode == 0 else 0
    if replicas:
        cluster.kubectl("-n", namespace, "scale", deployment, "--replicas=0")
        deadline = time.monotonic() + 120
        while cluster.kubectl("-n", namespace, "get", "pods", "-l", "app.kubernetes.io/component=operator",
                              "-o", "name").stdout.strip():
            assert time.monotonic() < deadline, "the cluster-wide operator's Pods did not stop"
            time.sleep(0.5)
    return replicas


@pytest.fixture(scope="module")
def release(node_cluster: NodeCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Release]:
    if node_cluster.node is None:
        pytest.skip("the Helm install test pulls from the local node's registry")
    try:
        helm = ensure_helm(tmp_path_factory.mktemp("helm-home"))
    except HelmUnavailable as err:
        pytest.skip(str(err))
    paused = _pause_cluster_wide_operator(node_cluster)
    watched = node_cluster.workspace("e2e-helm-apps")
    watched.start_databases()
    namespace = f"{watched.namespace}-operator"
    repository, _, tag = registry.reference(PUSHED).rpartition(":")
    values = tmp_path_factory.mktemp("helm-values") / "values.yaml"
    values.write_text(yaml.safe_dump({
        "image": {"repository": repository, "tag": tag, "pullPolicy": "IfNotPresent"},
        "namespaces": [watched.namespace],
        "driftIntervalSeconds": 30,
    }))
    installed = helm("install", RELEASE, str(CHART), "--namespace", namespace, "--create-namespace",
                     "--values", str(values), "--wait", "--timeout", "180s",
                     kubeconfig=node_cluster.plane.kubeconfig, timeout=240)
    assert installed.returncode == 0, installed.stderr
    try:
        yield Release(helm, node_cluster, namespace, watched)
    finally:
        helm("uninstall", RELEASE, "--namespace", namespace, "--wait",
             kubeconfig=node_cluster.plane.kubeconfig)
        if paused:
            node_cluster.kubectl("-n", KUSTOMIZE_INSTALL[0], "scale", KUSTOMIZE_INSTALL[1],
                                 f"--replicas={paused}")


def test_helm_install_runs_ready_operator_pods_pulled_from_the_registry(release: Release) -> None:
    pods = release.pods()
    assert len(pods) == 2  # the chart's default replicas
    node = release.cluster.node
    assert node is not None
    digest = node.registry_digest(PUSHED)
    assert digest is not None
    for pod in pods:
        (container,) = pod["spec"]["containers"]
        assert container["image"] == registry.reference(PUSHED)
        assert container["imagePullPolicy"] == "IfNotPresent"
        assert pod["spec"]["serviceAccountName"] == f"{RELEASE}-db-migrate-operator"
        ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
        assert ready["status"] == "True"
        # The image ID is the digest the registry serves: the kubelet pulled the pushed image. (Its
        # repository part is whichever name containerd pulled that digest under first: the
        # kustomize install's docker.io name, when another module ran before.)
        (status,) = pod["status"]["containerStatuses"]
        assert status["imageID"].rpartition("@")[2] == digest
    # containerd holds the image under the name the chart gave it, resolved through the registry.
    assert registry.reference(PUSHED) in node.images()
    # Namespaced install: a Role in the watched namespace, no cluster-wide grant.
    kubectl = release.cluster.kubectl
    assert kubectl("-n", release.watched.namespace, "get", "role", f"{RELEASE}-db-migrate-operator",
                   check=False).returncode == 0
    assert kubectl("get", "clusterrole", f"{RELEASE}-db-migrate-operator", check=False).returncode != 0


def test_databasemigration_becomes_ready_with_its_counts_under_the_helm_installed_operator(
        release: Release) -> None:
    ws = release.watched
    for name in ("postgres-secret.yaml", "postgres.yaml"):
        ws("apply", "-f", str(ROOT / "deploy" / "examples" / name))
    obj = ws.wait_dbm("postgres", lambda o: any(
        c["type"] == "Ready" and c["status"] == "True" for c in o.get("status", {}).get("conditions") or []),
        what="Ready", timeout=180)
    status = obj["status"]
    # migrations/postgres to its head plus the reference and sample seeds, as with kustomize.
    assert (status["currentVersion"], status["applied"], status["skipped"], status["failed"]) == ("7", 11, 0, 0)
    assert ws.psql("postgres", "SELECT count(*) FROM _schema_migrations") == "11"
    # Reconciled by the release's operator: one of its Pods holds a member Lease in its namespace.
    leases = json.loads(release.cluster.kubectl(
        "-n", release.namespace, "get", "leases", "-l", "migrations.es1.dev/operator-member=true",
        "-o", "json").stdout)["items"]
    assert {lease["spec"]["holderIdentity"] for lease in leases} >= {
        p["metadata"]["name"] for p in release.pods()}


def test_helm_uninstall_removes_the_operator_and_its_grants(release: Release) -> None:
    ws = release.watched
    # First the resource, while its operator still runs to remove its finalizer.
    ws("delete", "dbm", "postgres", "--wait=true", "--timeout=60s", timeout=70)
    kubeconfig = release.cluster.plane.kubeconfig
    uninstalled = release.helm("uninstall", RELEASE, "--namespace", release.namespace, "--wait",
                               kubeconfig=kubeconfig)
    assert uninstalled.returncode == 0, uninstalled.stderr
    listed = release.helm("list", "--namespace", release.namespace, "--short", kubeconfig=kubeconfig)
    assert RELEASE not in listed.stdout.split()
    kubectl = release.cluster.kubectl
    left = kubectl("-n", release.namespace, "get", "deploy,sa,svc,role,rolebinding,pdb,networkpolicy",
                   "-l", f"app.kubernetes.io/instance={RELEASE}", "-o", "name").stdout
    assert left.strip() == ""
    assert kubectl("-n", ws.namespace, "get", "role", f"{RELEASE}-db-migrate-operator",
                   check=False).returncode != 0
    # Helm keeps CRDs it installed from crds/ (its documented policy): resources stay readable.
    assert kubectl("get", "crd", "databasemigrations.migrations.es1.dev", check=False).returncode == 0
