"""The cluster the end-to-end suite runs on.

By default the local node (``scripts/cluster up --node``, the session fixture ``local_node``)
with the images built from this checkout imported into its containerd. With
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
OPERATOR_TAGS = ("docker.io/es1/db-migrate:dev", "docker.io/es1/db-migrate:dev-next",
                 "docker.io/es1/db-migrate:0.1.0")


IMAGES = ("operator", "postgres", "pgvector")
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
        for name in IMAGES:
            images.archive(name)
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
    for name in IMAGES:
        local.load_image_archive(images.archive(name))
    have = set(local.images())
    for tag in OPERATOR_TAGS[1:]:
        if tag not in have:
            local.ctr("images", "tag", "--force", OPERATOR_TAGS[0], tag)
    return NodeCluster(local.plane)
