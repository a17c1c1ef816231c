"""The few Kubernetes reads and writes the reconciler needs, behind one small class.

kopf watches and patches its own objects; ConfigMaps, Secrets and early status writes go
through the official client.  Errors become engine error types so the reconciler maps them
to conditions: a missing object is transient (it may be created next), RBAC denial too.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from db_migrate.engine.errors import Unavailable
from db_migrate.operator.spec import GROUP, PLURAL, VERSION, ConfigMapSelection


class SecretNotFound(Unavailable):
    reason = "SecretNotFound"


class ConfigMapNotFound(Unavailable):
    reason = "ConfigMapNotFound"


class KubeUnavailable(Unavailable):
    reason = "KubernetesUnavailable"


@functools.cache
def _api_client() -> client.ApiClient:
    try:
        config.load_incluster_config()  # type: ignore[no-untyped-call]
    except config.ConfigException:
        config.load_kube_config()  # type: ignore[no-untyped-call]
    return client.ApiClient()


@dataclass(frozen=True, repr=False)
class SecretObject:
    namespace: str
    name: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]
    resource_version: str
    #: key -> base64 value, as the API returns it; decoded only by credentials.secret_bytes.
    encoded: Mapping[str, str]

    def __repr__(self) -> str:  # never the data, even in a traceback or debug log
        return f"SecretObject({self.namespace}/{self.name}, keys={sorted(self.encoded)})"


class Kube:
    def __init__(self, api_client: client.ApiClient | None = None) -> None:
        api = api_client or _api_client()
        self.core = client.CoreV1Api(api)
        self.custom = client.CustomObjectsApi(api)

    def secret(self, namespace: str, name: str) -> SecretObject:
        """The Secret's metadata and still-encoded data: nothing is decoded before the
        allow check (operator/credentials.py)."""
        try:
            secret = self.core.read_namespaced_secret(name, namespace)
        except ApiException as exc:
            if exc.status == 404:
                raise SecretNotFound(f"Secret {namespace}/{name} not found") from None
            raise KubeUnavailable(f"cannot read Secret {namespace}/{name}: HTTP {exc.status} "
                                  f"{exc.reason}") from None
        meta = secret.metadata or client.V1ObjectMeta()
        return SecretObject(
            namespace=namespace, name=name,
            labels={str(k): str(v) for k, v in (meta.labels or {}).items()},
            annotations={str(k): str(v) for k, v in (meta.annotations or {}).items()},
            resource_version=str(meta.resource_version or ""),
            encoded={str(k): str(v) for k, v in (secret.data or {}).items()},
        )

    def configmaps(self, namespace: str, selection: ConfigMapSelection) -> list[Any]:
        """The selected ConfigMaps, sorted by name so merging is deterministic."""
        try:
            if selection.names:
                found = []
                for name in selection.names:
                    try:
                        found.append(self.core.read_namespaced_config_map(name, namespace))
                    except ApiException as exc:
                        if exc.status == 404:
                            raise ConfigMapNotFound(
                                f"ConfigMap {namespace}/{name} not found") from None
                        raise
                return found
            listed = self.core.list_namespaced_config_map(
                namespace, label_selector=selection.label_selector())
            if not listed.items:
                raise ConfigMapNotFound(
                    f"no ConfigMap in {namespace} matches {selection.label_selector()}")
            return sorted(listed.items, key=lambda cm: cm.metadata.name)
        except ApiException as exc:
            raise KubeUnavailable(f"cannot read ConfigMaps in {namespace}: HTTP {exc.status} "
                                  f"{exc.reason}") from None

    def patch_status(self, namespace: str, name: str, status: Mapping[str, Any]) -> None:
        self.custom.patch_namespaced_custom_object_status(
            GROUP, VERSION, namespace, PLURAL, name, {"status": dict(status)})

    def annotate(self, namespace: str, name: str, annotations: Mapping[str, str]) -> None:
        self.custom.patch_namespaced_custom_object(
            GROUP, VERSION, namespace, PLURAL, name, {"metadata": {"annotations": dict(annotations)}})
