"""``make image push REGISTRY=host:port/prefix``, the README's way to publish the operator image, works
against a real registry: here the local node's (a CNCF distribution registry reached over plain
HTTP, hence ``TLS_VERIFY=false``), exactly as against any other."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.e2e.cluster import ROOT, NodeCluster
from tests.e2e.conftest import OPERATOR_TAGS

pytestmark = [pytest.mark.node, pytest.mark.slow]


def test_make_image_push_publishes_the_operator_image_to_a_registry(node_cluster: NodeCluster) -> None:
    node = node_cluster.node
    if node is None:
        pytest.skip("pushes to the local node's registry")
    prefix = "e2e-push/team"
    pushed = subprocess.run(
        ["make", "--no-print-directory", "image", "push", f"REGISTRY={node.registry}/{prefix}", "TAG=t1",
         "TLS_VERIFY=false"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("MAKE")})  # fmt: skip
    assert pushed.returncode == 0, pushed.stderr[-3000:]
    assert f"pushed operator to {node.registry}/{prefix}/db-migrate:t1 in " in pushed.stdout
    # REGISTRY/db-migrate:TAG holds the very image the tests run (same manifest, same digest).
    digest = node.registry_digest(f"{prefix}/db-migrate:t1")
    assert digest is not None
    assert digest == node.registry_digest(OPERATOR_TAGS[0])
    status, _headers, body = node.registry_get(f"{prefix}/db-migrate/tags/list")
    assert status == 200 and b'"t1"' in body
