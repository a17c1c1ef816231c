"""An in-memory :class:`~db_migrate.reconciler.kube.Kube` for reconciler tests without a cluster.

It holds one DatabaseMigration (:class:`FakeKube`) or many (:class:`FakeFleet`), their Secrets
and ConfigMaps, and keeps the API server's rules
that the reconciler relies on: a missing object raises the same errors as the real client,
status writes are JSON merge patches (null deletes a key) conditional on the resourceVersion
(a stale one raises Conflict), and every write bumps the resourceVersion.  Each status patch
is recorded so a test can assert what was written, in order.
"""

from __future__ import annotations

import base64
import copy
import threading
from collections.abc import Mapping
from typing import Any

from kubernetes.client import V1ConfigMap, V1ObjectMeta

from db_migrate.reconciler.kube import (
    ConfigMapNotFound,
    Conflict,
    SecretNotFound,
    SecretObject,
)
from db_migrate.reconciler.reconcile import Resource
from db_migrate.reconciler.spec import ConfigMapSelection


def merge_patch(target: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """RFC 7386, as the API server applies ``application/merge-patch+json``."""
    out = dict(target)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping):
            current = out.get(key)
            out[key] = merge_patch(current if isinstance(current, Mapping) else {}, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


class FakeKube:
    def __init__(self, namespace: str, name: str, spec: Mapping[str, Any]) -> None:
        self.namespace = namespace
        self.name = name
        self.seen: dict[str, str] = {}
        self._version = 1
        self.obj: dict[str, Any] = {
            "metadata": {"namespace": namespace, "name": name, "generation": 1,
                         "resourceVersion": "1"},
            "spec": dict(spec),
            "status": {},
        }
        self._secrets: dict[str, SecretObject] = {}
        #: name -> (object, labels, resourceVersion)
        self._configmaps: dict[str, tuple[V1ConfigMap, dict[str, str], str]] = {}
        #: Every status patch written, in order.
        self.patches: list[dict[str, Any]] = []

    def _bump(self) -> str:
        self._version += 1
        return str(self._version)

    # ------------------------------------------------------------------ arranging

    def put_secret(self, name: str, data: Mapping[str, str], *, labels: Mapping[str, str] = {},
                   annotations: Mapping[str, str] = {}) -> None:
        encoded = {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
        self._secrets[name] = SecretObject(self.namespace, name, dict(labels), dict(annotations),
                                           self._bump(), encoded)

    def put_configmap(self, name: str, data: Mapping[str, str], *,
                      labels: Mapping[str, str] | None = None) -> None:
        version = self._bump()
        meta = V1ObjectMeta(name=name, namespace=self.namespace, labels=dict(labels or {}),
                            resource_version=version)
        self._configmaps[name] = (V1ConfigMap(metadata=meta, data=dict(data)), dict(labels or {}),
                                  version)

    def update_spec(self, **changes: Any) -> None:
        """A user edit: the spec changes and metadata.generation moves on."""
        self.obj["spec"] = {**self.obj["spec"], **changes}
        self.obj["metadata"]["generation"] += 1
        self.obj["metadata"]["resourceVersion"] = self._bump()

    def resource(self) -> Resource:
        """The resource as kopf hands it to a handler: the latest spec, status and version."""
        meta = self.obj["metadata"]
        return Resource(self.namespace, self.name, int(meta["generation"]),
                        copy.deepcopy(self.obj["spec"]), copy.deepcopy(self.obj["status"]),
                        str(meta["resourceVersion"]))

    # ------------------------------------------------------------------ the Kube protocol

    def secret(self, namespace: str, name: str) -> SecretObject:
        found = self._secrets.get(name) if namespace == self.namespace else None
        if found is None:
            raise SecretNotFound(f"Secret {namespace}/{name} not found")
        return found

    def configmaps(self, namespace: str, selection: ConfigMapSelection) -> list[Any]:
        mine = self._configmaps if namespace == self.namespace else {}
        if selection.names:
            missing = [n for n in selection.names if n not in mine]
            if missing:
                raise ConfigMapNotFound(f"ConfigMap {namespace}/{missing[0]} not found")
            names = list(selection.names)
        else:
            names = sorted(n for n, (_, labels, _) in mine.items() if selection.matches(n, labels))
            if not names:
                raise ConfigMapNotFound(
                    f"no ConfigMap in {namespace} matches {selection.label_selector()}")
        for name in names:
            self.seen[f"ConfigMap/{name}"] = mine[name][2]
        found = [mine[name][0] for name in names]
        return found

    def get(self, namespace: str, name: str) -> Mapping[str, Any]:
        assert (namespace, name) == (self.namespace, self.name)
        return copy.deepcopy(self.obj)

    def patch_status(self, namespace: str, name: str, status: Mapping[str, Any],
                     resource_version: str | None = None) -> str:
        assert (namespace, name) == (self.namespace, self.name)
        if resource_version and resource_version != self.obj["metadata"]["resourceVersion"]:
            raise Conflict(f"{namespace}/{name} changed since resourceVersion {resource_version}")
        self.patches.append(copy.deepcopy(dict(status)))
        self.obj["status"] = merge_patch(self.obj["status"], status)
        self.obj["metadata"]["resourceVersion"] = self._bump()
        return str(self.obj["metadata"]["resourceVersion"])


class FakeFleet:
    """Many DatabaseMigrations in one in-memory namespace, sharing its ConfigMaps and Secrets
    (``bench/fleet_sim.py``: the reconciler at 10,000 resources without an API server).

    The same rules as :class:`FakeKube` (merge-patch status writes conditional on the
    resourceVersion, a version bumped by every write, the client's errors); :meth:`kube`
    gives one run its own view, as the operator gives each run its own client (``seen`` is
    per run). Thread-safe: runs share the fleet from a pool."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self._version = 1
        self._lock = threading.Lock()
        self.objects: dict[str, dict[str, Any]] = {}
        self._secrets: dict[str, SecretObject] = {}
        self._configmaps: dict[str, tuple[V1ConfigMap, dict[str, str], str]] = {}
        #: Status writes and conflicts, in all.
        self.writes = 0
        self.conflicts = 0

    def _bump(self) -> str:
        with self._lock:
            self._version += 1
            return str(self._version)

    def add(self, name: str, spec: Mapping[str, Any]) -> None:
        self.objects[name] = {"metadata": {"namespace": self.namespace, "name": name,
                                           "generation": 1, "resourceVersion": self._bump()},
                              "spec": dict(spec), "status": {}}

    def put_secret(self, name: str, data: Mapping[str, str], *,
                   labels: Mapping[str, str] = {}) -> None:
        encoded = {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}
        self._secrets[name] = SecretObject(self.namespace, name, dict(labels), {}, self._bump(),
                                           encoded)

    def put_configmap(self, name: str, data: Mapping[str, str]) -> None:
        version = self._bump()
        meta = V1ObjectMeta(name=name, namespace=self.namespace, labels={},
                            resource_version=version)
        self._configmaps[name] = (V1ConfigMap(metadata=meta, data=dict(data)), {}, version)

    def resource(self, name: str) -> Resource:
        obj = self.objects[name]
        meta = obj["metadata"]
        return Resource(self.namespace, name, int(meta["generation"]), copy.deepcopy(obj["spec"]),
                        copy.deepcopy(obj["status"]), str(meta["resourceVersion"]))

    def kube(self) -> _FleetView:
        return _FleetView(self)


class _FleetView:
    """One run's :class:`~db_migrate.reconciler.kube.Kube` onto a :class:`FakeFleet`."""

    def __init__(self, fleet: FakeFleet) -> None:
        self.fleet = fleet
        self.seen: dict[str, str] = {}

    def secret(self, namespace: str, name: str) -> SecretObject:
        found = self.fleet._secrets.get(name) if namespace == self.fleet.namespace else None
        if found is None:
            raise SecretNotFound(f"Secret {namespace}/{name} not found")
        return found

    def configmaps(self, namespace: str, selection: ConfigMapSelection) -> list[Any]:
        mine = self.fleet._configmaps if namespace == self.fleet.namespace else {}
        missing = [n for n in selection.names if n not in mine]
        if missing or not selection.names:
            raise ConfigMapNotFound(f"ConfigMap {namespace}/{(missing or ['?'])[0]} not found")
        for name in selection.names:
            self.seen[f"ConfigMap/{name}"] = mine[name][2]
        return [mine[name][0] for name in selection.names]

    def get(self, namespace: str, name: str) -> Mapping[str, Any]:
        return copy.deepcopy(self.fleet.objects[name])

    def patch_status(self, namespace: str, name: str, status: Mapping[str, Any],
                     resource_version: str | None = None) -> str:
        fleet = self.fleet
        obj = fleet.objects[name]
        with fleet._lock:
            if resource_version and resource_version != obj["metadata"]["resourceVersion"]:
                fleet.conflicts += 1
                raise Conflict(f"{namespace}/{name} changed since resourceVersion {resource_version}")
            fleet.writes += 1
            obj["status"] = merge_patch(obj["status"], status)
            fleet._version += 1
            obj["metadata"]["resourceVersion"] = str(fleet._version)
            return str(fleet._version)
