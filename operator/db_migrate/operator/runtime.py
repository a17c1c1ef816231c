"""The operator's shared objects and what the handlers do with them.

:class:`Runtime` holds the settings, the thread pool, the retry scheduler and the shard
membership. The startup handler builds one (``handlers.configure``) and keeps it in kopf's
operator memo as ``memo.runtime``; kopf gives every resource handler a shallow copy of that
memo, so every handler reaches the same objects. Nothing here is built at import.

Events: a handler posts them with ``kopf.event`` (:class:`KopfEvents`). kopf's event queue is
bound to context variables that kopf sets only inside an object's processing task, and no
public kopf API hands that queue to a thread kopf did not start. A drift check runs on such a
thread (the scheduler's, through the pool), so it posts its events through the Kubernetes
client instead (:class:`db_migrate.reconciler.kube.KubeEvents`), with kopf's reporting
component and instance, so that both read the same in ``kubectl describe``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import kopf
from kubernetes.client.exceptions import ApiException

from db_migrate.operator.executor import PriorityExecutor
from db_migrate.reconciler import metrics
from db_migrate.reconciler.kube import EventSource, KubeClient, KubeEvents, transport_error
from db_migrate.reconciler.leases import KubeLeases
from db_migrate.reconciler.reconcile import Events, Next, Resource, Result, reconcile
from db_migrate.reconciler.retries import Key, Scheduler
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.shards import Membership, identity, scope_label
from db_migrate.reconciler.sourcerefs import SourceRefs
from db_migrate.reconciler.spec import GROUP, parse

#: Bumped when a referenced ConfigMap or Secret changes or a retry is due, so that on.update
#: reconciles.
SOURCE_REVISION = f"{GROUP}/source-revision"

log = logging.getLogger(__name__)
Logger = logging.Logger | logging.LoggerAdapter[Any]


class KopfEvents:
    """A handler's events, through kopf's queue (only valid in kopf's handler context)."""

    def __init__(self, body: kopf.Body) -> None:
        self.body = body

    # kopf.event, not kopf.info/warn: those obey settings.posting.level, which is WARNING so
    # that kopf's own per-handler log lines are not posted as Events (handlers.configure).
    def normal(self, reason: str, message: str) -> None:
        kopf.event(self.body, type="Normal", reason=reason, message=message)

    def warning(self, reason: str, message: str) -> None:
        kopf.event(self.body, type="Warning", reason=reason, message=message)


def object_logger(namespace: str, name: str) -> logging.LoggerAdapter[logging.Logger]:
    """This module's logger, its lines naming the resource as kopf's per-object lines do
    (``k8s_ref``: a ``[namespace/name]`` prefix in text, an ``object`` field in JSON), but
    never posted as Events (kopf posts only its own per-object logger's lines)."""
    return logging.LoggerAdapter(log, {"k8s_ref": {"namespace": namespace, "name": name}})


def resource(namespace: str | None, name: str | None, meta: Mapping[str, Any],
             spec: Mapping[str, Any], status: Mapping[str, Any]) -> Resource:
    return Resource(str(namespace), str(name), int(meta.get("generation") or 0), spec, status,
                    str(meta.get("resourceVersion") or ""))


def secret_names(spec: Mapping[str, Any]) -> list[str]:
    try:
        return parse(spec).connection.secret_names()
    except Exception:
        return []


@dataclass
class Runtime:
    settings: Settings
    #: kopf's pool for sync handlers, ours too: drift checks run on it, so runs and checks
    #: together never hold more than DB_MIGRATE_WORKERS PostgreSQL connections.
    executor: PriorityExecutor
    #: kopf's ``settings.posting``: the drift checks' Events name the same reporter.
    event_source: EventSource = field(default_factory=EventSource)
    scheduler: Scheduler = field(init=False)
    membership: Membership = field(init=False)
    #: Which resources read which ConfigMaps (not a kopf index: see sourcerefs.py). Used from
    #: kopf's event loop only.
    source_refs: SourceRefs = field(default_factory=SourceRefs)
    #: Resources being reconciled by a handler now: a drift check of one is skipped.
    _running: set[Key] = field(default_factory=set)
    _running_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        settings = self.settings
        self.scheduler = Scheduler(
            self._wake, self._secret_revision, check=self._submit_check,
            drift_interval_s=settings.drift_interval_s,
            drift_parallel=max(1, settings.workers // 2), owns=lambda key: self.owns(*key),
            takeover_parallel=settings.workers, poll_budget=settings.secret_poll_budget)
        self.membership = Membership(
            identity(), KubeLeases(settings.lease_namespace),
            scope=scope_label(settings.namespaces), duration_s=settings.lease_duration_s,
            renew_s=settings.lease_renew_s, keys=lambda: self.scheduler.drift_due().keys(),
            on_change=self._moved, report=self._report)
        if not settings.sharding:
            self.membership.standalone = True

    @classmethod
    def build(cls, settings: Settings, event_source: EventSource | None = None) -> Runtime:
        return cls(settings, PriorityExecutor(max_workers=settings.workers,
                                              thread_name_prefix="db-migrate-run"),
                   event_source or EventSource())

    def start(self) -> None:
        """Before the watches start (kopf runs startup handlers first): on.resume then already
        knows which resources are this replica's."""
        self.membership.start()
        self.scheduler.start()

    # ---------------------------------------------------------------- shards

    def owns(self, namespace: str, name: str) -> bool:
        return self.membership.owns(namespace, name)

    def _moved(self, gained: set[Key], lost: set[Key]) -> None:
        """Membership changed: check what this replica took over at once (a drift check
        re-reads the resource and reconciles what the previous owner left undone), and drop
        the retries and metric series of what moved away."""
        for key in lost:
            self.scheduler.release(key)
            metrics.forget(*key)
        for key in gained:
            self.scheduler.check_now(key)

    @staticmethod
    def _report(members: int, owned: int) -> None:
        metrics.SHARD_MEMBERS.set(members)
        metrics.SHARD_RESOURCES.set(owned)

    # ---------------------------------------------------------------- the scheduler's calls

    @staticmethod
    def _wake(namespace: str, name: str, revision: str) -> None:
        KubeClient().annotate(namespace, name, {SOURCE_REVISION: revision})

    @staticmethod
    def _secret_revision(namespace: str, name: str) -> str:
        return KubeClient().secret_revision(namespace, name)

    def _submit_check(self, key: Key) -> Future[object]:
        # Ahead of kopf's queued handler calls: a taken-over share is not left behind a backlog.
        return self.executor.submit_first(self.drift_check, key)

    # ---------------------------------------------------------------- runs

    def guarded(self, key: Key, what: str, logger: Logger, call: Callable[[], object]) -> None:
        """Run ``call`` (a handler's or a drift check's work). Kubernetes transport trouble
        becomes one KubernetesUnavailable line, no traceback, and a retry on the backoff;
        a 404 means the resource was deleted while we worked: nothing is left to do.

        kopf logs any other exception with a traceback and its own retry; this one is expected
        (the API server restarts) and the retry is ours."""
        try:
            call()
            return
        except ApiException as exc:
            if exc.status == 404:
                self.scheduler.gone(key)
                logger.info("%s/%s is gone", *key)
                return
            mapped = transport_error(exc, what)
            if mapped is None:
                raise
        except Exception as exc:
            mapped = transport_error(exc, what)
            if mapped is None:
                raise
        logger.warning("KubernetesUnavailable: %s", mapped)
        self.scheduler.retry(key, self.settings.backoff(self.scheduler.attempt(key)), {})

    def handle(self, res: Resource, events: Events) -> Result:
        """A change handler's run (create, update, resume)."""
        result = self.run(res, events)
        if result.next is Next.STALLED:
            # Woken again by a change of the spec, a ConfigMap or a Secret (the scheduler polls
            # the Secrets of Stalled resources).  Not kopf.PermanentError: kopf logged it a
            # second time at ERROR as a failed handler, which its event posting may send beside
            # the reconciler's Warning.  Logged on this module's logger, not kopf's per-object
            # one, whose warnings become Events; the line still names the resource.
            object_logger(res.namespace, res.name).warning(
                "%s/%s is Stalled: %s", res.namespace, res.name, result.message)
        return result

    def run(self, res: Resource, events: Events, *, drift_check: bool = False) -> Result:
        """Reconcile once and hand the outcome to the scheduler."""
        key = (res.namespace, res.name)
        kube = KubeClient()
        with self._running_lock:
            self._running.add(key)
        try:
            result = reconcile(res, kube, self.settings, events,
                               attempt=self.scheduler.attempt(key), drift_check=drift_check)
        finally:
            with self._running_lock:
                self._running.discard(key)
        if result.next is Next.DONE or result.next is Next.SUSPENDED:
            self.scheduler.forget(key)
            self.scheduler.checked(key)  # just verified: the next drift check is an interval away
            return result
        # The revisions the run itself read, before it connected: a Secret fixed while the run
        # failed is then seen as a change. Only Secrets the run never reached (it failed
        # earlier) are read here, so a successful run costs no extra request.
        secrets = {s: kube.secret_revisions[s] if s in kube.secret_revisions
                   else kube.secret_revision(res.namespace, s) for s in secret_names(res.spec)}
        if result.next is Next.RETRY:
            self.scheduler.retry(key, result.delay_s, secrets)
        else:
            self.scheduler.stalled(key, secrets)
        return result

    def drift_check(self, key: Key) -> None:
        """Due every DB_MIGRATE_DRIFT_INTERVAL after the resource's last run or check, and at
        once when the resource moved to this replica (the scheduler's thread submits it to the
        pool): re-read the resource, then the same reconcile path as a handler. Only the key is
        kept between checks, not the body."""
        self.guarded(key, "drift_check", object_logger(*key), lambda: self._drift_check(*key))

    def _drift_check(self, namespace: str, name: str) -> None:
        key = (namespace, name)
        if not self.owns(namespace, name):
            return  # moved away since it was due
        with self._running_lock:
            if key in self._running:
                return  # a handler is reconciling it right now
        if key in self.scheduler.tracked():
            return  # retrying, re-checking an outage or Stalled: the scheduler owns it
        body = KubeClient().get(namespace, name)
        meta = body.get("metadata", {})
        if meta.get("deletionTimestamp"):
            return
        res = resource(namespace, name, meta, body.get("spec", {}), body.get("status", {}))
        events = KubeEvents(body, self.event_source)
        observed = res.status.get("observedGeneration") == res.generation
        stalled = observed and any(c.get("type") == "Stalled" and c.get("status") == "True"
                                   for c in res.conditions)
        if res.ready() and observed:
            # Reads history, applies only if something is pending; an outage keeps Ready and
            # is re-checked by the scheduler.
            self.run(res, events, drift_check=True)
        elif stalled:
            # Stalled by a replica that went away: only a change wakes it, as if this replica
            # had stalled it (its Secrets are polled from now on); no run, no repeated Warning.
            self.scheduler.stalled(key, {s: self._secret_revision(namespace, s)
                                         for s in secret_names(res.spec)})
        elif not (observed and res.status.get("suspended")):
            # A new generation, or left Progressing or Reconciling by a replica that went away
            # (a watchdog): reconcile as the handler would.
            self.run(res, events)

    # ---------------------------------------------------------------- watch events

    def seen(self, event_type: str | None, namespace: str, name: str,
             spec: Mapping[str, Any], status: Mapping[str, Any]) -> None:
        """Every event of a resource: keep it on the drift schedule and note which ConfigMaps
        it reads (:mod:`sourcerefs`); DELETED drops everything."""
        key = (namespace, name)
        if event_type == "DELETED":
            self.scheduler.gone(key)
            self.source_refs.forget(*key)
            metrics.forget(*key)
        else:
            self.scheduler.watch(key)
            self.source_refs.update(namespace, name, spec, status)
