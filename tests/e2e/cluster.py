"""The end-to-end suite's view of a real node: kubectl, a namespace with the dev databases, psql
inside the database Pods, and polling for DatabaseMigration status."""

from __future__ import annotations

import json
import secrets
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testkit.controlplane import ControlPlane
from testkit.node import Node

ROOT = Path(__file__).resolve().parents[2]
#: Who owns each dev database: (user, dbname), as in deploy/dev-databases/ and deploy/examples/.
DATABASES = {"postgres": ("es1", "es1"), "aiml-postgres": ("aiml", "aiml")}


@dataclass
class NodeCluster:
    """A cluster with a real node: the local one (scripts/cluster up --node) or kind's."""

    plane: ControlPlane
    #: The local node (its registry among the rest); None for an external cluster.
    node: Node | None = None

    def kubectl(self, *args: str, input: str | None = None, check: bool = True,
                timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        return self.plane.kubectl(*args, input=input, check=check, timeout=timeout)

    def workspace(self, prefix: str) -> Workspace:
        namespace = f"{prefix}-{secrets.token_hex(3)}"
        self.kubectl("create", "namespace", namespace)
        return Workspace(self, namespace)


@dataclass
class Workspace:
    """One namespace of the node's cluster."""

    cluster: NodeCluster
    namespace: str

    def __call__(self, *args: str, input: str | None = None, timeout: float = 60.0) -> str:
        return self.cluster.kubectl("-n", self.namespace, *args, input=input, timeout=timeout).stdout

    def start_databases(self) -> None:
        self("apply", "-f", str(ROOT / "deploy" / "dev-databases"))
        self("wait", "--for=condition=Available", "deploy", "--all", "--timeout=180s", timeout=200)

    def psql(self, database: str, sql: str) -> str:
        user, dbname = DATABASES[database]
        # Over the server's own Unix socket, which trusts local connections: no password here.
        out = self("exec", f"deploy/{database}", "--", "psql", "-U", user, "-d", dbname,
                   "-v", "ON_ERROR_STOP=1", "-Atc", sql)
        return out.strip()

    def get_dbm(self, name: str) -> dict[str, Any]:
        return dict(json.loads(self("get", "dbm", name, "-o", "json")))

    def wait_dbm(self, name: str, predicate: Callable[[dict[str, Any]], bool], *, what: str,
                 timeout: float = 120.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        obj = self.get_dbm(name)
        while not predicate(obj):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what} on {name}: "
                                     f"{json.dumps(obj.get('status'), indent=1)}")
            time.sleep(0.5)
            obj = self.get_dbm(name)
        return obj

    def add_configmap_key(self, configmap: str, key: str, value: str) -> None:
        patch = json.dumps({"data": {key: value}})
        self("patch", "configmap", configmap, "--type=merge", "-p", patch)
