"""kopf registrations: a list of thin adapters from kopf's handler calls to :mod:`runtime`.

Importing this module registers the handlers and nothing else: no environment is read and no
thread or pool is built. The startup handler (:func:`configure`) reads the settings, builds the
shared objects (:class:`runtime.Runtime`: the thread pool, the retry scheduler, the shard
membership) and keeps them in kopf's operator memo as ``memo.runtime``; kopf hands every
handler a copy of that memo, which is how each one reaches them.

Retries and drift checks are scheduled by :mod:`retries` (not kopf's TemporaryError, which
sleeps through new events, nor ``@kopf.timer``, which keeps every object's body, a task and a
finalizer per resource); Kubernetes transport trouble becomes one KubernetesUnavailable line
(:meth:`runtime.Runtime.guarded`).

Replicas share the work (:mod:`shards`): every handler that reconciles, writes status, posts
events or schedules work acts only for resources this replica owns (kopf ``when=`` filters,
which make kopf blind to the others: it stores no state on them), while every replica still
watches every resource, so that it can take a resource over when its owner goes away.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import kopf

from db_migrate.operator import persistence, session
from db_migrate.operator.runtime import KopfEvents, Runtime, resource
from db_migrate.reconciler import metrics
from db_migrate.reconciler.kube import EventSource
from db_migrate.reconciler.reconcile import LOGGED
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.spec import GROUP, PLURAL, VERSION

_RESOURCE = (GROUP, VERSION, PLURAL)


def owned(memo: kopf.Memo, namespace: str | None, name: str | None, **_: Any) -> bool:
    """kopf ``when=``: this replica's resource."""
    runtime: Runtime = memo.runtime
    return runtime.owns(str(namespace), str(name))


@kopf.on.login()
async def login(memo: kopf.Memo, **kwargs: Any) -> kopf.AiohttpSession | None:
    runtime: Runtime = memo.runtime  # kopf logs in after the startup handlers
    return await session.bounded_login(runtime.settings.api_connections, memo=memo, **kwargs)


# PERMANENT: a failure stops the operator. kopf would otherwise call it again a minute later
# (bad settings under `kopf run`: forever), and it is not idempotent: it serves the metrics and
# starts the scheduler's and the membership's threads.
@kopf.on.startup(errors=kopf.ErrorsMode.PERMANENT)
def configure(settings: kopf.OperatorSettings, memo: kopf.Memo, **_: Any) -> None:
    """Read the environment and build the shared objects into ``memo.runtime``.

    ``db-migrate-operator`` passes the Settings it read for kopf's own options (logging,
    namespaces) as ``memo.settings``; ``kopf run -m db_migrate.operator`` reads them here."""
    ours: Settings = memo.get("settings") or Settings.from_env()
    memo.settings = ours
    runtime = memo.runtime = Runtime.build(ours, EventSource(
        settings.posting.reporting_component, settings.posting.reporting_instance,
        settings.posting.event_name_prefix))
    # kopf's bookkeeping without API writes on the usual path (operator/persistence.py): set
    # here and only here, so no other startup handler has to run after this one.
    persistence.install(settings)
    settings.execution.executor = runtime.executor
    settings.execution.max_workers = ours.workers
    # kopf would post each of its own INFO lines ("Handler 'reconcile_handler' succeeded.",
    # "Creation is processed: ...") as an Event too: two more API writes per run, which at
    # 1,000 resources queue behind the useful ones. Our Events (Applied, Succeeded, the
    # warnings) are posted explicitly; kopf's warnings and errors still become Events.
    settings.posting.level = logging.WARNING
    # kopf waits this long for the watch to deliver its own patch before it handles an
    # object again; on a busy API server that takes longer than kopf's default 5 s and kopf
    # then re-ran the creation handler on a stale body (bench: 1,467 runs for 1,000 new
    # resources). The wait ends at once when the event arrives, so a calm cluster never waits.
    settings.persistence.consistency_timeout = 60.0
    # No settings.queueing.worker_limit. With a kopf index it deadlocked a replica started over
    # more resources than the limit (kopf's first workers wait until every listed object is
    # indexed, the objects beyond the limit wait for a worker; kopf issue 1243); the index is
    # gone (reconciler/sourcerefs.py), and the fleet runs (docs/scale.md) kept each replica under
    # 150 MiB at 3,000 resources without the limit. A worker idles 1 s (not 5) after its last
    # event, so bodies are let go sooner.
    settings.queueing.idle_timeout = 1.0
    # Watch streams that silently stop are kopf's most-reported problem: bound them.
    settings.watching.server_timeout = 300
    settings.watching.client_timeout = 330
    settings.watching.connect_timeout = 30
    settings.scanning.disabled = True
    # The Kubernetes client's urllib3 logs a warning per internal retry with a nested repr;
    # we report the outcome as one KubernetesUnavailable line instead.
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    # kopf logs "Handler 'seen' succeeded." for every watch event of every resource (several
    # per run): noise that says nothing. Its failures are still logged.
    logging.getLogger("kopf.objects").addFilter(
        lambda record: not record.getMessage().startswith("Handler 'seen' succeeded"))
    scrub_logs()
    metrics.serve(ours.metrics_port)
    runtime.start()


@kopf.on.cleanup()
async def leave(memo: kopf.Memo, **_: Any) -> None:
    """SIGTERM: delete this replica's Lease, so its peers take its resources over at once.

    A coroutine on the loop's default pool: a sync handler would wait for a free thread of
    the runs' pool, where migrations may still be running."""
    runtime: Runtime | None = memo.get("runtime")  # None: configure failed, nothing started
    if runtime is not None:
        await asyncio.to_thread(runtime.membership.stop)


class _ScrubFilter(logging.Filter):
    """Each log line through the scrubber of every Secret value read so far (kopf's own lines
    too: a handler's exception text, a posted event's message)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if LOGGED:
            record.msg = LOGGED(record.getMessage())
            record.args = None
        return True


def scrub_logs() -> None:
    # On the handlers, not the loggers: a logger's filter does not see its children's records.
    # kopf.objects' own handler posts kopf's warnings and errors as Events.
    for handler in [*logging.getLogger().handlers, *logging.getLogger("kopf.objects").handlers]:
        if not any(isinstance(f, _ScrubFilter) for f in handler.filters):
            handler.addFilter(_ScrubFilter())


@kopf.on.resume(*_RESOURCE, when=owned)
@kopf.on.create(*_RESOURCE, when=owned)
@kopf.on.update(*_RESOURCE, when=owned)
def reconcile_handler(memo: kopf.Memo, body: kopf.Body, namespace: str | None, name: str | None,
                      meta: kopf.Meta, spec: kopf.Spec, status: kopf.Status,
                      logger: kopf.Logger, **_: Any) -> None:
    runtime: Runtime = memo.runtime
    res = resource(namespace, name, meta, spec, status)
    runtime.guarded((res.namespace, res.name), "reconcile_handler", logger,
                    lambda: runtime.handle(res, KopfEvents(body)))


# The quick handlers are coroutines: kopf runs sync handlers (indexes too) on its
# max_workers threads, where they would queue behind the reconciliations.
@kopf.on.event(*_RESOURCE)
async def seen(memo: kopf.Memo, type: str | None, namespace: str | None, name: str | None,
               spec: kopf.Spec, status: kopf.Status, **_: Any) -> None:
    """Every event of a resource: keep it on the drift schedule and note the ConfigMaps it
    reads; DELETED drops everything.

    A watch event, not on.delete: an on.delete handler is called only while a finalizer holds
    the object, and no handler needs one."""
    runtime: Runtime = memo.runtime
    runtime.seen(type, str(namespace), str(name), spec, status)


def _touch(runtime: Runtime, type_: str | None, body: kopf.Body, namespace: str | None,
           name: str | None) -> None:
    """A referenced ConfigMap changed: wake the resources using it (on.update reconciles).

    ``type_`` None is a listing: at start-up every resource is reconciled anyway, and after a
    watch reconnect it is the only news of changes made while disconnected, so a resource is
    woken when the object's resourceVersion differs from the one its last run recorded."""
    labels: Mapping[str, str] = body.get("metadata", {}).get("labels") or {}
    version = str(body.get("metadata", {}).get("resourceVersion", ""))
    for dm, recorded in runtime.source_refs.readers(str(namespace), str(name), labels).items():
        if type_ is None and recorded.get(f"ConfigMap/{name}") == version:
            continue
        if not runtime.owns(str(namespace), dm):
            continue  # its owner wakes it (every replica sees the ConfigMap)
        runtime.scheduler.wake_soon((str(namespace), dm), f"ConfigMap/{name}@{version}")


def _referenced_configmap(memo: kopf.Memo, body: kopf.Body, namespace: str | None, name: str,
                          **_: Any) -> bool:
    # A filter, so that the thousands of unrelated ConfigMap events in a cluster are dropped
    # before kopf runs (and logs) a handler for them.
    labels: Mapping[str, str] = body.get("metadata", {}).get("labels") or {}
    runtime: Runtime = memo.runtime
    return bool(runtime.source_refs.readers(str(namespace), name, labels))


@kopf.on.event("", "v1", "configmaps", when=_referenced_configmap)
async def configmap_changed(memo: kopf.Memo, type: str, body: kopf.Body, namespace: str | None,
                            name: str, **_: Any) -> None:
    _touch(memo.runtime, type, body, namespace, name)


__all__ = ["configmap_changed", "configure", "leave", "login", "reconcile_handler", "seen"]
