"""Operator integration fixtures: deploy/ installed on the real API server, the operator
running as a process under its ServiceAccount token, real PostgreSQL behind it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from testkit import operator_process
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess

#: Fast retries in tests: the production defaults (5 s doubling to 300 s) are for real outages.
FAST = {"DB_MIGRATE_RETRY_BASE": "1", "DB_MIGRATE_RETRY_MAX": "4", "DB_MIGRATE_DRIFT_INTERVAL": "600"}


@pytest.fixture(scope="session")
def installed(control_plane: ControlPlane) -> ControlPlane:
    operator_process.install(control_plane)
    return control_plane


@pytest.fixture(scope="module")
def operator(installed: ControlPlane, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OperatorProcess]:
    # Module scope: a cluster-wide operator left running would reconcile (and rewrite the status
    # of) objects that other test modules create on the same API server.
    op = operator_process.start(installed, tmp_path_factory.mktemp("operator"), env=FAST)
    yield op
    op.stop()


class Kubectl:
    def __init__(self, plane: ControlPlane, namespace: str) -> None:
        self.plane = plane
        self.namespace = namespace

    def __call__(self, *args: str, input: str | None = None, check: bool = True) -> str:
        return self.plane.kubectl("-n", self.namespace, *args, input=input, check=check).stdout

    def apply(self, manifest: str) -> str:
        return self("apply", "-f", "-", input=manifest)

    def get(self, name: str) -> dict[str, Any]:
        return dict(json.loads(self("get", "dbm", name, "-o", "json")))

    def condition(self, name: str, ctype: str) -> dict[str, Any]:
        conds = self.get(name).get("status", {}).get("conditions") or []
        return next((c for c in conds if c["type"] == ctype), {})

    def wait_for(self, name: str, predicate: Callable[[dict[str, Any]], bool], timeout: float = 60,
                 what: str = "condition") -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        obj = self.get(name)
        while not predicate(obj):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what} on {name}: {json.dumps(obj.get('status'), indent=1)}")
            time.sleep(0.3)
            obj = self.get(name)
        return obj


@pytest.fixture
def kube(installed: ControlPlane, k8s_namespace: str) -> Kubectl:
    return Kubectl(installed, k8s_namespace)


def cond(obj: dict[str, Any], ctype: str) -> dict[str, Any]:
    return next((c for c in obj.get("status", {}).get("conditions") or [] if c["type"] == ctype), {})


ALLOW = {"migrations.es1.dev/allow": "true"}


def secret(name: str, url: str, *, labels: dict[str, str] | None = ALLOW,
           annotations: dict[str, str] | None = None, key: str = "url") -> str:
    """A Secret holding ``url``; by default its owner allows every DatabaseMigration to use it."""
    meta = {"name": name, "labels": labels or {}, "annotations": annotations or {}}
    return json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": meta,
                       "stringData": {key: url}})


def dbm(name: str, database: str, secret_name: str, **spec: Any) -> str:
    body = {"database": database, "connection": {"urlSecretRef": {"name": secret_name}}, **spec}
    return json.dumps({"apiVersion": "migrations.es1.dev/v1alpha1", "kind": "DatabaseMigration",
                       "metadata": {"name": name}, "spec": body})


def configmap(name: str, files: dict[str, str], labels: dict[str, str] | None = None) -> str:
    return json.dumps({"apiVersion": "v1", "kind": "ConfigMap",
                       "metadata": {"name": name, "labels": labels or {}}, "data": files})


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path
