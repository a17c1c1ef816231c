"""pytest plugin: a real kube-apiserver for the whole session and a fresh namespace per test.

Enable it with ``pytest_plugins = ["testkit.fixtures"]`` in a conftest.py.

* The suite's cluster state lives in ``<dev dir>/test`` (``.dev/test``), never in the dev dir
  of ``make demo`` / ``scripts/cluster up``.
* ``control_plane`` (session): the same :func:`testkit.controlplane.up` as
  ``scripts/cluster up``. Concurrent pytest runs in one checkout share the cluster; the last
  run to finish stops it if a test run started it (``DB_MIGRATE_KEEP_CLUSTER=1`` keeps it).
  A cluster started with ``scripts/cluster up``, or the external cluster named by
  ``DB_MIGRATE_KUBECONFIG``, is left alone.
* ``k8s_namespace`` (function): a new, uniquely named namespace. Namespaces are never reused:
  without the namespace controller a deleted one stays Terminating for ever.

Every test using either fixture is marked ``cluster``, so ``-m "not cluster"`` skips them.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator

import pytest

from testkit import (
    controlplane,
    nodeprocs,  # noqa: F401  registers the node's teardown (controlplane/hooks.py)
)
from testkit.controlplane import ControlPlane, ControlPlaneError

# The local node's fixtures (``local_node``, ``node_dev``) come with this plugin.
pytest_plugins = ["testkit.nodefixtures"]

KEEP_ENV = "DB_MIGRATE_KEEP_CLUSTER"
NAMESPACE_LABEL = "db-migrate.test/namespace"
_CLUSTER_FIXTURES = {"control_plane", "k8s_namespace"}


#: The test suite's clusters live in a dev dir of their own, below the one ``make demo`` and
#: ``scripts/cluster up`` use, so a demo left running never shares an API server (or a node)
#: with the tests: the demo's operator would otherwise reconcile the tests' objects.
TEST_DEV_SUBDIR = "test"


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get(controlplane.KUBECONFIG_ENV):
        os.environ[controlplane.DEV_DIR_ENV] = str(controlplane.dev_dir() / TEST_DEV_SUBDIR)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that needs the API server but forgot the marker must still be deselected
    # by `-m "not cluster"`.
    for item in items:
        if _CLUSTER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="session")
def control_plane() -> Iterator[ControlPlane]:
    session = os.getpid()
    try:
        plane = controlplane.up(session=session)
    except ControlPlaneError as err:
        pytest.fail(f"the local control plane is not available: {err}", pytrace=False)
    yield plane
    if not plane.external:
        controlplane.release(session, stop=not os.environ.get(KEEP_ENV))


def namespace_name(test_name: str) -> str:
    """A valid, unique namespace name (an RFC 1123 label) that still says which test made it."""
    stem = re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-")[:48].strip("-")
    return f"t-{stem or 'test'}-{secrets.token_hex(4)}"


@pytest.fixture
def k8s_namespace(control_plane: ControlPlane, request: pytest.FixtureRequest) -> Iterator[str]:
    from kubernetes import client

    name = namespace_name(request.node.name)
    core = client.CoreV1Api(control_plane.api_client())
    body = client.V1Namespace(metadata=client.V1ObjectMeta(name=name, labels={NAMESPACE_LABEL: "true"}))
    core.create_namespace(body)
    yield name
    # On a real cluster this frees the objects; locally it just marks the namespace
    # Terminating, which is harmless because the name is never used again.
    core.delete_namespace(name)
