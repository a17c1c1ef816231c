"""The local node (``scripts/cluster up --node``) for tests, in a dev dir of its own.

Never ``.dev/``: that is the demo's. The dev dir is fixed per checkout, so a run that
crashed leaves state the next run finds and clears (``node.up`` starts afresh when the
recorded processes are gone). In CI (``CI=true``) a node that cannot start fails the tests;
elsewhere they are skipped when the machine cannot run one (not root, no containerd).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from db_migrate.testing import controlplane, node
from db_migrate.testing.controlplane import ControlPlaneError
from db_migrate.testing.fixtures import KEEP_ENV

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"


def node_dev_dir() -> Path:
    # Short, under /tmp: containerd's socket path must stay under ~100 bytes.
    digest = hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]
    return Path(f"/tmp/dbm-node-{digest}")


def require_node_machine() -> None:
    """Skip (or, in CI, fail) when this machine cannot run a node at all."""
    reasons = []
    if os.geteuid() != 0:
        reasons.append("not root")
    reasons += [
        f"no {tool}" for tool in ("containerd", "runc", "nsenter", "unshare") if not shutil.which(tool)
    ]
    if not reasons:
        return
    message = "the local node cannot run here: " + ", ".join(reasons)
    if IN_CI:
        pytest.fail(message + " (.ci/run must install containerd, runc and containernetworking-plugins)",
                    pytrace=False)  # fmt: skip
    pytest.skip(message)


_BUILD_ERROR: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Build (or find cached) the node's binaries before any test starts: a cold build takes
    # minutes, more than a test's timeout, which would otherwise include it.
    here = Path(__file__).parent
    if os.geteuid() != 0 or not any(here in Path(str(item.path)).parents for item in items):
        return
    try:
        controlplane.ensure_binaries()
        controlplane.ensure_binaries(ROOT / "tools" / "node" / "build")
    except ControlPlaneError as err:
        _BUILD_ERROR.append(str(err))


@pytest.fixture(scope="session")
def node_dev() -> Path:
    if _BUILD_ERROR:
        pytest.fail(f"the node's binaries did not build: {_BUILD_ERROR[0]}", pytrace=False)
    require_node_machine()
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
