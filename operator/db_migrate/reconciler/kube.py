"""The few Kubernetes reads and writes the reconciler needs, behind one small class.

kopf watches and patches its own objects; ConfigMaps, Secrets and early status writes go
through the official client.  Errors become engine error types so the reconciler maps them
to conditions: a missing object is transient (it may be created next), RBAC denial too.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import urllib3.exceptions
from kubernetes import client, config
from kubernetes.client.exceptions import ApiException

from db_migrate.engine.errors import Unavailable
from db_migrate.reconciler.spec import GROUP, PLURAL, VERSION, ConfigMapSelection

log = logging.getLogger(__name__)


class SecretNotFound(Unavailable):
    reason = "SecretNotFound"


class ConfigMapNotFound(Unavailable):
    reason = "ConfigMapNotFound"


class KubeUnavailable(Unavailable):
    reason = "KubernetesUnavailable"


class Conflict(Exception):
    """A status write lost an optimistic-concurrency race (HTTP 409): re-read and decide."""


#: What the client raises when the API server cannot be reached or answers with trouble that
#: heals by itself: urllib3's connection and retry errors, ssl and socket errors (OSError),
#: timeouts.  ApiException 5xx/429 are handled by :func:`transport_error`.
TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    urllib3.exceptions.HTTPError, OSError, TimeoutError)


def transport_error(exc: BaseException, what: str) -> KubeUnavailable | None:
    """``exc`` as one line of KubernetesUnavailable, or None if it is not transport trouble."""
    if isinstance(exc, KubeUnavailable):
        return exc
    if isinstance(exc, ApiException):
        if exc.status in (None, 0, 429) or (exc.status or 0) >= 500:
            return KubeUnavailable(f"{what}: HTTP {exc.status} {exc.reason}")
        return None
    if isinstance(exc, TRANSPORT_ERRORS):
        # urllib3's messages embed the pool, URL and a nested repr: keep the class and the
        # first line only, so logs and status get one readable line.
        if isinstance(exc, urllib3.exceptions.MaxRetryError) and exc.reason is not None:
            pool = exc.pool
            where = f"{pool.host}:{pool.port}: " if pool is not None else ""
            return KubeUnavailable(f"{what}: API server unreachable "
                                   f"({where}{type(exc.reason).__name__})")
        detail = " ".join(str(exc).split())[:240]
        return KubeUnavailable(f"{what}: API server unreachable ({type(exc).__name__}: {detail})")
    return None


@contextlib.contextmanager
def api_call(what: str) -> Iterator[None]:
    try:
        yield
    except BaseException as exc:
        mapped = transport_error(exc, what)
        if mapped is None or mapped is exc:
            raise
        raise mapped from None


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


class Kube(Protocol):
    """What the reconciler needs from Kubernetes (:class:`KubeClient` is the real one; the tests'
    fake holds Secrets, ConfigMaps and the resource in memory)."""

    #: "ConfigMap/<name>" -> resourceVersion of every ConfigMap read through this instance.
    seen: dict[str, str]

    def secret(self, namespace: str, name: str) -> SecretObject: ...

    def configmaps(self, namespace: str, selection: ConfigMapSelection) -> list[Any]: ...

    def get(self, namespace: str, name: str) -> Mapping[str, Any]: ...

    def patch_status(self, namespace: str, name: str, status: Mapping[str, Any],
                     resource_version: str | None = None) -> str: ...


class KubeClient:
    """:class:`Kube` through the official client."""

    def __init__(self, api_client: client.ApiClient | None = None) -> None:
        api = api_client or _api_client()
        self.core = client.CoreV1Api(api)
        self.custom = client.CustomObjectsApi(api)
        #: "ConfigMap/<name>" -> resourceVersion of every ConfigMap read through this instance,
        #: recorded in status.sourceRevisions so that a re-list can tell what changed unseen.
        self.seen: dict[str, str] = {}
        #: Secret name -> what :meth:`secret_revision` would say, for every Secret this
        #: instance read: a failed run hands them to the retry scheduler without reading again.
        self.secret_revisions: dict[str, str] = {}

    def secret(self, namespace: str, name: str) -> SecretObject:
        """The Secret's metadata and still-encoded data: nothing is decoded before the
        allow check (reconciler/credentials.py)."""
        with api_call(f"cannot read Secret {namespace}/{name}"):
            try:
                secret = self.core.read_namespaced_secret(name, namespace)
            except ApiException as exc:
                if exc.status in (403, 404):
                    self.secret_revisions[name] = "" if exc.status == 404 else "forbidden"
                if exc.status == 404:
                    raise SecretNotFound(f"Secret {namespace}/{name} not found") from None
                raise KubeUnavailable(f"cannot read Secret {namespace}/{name}: HTTP {exc.status} "
                                      f"{exc.reason}") from None
        meta = secret.metadata or client.V1ObjectMeta()
        self.secret_revisions[name] = str(meta.resource_version or "unknown")
        return SecretObject(
            namespace=namespace, name=name,
            labels={str(k): str(v) for k, v in (meta.labels or {}).items()},
            annotations={str(k): str(v) for k, v in (meta.annotations or {}).items()},
            resource_version=str(meta.resource_version or ""),
            encoded={str(k): str(v) for k, v in (secret.data or {}).items()},
        )

    def configmaps(self, namespace: str, selection: ConfigMapSelection) -> list[Any]:
        """The selected ConfigMaps, sorted by name so merging is deterministic."""
        with api_call(f"cannot read ConfigMaps in {namespace}"):
            found = self._configmaps(namespace, selection)
        for cm in found:
            self.seen[f"ConfigMap/{cm.metadata.name}"] = str(cm.metadata.resource_version)
        return found

    def _configmaps(self, namespace: str, selection: ConfigMapSelection) -> list[Any]:
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

    def secret_revision(self, namespace: str, name: str) -> str:
        """The Secret's resourceVersion, "" if it does not exist; its data is not used.

        Secrets are not watched (RBAC grants get only): resources that are retrying or Stalled
        poll their Secrets with this about once a second, so a fix is noticed at once."""
        with api_call(f"cannot read Secret {namespace}/{name}"):
            try:
                secret = self.core.read_namespaced_secret(name, namespace)
            except ApiException as exc:
                if exc.status == 404:
                    return ""
                if exc.status == 403:
                    return "forbidden"
                raise
        meta = secret.metadata
        return str(meta.resource_version) if meta is not None else "unknown"

    def get(self, namespace: str, name: str) -> Mapping[str, Any]:
        with api_call(f"cannot read DatabaseMigration {namespace}/{name}"):
            obj: dict[str, Any] = self.custom.get_namespaced_custom_object(
                GROUP, VERSION, namespace, PLURAL, name)  # type: ignore[assignment]
        return obj

    def patch_status(self, namespace: str, name: str, status: Mapping[str, Any],
                     resource_version: str | None = None) -> str:
        """Merge-patch /status; with ``resource_version`` the write is conditional (409 ->
        :class:`Conflict`), so a stale replica cannot overwrite a newer status. Returns the
        object's new resourceVersion."""
        body: dict[str, Any] = {"status": dict(status)}
        if resource_version:
            body["metadata"] = {"resourceVersion": resource_version}
        with api_call(f"cannot write the status of {namespace}/{name}"):
            try:
                obj: dict[str, Any] = self.custom.patch_namespaced_custom_object_status(
                    GROUP, VERSION, namespace, PLURAL, name, body)  # type: ignore[assignment]
            except ApiException as exc:
                if exc.status == 409:
                    raise Conflict(f"{namespace}/{name} changed since resourceVersion "
                                   f"{resource_version}") from None
                raise
        return str((obj.get("metadata") or {}).get("resourceVersion") or "")

    def annotate(self, namespace: str, name: str, annotations: Mapping[str, str]) -> None:
        with api_call(f"cannot annotate {namespace}/{name}"):
            self.custom.patch_namespaced_custom_object(
                GROUP, VERSION, namespace, PLURAL, name,
                {"metadata": {"annotations": dict(annotations)}})


#: The longest Event message; a longer one keeps its start and end (kopf cuts the same way).
MAX_EVENT_MESSAGE = 1024


@dataclass(frozen=True)
class EventSource:
    """Who posts an Event (kopf's ``settings.posting``, so ours read the same as kopf's)."""

    component: str = "kopf"
    instance: str = "dev"
    name_prefix: str = "kopf-event-"


class KubeEvents:
    """Events on one DatabaseMigration, posted through the official client: for code that runs
    outside kopf's handlers (the drift checks), where ``kopf.event`` has no queue to post to.

    The body is the one kopf would post (core/v1, a plain create, from ``source``). A failure
    is logged as one line and ignored, as kopf does: an Event is never worth failing a run
    for."""

    def __init__(self, obj: Mapping[str, Any], source: EventSource = EventSource(),
                 api_client: client.ApiClient | None = None) -> None:
        meta = obj.get("metadata") or {}
        self.namespace = str(meta.get("namespace") or "default")
        self.reference = {"apiVersion": str(obj.get("apiVersion") or f"{GROUP}/{VERSION}"),
                          "kind": str(obj.get("kind") or "DatabaseMigration"),
                          "namespace": self.namespace, "name": str(meta.get("name") or ""),
                          "uid": str(meta.get("uid") or "")}
        self.source = source
        self.core = client.CoreV1Api(api_client or _api_client())

    def normal(self, reason: str, message: str) -> None:
        self.post("Normal", reason, message)

    def warning(self, reason: str, message: str) -> None:
        self.post("Warning", reason, message)

    def post(self, type_: str, reason: str, message: str) -> None:
        if len(message) > MAX_EVENT_MESSAGE:
            half = (MAX_EVENT_MESSAGE - 3) // 2
            message = f"{message[:half]}...{message[-half:]}"
        now = datetime.datetime.now(datetime.UTC).isoformat()
        source = self.source
        body: dict[str, Any] = {
            "metadata": {"namespace": self.namespace, "generateName": source.name_prefix},
            "type": type_, "reason": reason, "message": message, "action": reason,
            "reportingComponent": source.component, "reportingInstance": source.instance,
            "source": {"component": source.component}, "involvedObject": self.reference,
            "firstTimestamp": now, "lastTimestamp": now, "eventTime": now}
        try:
            with api_call(f"cannot post Event {reason} on {self.namespace}/"
                          f"{self.reference['name']}"):
                # The client takes the plain dict as it is (a JSON body, like kopf's).
                self.core.create_namespaced_event(self.namespace, body)  # type: ignore[arg-type]
        except Exception as exc:
            log.warning("Event %s %s not posted: %s", type_, reason,
                        " ".join(str(exc).split())[:240])
