"""One reconciliation of one DatabaseMigration, independent of kopf.

spec -> source -> digest (flip Ready early if it changed) -> URL -> engine -> status.
Returns what the adapter should do next: nothing, retry after a delay, or wait for a change.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from db_migrate.engine.connection import password_of, redact
from db_migrate.engine.discovery import discover
from db_migrate.engine.errors import DbMigrateError
from db_migrate.engine.report import Action, Outcome, Progress
from db_migrate.engine.runner import run_set
from db_migrate.operator import metrics
from db_migrate.operator import status as st
from db_migrate.operator.credentials import connection_url
from db_migrate.operator.kube import Kube
from db_migrate.operator.settings import Settings
from db_migrate.operator.sources import build_source
from db_migrate.operator.spec import parse


class Next(StrEnum):
    DONE = "done"
    RETRY = "retry"
    STALLED = "stalled"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class Result:
    next: Next
    message: str
    delay_s: float = 0.0


@dataclass(frozen=True)
class Resource:
    namespace: str
    name: str
    generation: int
    spec: Mapping[str, Any]
    status: Mapping[str, Any]

    @property
    def conditions(self) -> list[Mapping[str, Any]]:
        return list(self.status.get("conditions") or [])

    def ready(self) -> bool:
        return any(c.get("type") == "Ready" and c.get("status") == "True" for c in self.conditions)


class Events(Protocol):
    def normal(self, reason: str, message: str) -> None: ...

    def warning(self, reason: str, message: str) -> None: ...


class _EventListener:
    """An event per applied or failed file (the engine's progress callbacks)."""

    def __init__(self, events: Events, labels: tuple[str, str, str], secrets: list[str]) -> None:
        self.events = events
        self.labels = labels
        self.secrets = secrets

    def progress(self, event: Progress) -> None:
        if event.outcome is Outcome.APPLIED:
            metrics.APPLIED.labels(*self.labels).inc()
            self.events.normal("Applied", f"{event.item.label} applied in {event.elapsed_ms} ms")
        elif event.outcome is Outcome.FAILED:
            metrics.FAILED.labels(*self.labels).inc()

    def warning(self, database: str, message: str) -> None:
        self.events.warning("Warning", redact(message, self.secrets))


def reconcile(res: Resource, kube: Kube, settings: Settings, events: Events, *,
              attempt: int = 0, drift_check: bool = False) -> Result:
    labels = (res.namespace, res.name, str(res.spec.get("database", "")))
    secrets: list[str] = []
    previous = res.conditions

    def patch(status: Mapping[str, Any]) -> None:
        kube.patch_status(res.namespace, res.name, status)

    def retry(err: DbMigrateError) -> Result:
        delay = settings.backoff(attempt)
        message = redact(str(err), secrets)
        patch(st.transient(previous, res.generation, message, err.reason, delay, attempt + 1))
        metrics.RUNS.labels(*labels, "retry").inc()
        return Result(Next.RETRY, message, delay)

    def stall(err: DbMigrateError, extra: Mapping[str, Any] | None = None) -> Result:
        message = redact(str(err), secrets)
        status = dict(extra or {})
        status.update(st.stalled(previous, res.generation, err.reason, message))
        patch(status)
        events.warning(err.reason, message)
        metrics.RUNS.labels(*labels, "stalled").inc()
        return Result(Next.STALLED, message)

    try:
        spec = parse(res.spec)
    except DbMigrateError as exc:
        return stall(exc)
    if spec.suspend:
        patch(st.suspended(previous, res.generation))
        return Result(Next.SUSPENDED, "suspended")

    try:
        source = build_source(kube, res.namespace, spec, settings.migrations_dir, settings.seeds_dir,
                              settings.image_root)
        mset = discover(source, spec.database)
        digest = mset.digest(spec.seed)
        changed = digest != res.status.get("sourceDigest") or \
            res.generation != res.status.get("observedGeneration")
        # Flip Ready to False before the slow work, so GitOps never passes on stale status.
        if changed or not res.ready():
            reason = "SourceChanged" if changed and res.status.get("sourceDigest") else "Progressing"
            early = st.progressing(previous, res.generation, reason,
                                   f"applying {spec.database} (seed {spec.seed.value})")
            patch(early)
            previous = early["conditions"]
        url = connection_url(kube, res.namespace, res.name, spec.connection, settings)
        secrets = [s for s in [password_of(url)] if s]
    except DbMigrateError as exc:
        return retry(exc) if exc.transient else stall(exc)

    options = spec.run_options(settings.application_name)
    listener = _EventListener(events, labels, secrets)
    if drift_check or (not changed and res.ready()):
        # Same SQL, same spec, already Ready (operator restart, drift timer, a Secret or
        # ConfigMap event that changed nothing we use): read history without the lock and
        # run only if something is pending, so the last real run's counts stay visible.
        probe = run_set(mset, url, options, action=Action.STATUS)
        if probe.error is None and probe.pending == 0:
            return Result(Next.DONE, "up to date")
    action = Action.DRY_RUN if spec.dry_run else Action.APPLY
    started = time.perf_counter()
    report = run_set(mset, url, options, action=action, listener=listener)
    metrics.DURATION.labels(*labels).observe(time.perf_counter() - started)
    if report.error is None:
        patch(st.succeeded(previous, res.generation, report))
        metrics.LAST_SUCCESS.labels(*labels).set_to_current_time()
        metrics.RUNS.labels(*labels, "succeeded").inc()
        if report.applied:
            events.normal("Succeeded", f"{report.summary()}; version V{report.current_version}")
        return Result(Next.DONE, report.summary())
    if report.error.transient:
        return retry(report.error)
    return stall(report.error, st.run_fields(report))
