"""kopf registrations: every handler is a few lines that delegate to :mod:`reconcile`."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import kopf

from db_migrate.operator import metrics
from db_migrate.operator.kube import Kube
from db_migrate.operator.reconcile import Next, Resource, reconcile
from db_migrate.operator.settings import SETTINGS
from db_migrate.operator.spec import GROUP, PLURAL, VERSION, parse

#: Bumped when a referenced ConfigMap or Secret changes, so that on.update reconciles.
SOURCE_REVISION = f"{GROUP}/source-revision"
#: kopf ignores annotations under its own storage prefix when diffing, so the prefix for its
#: bookkeeping must differ from the one of SOURCE_REVISION.
KOPF_PREFIX = f"operator.{GROUP}"
_RESOURCE = (GROUP, VERSION, PLURAL)
#: Reconciling reasons that heal by themselves (docs/operator.md).
TRANSIENT_REASONS = ("DatabaseUnavailable", "LockTimeout", "SecretNotFound", "ConfigMapNotFound",
                     "KubernetesUnavailable")


class KopfEvents:
    def __init__(self, body: kopf.Body) -> None:
        self.body = body

    def normal(self, reason: str, message: str) -> None:
        kopf.info(self.body, reason=reason, message=message)

    def warning(self, reason: str, message: str) -> None:
        kopf.warn(self.body, reason=reason, message=message)


@kopf.on.startup()
def configure(settings: kopf.OperatorSettings, **_: Any) -> None:
    # Our own prefixes, so kopf's bookkeeping is recognisably ours and not pruned from status.
    settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=KOPF_PREFIX)
    settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=KOPF_PREFIX, key="last-handled-configuration")
    settings.persistence.finalizer = f"{KOPF_PREFIX}/finalizer"
    settings.execution.max_workers = SETTINGS.workers
    settings.posting.level = logging.INFO
    # Watch streams that silently stop are kopf's most-reported problem: bound them.
    settings.watching.server_timeout = 300
    settings.watching.client_timeout = 330
    settings.watching.connect_timeout = 30
    settings.scanning.disabled = True
    metrics.serve(SETTINGS.metrics_port)


def _resource(namespace: str | None, name: str | None, meta: Mapping[str, Any],
              spec: Mapping[str, Any], status: Mapping[str, Any]) -> Resource:
    return Resource(str(namespace), str(name), int(meta.get("generation") or 0), spec, status)


@kopf.on.resume(*_RESOURCE)
@kopf.on.create(*_RESOURCE)
@kopf.on.update(*_RESOURCE)
def reconcile_handler(body: kopf.Body, namespace: str | None, name: str | None, meta: kopf.Meta,
                      spec: kopf.Spec, status: kopf.Status, retry: int, **_: Any) -> None:
    result = reconcile(_resource(namespace, name, meta, spec, status), Kube(), SETTINGS,
                       KopfEvents(body), attempt=retry)
    if result.next is Next.RETRY:
        raise kopf.TemporaryError(result.message, delay=result.delay_s)
    if result.next is Next.STALLED:
        # Retried when the spec or the source changes (the source-revision annotation).
        raise kopf.PermanentError(result.message)


@kopf.timer(*_RESOURCE, interval=SETTINGS.drift_interval_s, initial_delay=SETTINGS.drift_interval_s)
def drift_check(body: kopf.Body, namespace: str | None, name: str | None, meta: kopf.Meta,
                spec: kopf.Spec, status: kopf.Status, **_: Any) -> None:
    res = _resource(namespace, name, meta, spec, status)
    retrying = any(c.get("type") == "Reconciling" and c.get("status") == "True"
                   and c.get("reason") in TRANSIENT_REASONS for c in res.conditions)
    if not (res.ready() or retrying):
        return  # new, progressing, suspended or Stalled: the change handlers own it
    kube = Kube()
    # Ready: read history, apply only if something is pending. Retrying: a watchdog attempt,
    # because kopf's retry bookkeeping lives in annotations that another replica may clear.
    result = reconcile(res, kube, SETTINGS, KopfEvents(body), drift_check=res.ready())
    if result.next is Next.RETRY:
        # The timer skips resources that are not Ready, so hand the retries to the change
        # handler (kopf backoff, forever) instead of leaving the resource Reconciling unwatched.
        kube.annotate(str(namespace), str(name), {SOURCE_REVISION: f"drift-check@{time.time():.0f}"})


@kopf.index(*_RESOURCE)
def source_refs(namespace: str | None, name: str | None, spec: kopf.Spec,
                **_: Any) -> dict[tuple[str, str, str], tuple[str, tuple[tuple[str, str], ...]]]:
    """(namespace, kind, name-or-'*') -> (resource, label selector) for every referenced object."""
    try:
        parsed = parse(spec)
    except Exception:
        return {}
    refs: dict[tuple[str, str, str], tuple[str, tuple[tuple[str, str], ...]]] = {}
    for secret in parsed.connection.secret_names():
        refs[(str(namespace), "Secret", secret)] = (str(name), ())
    for selection in parsed.source.selections():
        for cm in selection.names:
            refs[(str(namespace), "ConfigMap", cm)] = (str(name), ())
        if selection.match_labels:
            selector = tuple(sorted(selection.match_labels.items()))
            refs[(str(namespace), "ConfigMap", "*")] = (str(name), selector)
    return refs


def _referencing(index: kopf.Index[Any, Any], namespace: str, kind: str, name: str,
                 labels: Mapping[str, str]) -> set[str]:
    found = {dm for dm, _ in index.get((namespace, kind, name), [])}
    for dm, selector in index.get((namespace, kind, "*"), []):
        if selector and all(labels.get(k) == v for k, v in selector):
            found.add(dm)
    return found


def _touch(kind: str, type_: str | None, body: kopf.Body, namespace: str | None, name: str | None,
           index: kopf.Index[Any, Any]) -> None:
    """A referenced ConfigMap or Secret changed: bump an annotation so on.update reconciles."""
    if type_ is None:  # the initial listing; on.resume covers existing resources
        return
    labels: Mapping[str, str] = body.get("metadata", {}).get("labels") or {}
    revision = f"{kind}/{name}@{body.get('metadata', {}).get('resourceVersion', '')}"
    kube = Kube()
    for dm in _referencing(index, str(namespace), kind, str(name), labels):
        kube.annotate(str(namespace), dm, {SOURCE_REVISION: revision})


def _referenced_configmap(body: kopf.Body, namespace: str | None, name: str, **kwargs: Any) -> bool:
    # A filter, so that the thousands of unrelated ConfigMap/Secret events in a cluster are
    # dropped before kopf runs (and logs) a handler for them.
    labels: Mapping[str, str] = body.get("metadata", {}).get("labels") or {}
    return bool(_referencing(kwargs["source_refs"], str(namespace), "ConfigMap", name, labels))


@kopf.on.event("", "v1", "configmaps", when=_referenced_configmap)
def configmap_changed(type: str, body: kopf.Body, namespace: str | None, name: str,
                      **kwargs: Any) -> None:
    _touch("ConfigMap", type, body, namespace, name, kwargs["source_refs"])


__all__ = ["configure", "drift_check", "reconcile_handler", "source_refs"]
