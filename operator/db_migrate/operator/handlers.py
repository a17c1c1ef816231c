"""kopf registrations: every handler is a few lines that delegate to :mod:`reconcile`.

Importing this module registers the handlers and reads the environment (SETTINGS): only the
operator's entry points import it (``db_migrate.operator``, ``db_migrate.operator.main``).

Retries and drift checks are scheduled by :mod:`retries` (not kopf's TemporaryError, which
sleeps through new events, nor ``@kopf.timer``, which keeps every object's body, a task and a
finalizer per resource); every handler maps Kubernetes transport trouble to one
KubernetesUnavailable line.

Replicas share the work (:mod:`shards`): every handler that reconciles, writes status, posts
events or schedules work acts only for resources this replica owns (kopf ``when=`` filters,
which make kopf blind to the others: it stores no state on them), while every replica still
watches every resource, so that it can take a resource over when its owner goes away.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar, cast

import kopf
from kubernetes.client.exceptions import ApiException

from db_migrate.operator import session
from db_migrate.operator.executor import PriorityExecutor
from db_migrate.reconciler import metrics
from db_migrate.reconciler.kube import KubeClient, transport_error
from db_migrate.reconciler.leases import KubeLeases
from db_migrate.reconciler.reconcile import LOGGED, Next, Resource, Result, reconcile
from db_migrate.reconciler.retries import Key, Scheduler
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.shards import Membership, identity, scope_label
from db_migrate.reconciler.spec import GROUP, PLURAL, VERSION, parse

#: Bumped when a referenced ConfigMap or Secret changes or a retry is due, so that on.update
#: reconciles.
SOURCE_REVISION = f"{GROUP}/source-revision"
#: kopf ignores annotations under its own storage prefix when diffing, so the prefix for its
#: bookkeeping must differ from the one of SOURCE_REVISION.
KOPF_PREFIX = f"operator.{GROUP}"
_RESOURCE = (GROUP, VERSION, PLURAL)
#: Read once, when the operator starts (this module is imported only then).
SETTINGS = Settings.from_env()
#: kopf's pool for sync handlers, ours too: drift checks run on it, so runs and checks together
#: never hold more than DB_MIGRATE_WORKERS PostgreSQL connections.
EXECUTOR = PriorityExecutor(max_workers=SETTINGS.workers, thread_name_prefix="db-migrate-run")
#: kopf.event() reads kopf's context variables (its event queue, loop and settings), which kopf
#: sets only around handler calls: the first handler call keeps a copy for the drift checks.
_KOPF_CONTEXT: list[contextvars.Context] = []
#: Resources being reconciled by a handler now: a drift check of one is skipped.
_RUNNING: set[tuple[str, str]] = set()
_RUNNING_LOCK = threading.Lock()
_LOG = logging.getLogger(__name__)


def _wake(namespace: str, name: str, revision: str) -> None:
    KubeClient().annotate(namespace, name, {SOURCE_REVISION: revision})


def _secret_revision(namespace: str, name: str) -> str:
    return KubeClient().secret_revision(namespace, name)


def _check(key: tuple[str, str]) -> Future[object]:
    context = _KOPF_CONTEXT[0].copy() if _KOPF_CONTEXT else contextvars.copy_context()
    # Ahead of kopf's queued handler calls: a taken-over share is not left behind a backlog.
    return EXECUTOR.submit_first(context.run, drift_check, namespace=key[0], name=key[1])


def _owns(key: Key) -> bool:
    return MEMBERSHIP.owns(*key)


SCHEDULER = Scheduler(_wake, _secret_revision, check=_check,
                      drift_interval_s=SETTINGS.drift_interval_s,
                      drift_parallel=max(1, SETTINGS.workers // 2), owns=_owns,
                      takeover_parallel=SETTINGS.workers)


def _moved(gained: set[Key], lost: set[Key]) -> None:
    """Membership changed: check what this replica took over at once (a drift check re-reads
    the resource and reconciles what the previous owner left undone), and drop the retries
    and metric series of what moved away."""
    for key in lost:
        SCHEDULER.release(key)
        metrics.forget(*key)
    for key in gained:
        SCHEDULER.check_now(key)


def _report(members: int, owned: int) -> None:
    metrics.SHARD_MEMBERS.set(members)
    metrics.SHARD_RESOURCES.set(owned)


MEMBERSHIP = Membership(identity(), KubeLeases(SETTINGS.lease_namespace),
                        scope=scope_label(SETTINGS.namespaces),
                        duration_s=SETTINGS.lease_duration_s, renew_s=SETTINGS.lease_renew_s,
                        keys=lambda: SCHEDULER.drift_due().keys(), on_change=_moved,
                        report=_report)
if not SETTINGS.sharding:
    MEMBERSHIP.standalone = True


def owned(namespace: str | None, name: str | None, **_: Any) -> bool:
    """kopf ``when=``: this replica's resource."""
    return MEMBERSHIP.owns(str(namespace), str(name))

F = TypeVar("F", bound=Callable[..., Any])


def kube_guarded(handler: F) -> F:
    """Kubernetes transport trouble becomes one KubernetesUnavailable line, no traceback.

    kopf logs any other exception with a traceback and its own retry; this one is expected
    (the API server restarts) and the reconcile handler schedules its own retry."""
    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        logger: logging.Logger | logging.LoggerAdapter[Any] = kwargs.get("logger") or \
            logging.getLogger(__name__)
        key: Key = (str(kwargs.get("namespace")), str(kwargs.get("name")))
        try:
            return handler(*args, **kwargs)
        except ApiException as exc:
            if exc.status == 404 and handler.__name__ != "configmap_changed":
                SCHEDULER.gone(key)  # deleted while we worked: nothing left to do
                logger.info("%s/%s is gone", *key)
                return None
            mapped = transport_error(exc, f"{handler.__name__}")
            if mapped is None:
                raise
            logger.warning("KubernetesUnavailable: %s", mapped)
        except Exception as exc:
            mapped = transport_error(exc, f"{handler.__name__}")
            if mapped is None:
                raise
            logger.warning("KubernetesUnavailable: %s", mapped)
        if handler.__name__ in ("reconcile_handler", "drift_check"):
            attempt = SCHEDULER.attempt(key)
            SCHEDULER.retry(key, SETTINGS.backoff(attempt), {})
        return None
    return wrapper  # type: ignore[return-value]


class KopfEvents:
    def __init__(self, body: kopf.Body) -> None:
        self.body = body

    # kopf.event, not kopf.info/warn: those obey settings.posting.level, which is WARNING so
    # that kopf's own per-handler log lines are not posted as Events (see configure).
    def normal(self, reason: str, message: str) -> None:
        kopf.event(self.body, type="Normal", reason=reason, message=message)

    def warning(self, reason: str, message: str) -> None:
        kopf.event(self.body, type="Warning", reason=reason, message=message)


@kopf.on.login()
async def login(**kwargs: Any) -> kopf.AiohttpSession | None:
    return await session.bounded_login(SETTINGS.api_connections, **kwargs)


@kopf.on.startup()
def configure(settings: kopf.OperatorSettings, **_: Any) -> None:
    # Our own prefixes, so kopf's bookkeeping is recognisably ours and not pruned from status.
    settings.persistence.progress_storage = kopf.AnnotationsProgressStorage(prefix=KOPF_PREFIX)
    settings.persistence.diffbase_storage = kopf.AnnotationsDiffBaseStorage(
        prefix=KOPF_PREFIX, key="last-handled-configuration")
    # No handler needs a finalizer now (the drift timer asked for one); kopf removes this one
    # from resources that still carry it, so they stay deletable.
    settings.persistence.finalizer = f"{KOPF_PREFIX}/finalizer"
    settings.execution.executor = EXECUTOR
    settings.execution.max_workers = SETTINGS.workers
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
    # No settings.queueing.worker_limit: with an index (source_refs), kopf's first workers wait
    # until every listed object is indexed, and the objects beyond the limit wait for a free
    # worker, so a replica started with more resources than the limit deadlocked (docs/scale.md).
    # A worker idles 1 s (not 5) after its last event, so bodies are let go sooner.
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
    metrics.serve(SETTINGS.metrics_port)
    # Before the watches start (kopf runs startup handlers first): on.resume then already
    # knows which resources are this replica's.
    MEMBERSHIP.start()
    SCHEDULER.start()


@kopf.on.cleanup()
async def leave(**_: Any) -> None:
    """SIGTERM: delete this replica's Lease, so its peers take its resources over at once.

    A coroutine on the loop's default pool: a sync handler would wait for a free thread of
    EXECUTOR, where migrations may still be running."""
    await asyncio.to_thread(MEMBERSHIP.stop)


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


def _resource(namespace: str | None, name: str | None, meta: Mapping[str, Any],
              spec: Mapping[str, Any], status: Mapping[str, Any]) -> Resource:
    return Resource(str(namespace), str(name), int(meta.get("generation") or 0), spec, status,
                    str(meta.get("resourceVersion") or ""))


def _secret_names(spec: Mapping[str, Any]) -> list[str]:
    try:
        return parse(spec).connection.secret_names()
    except Exception:
        return []


def _run(res: Resource, body: kopf.Body, *, drift_check: bool = False) -> Result:
    """Reconcile once and hand the outcome to the scheduler."""
    key = (res.namespace, res.name)
    kube = KubeClient()
    with _RUNNING_LOCK:
        _RUNNING.add(key)
    try:
        result = reconcile(res, kube, SETTINGS, KopfEvents(body), attempt=SCHEDULER.attempt(key),
                           drift_check=drift_check)
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(key)
    if result.next is Next.DONE or result.next is Next.SUSPENDED:
        SCHEDULER.forget(key)
        SCHEDULER.checked(key)  # just verified: the next drift check is an interval away
        return result
    # The revisions the run itself read, before it connected: a Secret fixed while the run
    # failed is then seen as a change. Only Secrets the run never reached (it failed earlier)
    # are read here, so a successful run costs no extra request.
    secrets = {s: kube.secret_revisions[s] if s in kube.secret_revisions
               else kube.secret_revision(res.namespace, s) for s in _secret_names(res.spec)}
    if result.next is Next.RETRY:
        SCHEDULER.retry(key, result.delay_s, secrets)
    else:
        SCHEDULER.stalled(key, secrets)
    return result


@kopf.on.resume(*_RESOURCE, when=owned)
@kopf.on.create(*_RESOURCE, when=owned)
@kopf.on.update(*_RESOURCE, when=owned)
@kube_guarded
def reconcile_handler(body: kopf.Body, namespace: str | None, name: str | None, meta: kopf.Meta,
                      spec: kopf.Spec, status: kopf.Status, **_: Any) -> None:
    res = _resource(namespace, name, meta, spec, status)
    result = _run(res, body)
    if result.next is Next.STALLED:
        # Woken again by a change of the spec, a ConfigMap or a Secret (the scheduler polls the
        # Secrets of Stalled resources).  Not kopf.PermanentError: kopf logged it a second time
        # at ERROR as a failed handler, which its event posting may send beside the
        # reconciler's Warning.  Logged on this module's logger, not kopf's per-object one,
        # whose warnings become Events.
        _LOG.warning("%s/%s is Stalled: %s", res.namespace, res.name, result.message)


# The quick handlers are coroutines: kopf runs sync handlers (indexes too) on its
# max_workers threads, where they would queue behind the reconciliations.
@kopf.on.event(*_RESOURCE)
async def seen(type: str | None, namespace: str | None, name: str | None, **_: Any) -> None:
    """Every event of a resource: keep it on the drift schedule; DELETED drops everything.

    A watch event, not on.delete: an on.delete handler is called only while a finalizer holds
    the object, and no handler needs one."""
    if not _KOPF_CONTEXT:
        _KOPF_CONTEXT.append(contextvars.copy_context())
    key = (str(namespace), str(name))
    if type == "DELETED":
        SCHEDULER.gone(key)
        metrics.forget(*key)
    else:
        SCHEDULER.watch(key)


@kube_guarded
def drift_check(*, namespace: str, name: str, **_: Any) -> None:
    """Due every DB_MIGRATE_DRIFT_INTERVAL after the resource's last run or check, and at once
    when the resource moved to this replica (the scheduler's thread submits it to EXECUTOR):
    re-read the resource, then the same reconcile path as a handler. Only the key is kept
    between checks, not the body."""
    key = (namespace, name)
    if not MEMBERSHIP.owns(namespace, name):
        return  # moved away since it was due
    with _RUNNING_LOCK:
        if key in _RUNNING:
            return  # a handler is reconciling it right now
    if key in SCHEDULER.tracked():
        return  # retrying, re-checking an outage or Stalled: the scheduler owns it
    body = kopf.Body(cast(kopf.RawBody, dict(KubeClient().get(namespace, name))))
    meta = body.get("metadata", {})
    if meta.get("deletionTimestamp"):
        return
    res = _resource(namespace, name, meta, body.get("spec", {}), body.get("status", {}))
    observed = res.status.get("observedGeneration") == res.generation
    stalled = observed and any(c.get("type") == "Stalled" and c.get("status") == "True"
                               for c in res.conditions)
    if res.ready() and observed:
        # Reads history, applies only if something is pending; an outage keeps Ready and is
        # re-checked by the scheduler.
        _run(res, body, drift_check=True)
    elif stalled:
        # Stalled by a replica that went away: only a change wakes it, as if this replica had
        # stalled it (its Secrets are polled from now on); no run, no repeated Warning.
        SCHEDULER.stalled(key, {s: _secret_revision(namespace, s)
                                for s in _secret_names(res.spec)})
    elif not (observed and res.status.get("suspended")):
        # A new generation, or left Progressing or Reconciling by a replica that went away
        # (a watchdog): reconcile as the handler would.
        _run(res, body)


Revisions = tuple[tuple[str, str], ...]
#: One label selector: its matchLabels as sorted (key, value) pairs.
Selector = tuple[tuple[str, str], ...]


@kopf.index(*_RESOURCE)
async def source_refs(namespace: str | None, name: str | None, spec: kopf.Spec, status: kopf.Status,
                **_: Any) -> dict[tuple[str, str, str], tuple[str, tuple[Selector, ...], Revisions]]:
    """(namespace, 'ConfigMap', name-or-'*') -> (resource, label selectors, recorded revisions).

    Every selector of the resource (migrations and each seed set) is kept under the one '*'
    key: kopf keeps one value per key and resource, so one selector each would let the last
    one win and a change to the others' ConfigMaps would never wake the resource.
    The revisions are status.sourceRevisions, what the resource's last run read: a re-list
    (after a watch reconnect) compares them with what it sees."""
    try:
        parsed = parse(spec)
    except Exception:
        return {}
    revisions: Revisions = tuple(sorted((str(k), str(v)) for k, v in
                                        (status.get("sourceRevisions") or {}).items()))
    refs: dict[tuple[str, str, str], tuple[str, tuple[Selector, ...], Revisions]] = {}
    selectors: list[Selector] = []
    for selection in parsed.source.selections():
        for cm in selection.names:
            refs[(str(namespace), "ConfigMap", cm)] = (str(name), (), revisions)
        if selection.match_labels:
            selectors.append(tuple(sorted(selection.match_labels.items())))
    if selectors:
        refs[(str(namespace), "ConfigMap", "*")] = (str(name), tuple(selectors), revisions)
    return refs


def _referencing(index: kopf.Index[Any, Any], namespace: str, kind: str, name: str,
                 labels: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Resource name -> its recorded source revisions, for every resource using the object."""
    found = {dm: dict(revs) for dm, _, revs in index.get((namespace, kind, name), [])}
    for dm, selectors, revs in index.get((namespace, kind, "*"), []):
        if any(selector and all(labels.get(k) == v for k, v in selector) for selector in selectors):
            found[dm] = dict(revs)
    return found


def _touch(kind: str, type_: str | None, body: kopf.Body, namespace: str | None, name: str | None,
           index: kopf.Index[Any, Any]) -> None:
    """A referenced ConfigMap changed: wake the resources using it (on.update reconciles).

    ``type_`` None is a listing: at start-up on.resume covers every resource, and after a watch
    reconnect it is the only news of changes made while disconnected, so a resource is woken
    when the object's resourceVersion differs from the one its last run recorded."""
    labels: Mapping[str, str] = body.get("metadata", {}).get("labels") or {}
    version = str(body.get("metadata", {}).get("resourceVersion", ""))
    for dm, recorded in _referencing(index, str(namespace), kind, str(name), labels).items():
        if type_ is None and recorded.get(f"{kind}/{name}") == version:
            continue
        if not MEMBERSHIP.owns(str(namespace), dm):
            continue  # its owner wakes it (every replica sees the ConfigMap)
        SCHEDULER.wake_soon((str(namespace), dm), f"{kind}/{name}@{version}")


def _referenced_configmap(body: kopf.Body, namespace: str | None, name: str, **kwargs: Any) -> bool:
    # A filter, so that the thousands of unrelated ConfigMap events in a cluster are dropped
    # before kopf runs (and logs) a handler for them.
    labels: Mapping[str, str] = body.get("metadata", {}).get("labels") or {}
    return bool(_referencing(kwargs["source_refs"], str(namespace), "ConfigMap", name, labels))


@kopf.on.event("", "v1", "configmaps", when=_referenced_configmap)
async def configmap_changed(type: str, body: kopf.Body, namespace: str | None, name: str,
                      **kwargs: Any) -> None:
    _touch("ConfigMap", type, body, namespace, name, kwargs["source_refs"])


__all__ = ["SCHEDULER", "configure", "drift_check", "reconcile_handler", "seen", "source_refs"]
