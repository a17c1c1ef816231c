"""The cluster the end-to-end suite runs on.

By default the local node (``scripts/cluster up --node``, the session fixture ``local_node``)
with the images built from this checkout pushed to its registry, from which the kubelet pulls
them (``imagePullPolicy: IfNotPresent``; nothing is imported into containerd). With
``DB_MIGRATE_E2E_KUBECONFIG`` (``scripts/e2e-kind``) an existing cluster with a real node whose
images were loaded beforehand: kind, for machines with a container engine and a registry.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from testkit.controlplane import ControlPlane
from tests.e2e.cluster import NodeCluster

E2E_KUBECONFIG_ENV = "DB_MIGRATE_E2E_KUBECONFIG"
#: The operator image under every name the manifests and the tests use: the local overlay's tag,
#: the rolling-update test's second tag, and the placeholder the seed's Job (deploy/jobs/) names.
#: Paths in the node's registry; docker.io names resolve to it (es1/db-migrate:dev is
#: docker.io/es1/db-migrate:dev), and localhost:5000/<path> names it directly.
OPERATOR_TAGS = ("es1/db-migrate:dev", "es1/db-migrate:dev-next", "es1/db-migrate:0.1.0")
#: Every image, with the names deploy/ and deploy/dev-databases/ give it.
PUSHED = {"operator": OPERATOR_TAGS, "postgres": ("library/postgres:18",),
          "pgvector": ("pgvector/pgvector:pg18",)}
_BUILD_ERROR: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Build (or find cached) the images before the first test, so that a cold build (minutes)
    # never counts against a test's timeout.
    if os.environ.get(E2E_KUBECONFIG_ENV) or not any("node_cluster" in getattr(i, "fixturenames", ())
                                                     for i in items):
        return
    from testkit import images

    if images.prerequisites():
        return  # the node fixture skips (or fails in CI) with the reason
    try:
        for name in PUSHED:
            images.layout(name)
    except images.ImageError as err:
        _BUILD_ERROR.append(str(err))


@pytest.fixture(scope="session")
def node_cluster(request: pytest.FixtureRequest) -> NodeCluster:
    external = os.environ.get(E2E_KUBECONFIG_ENV)
    if external:
        kubectl = shutil.which("kubectl")
        return NodeCluster(ControlPlane(kubeconfig=Path(external), server="",
                                        kubectl_path=Path(kubectl) if kubectl else None, external=True))
    from testkit import images

    if _BUILD_ERROR:
        pytest.fail(f"the images could not be built: {_BUILD_ERROR[0]}", pytrace=False)
    missing = images.prerequisites()
    if missing:
        message = "the images cannot be built here: " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    local = request.getfixturevalue("local_node")
    seconds = sum(local.push_image(name, *tags) for name, tags in PUSHED.items())
    print(f"\nimages pushed to the node's registry {local.registry} in {seconds:.1f} s")
    return NodeCluster(local.plane, local)
