"""pytest plugin: the local node (``scripts/cluster up --node``) for a test session.

Loaded through :mod:`testkit.fixtures`. Any test may ask for:

* ``local_node`` (session): a :class:`testkit.node.Node`, Ready, with CoreDNS and
  the ``default`` ServiceAccount. It lives in a dev dir of its own under ``/tmp`` (never
  ``.dev/``, the demo's), fixed per checkout so a crashed run's leftovers are cleared by
  the next. Concurrent pytest runs of one checkout share it; the last one stops it
  (``DB_MIGRATE_KEEP_CLUSTER=1`` keeps it).
* ``node_dev`` (session): that dev dir, without starting anything.

Tests using either are marked ``node`` (``-m "not node"`` deselects them). In CI
(``CI=true``) a node that cannot start fails them; elsewhere they are skipped on machines
that cannot run one (not root, no containerd). The binaries are built before the first test
starts, so a cold build (minutes) never counts against a test's timeout.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit import controlplane, node, registry
from testkit.controlplane import ControlPlaneError

IN_CI = os.environ.get("CI") == "true"
KEEP_ENV = "DB_MIGRATE_KEEP_CLUSTER"
_NODE_FIXTURES = {"local_node", "node_dev"}
_BUILD_ERROR: list[str] = []


def node_dev_dir() -> Path:
    # Short, under /tmp: containerd's socket path must stay under ~100 bytes.
    digest = hashlib.sha256(str(controlplane.repo_root()).encode()).hexdigest()[:8]
    return Path(f"/tmp/dbm-node-{digest}")


def require_node_machine() -> None:
    """Skip (or, in CI, fail) when this machine cannot run a node at all."""
    reasons = [] if os.geteuid() == 0 else ["not root"]
    reasons += [
        f"no {tool}" for tool in ("containerd", "runc", "nsenter", "unshare") if not shutil.which(tool)
    ]
    if not reasons:
        return
    message = "the local node cannot run here: " + ", ".join(reasons)
    if IN_CI:
        pytest.fail(
            message + " (.ci/run must install containerd, runc, containernetworking-plugins)", pytrace=False
        )
    pytest.skip(message)


def _wants_node(item: pytest.Item) -> bool:
    return (
        bool(_NODE_FIXTURES & set(getattr(item, "fixturenames", ())))
        or item.get_closest_marker("node") is not None
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    wanted = [item for item in items if _wants_node(item)]
    for item in wanted:
        item.add_marker(pytest.mark.node)
    if not wanted or os.geteuid() != 0:
        return
    try:
        controlplane.ensure_binaries()
        controlplane.ensure_binaries(controlplane.repo_root() / "tools" / "node" / "build")
        controlplane.ensure_binaries(registry.build_script(controlplane.repo_root()))
    except ControlPlaneError as err:
        _BUILD_ERROR.append(str(err))


@pytest.fixture(scope="session")
def node_dev() -> Path:
    require_node_machine()
    if _BUILD_ERROR:
        pytest.fail(f"the node's binaries did not build: {_BUILD_ERROR[0]}", pytrace=False)
    return node_dev_dir()


@pytest.fixture(scope="session")
def local_node(node_dev: Path) -> Iterator[node.Node]:
    session = os.getpid()
    try:
        started = node.up(dev=node_dev, session=session)
    except ControlPlaneError as err:
        node.release(session, dev=node_dev)
        pytest.fail(f"the local node did not start: {err}", pytrace=False)
    yield started
    # Another pytest run of this checkout may still use it: the last one stops it.
    node.release(session, stop=not os.environ.get(KEEP_ENV), dev=node_dev)
