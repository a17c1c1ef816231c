"""One reconciliation of one DatabaseMigration, independent of kopf.

spec -> source -> digest (flip Ready early only where status claims Ready for this generation)
-> URL -> engine -> status, then one event. A new resource's successful run is two API writes:
one status patch and one Succeeded event (docs/operator.md, "What one run writes").
Returns what the adapter should do next: nothing, retry after a delay, or wait for a change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from db_migrate.engine.connection import redact
from db_migrate.engine.discovery import discover
from db_migrate.engine.errors import DbMigrateError
from db_migrate.engine.report import Action, Outcome, Progress
from db_migrate.engine.runner import run_set
from db_migrate.engine.scrub import Scrubber
from db_migrate.reconciler import metrics
from db_migrate.reconciler import status as st
from db_migrate.reconciler.conditions import Reason
from db_migrate.reconciler.credentials import connection_url
from db_migrate.reconciler.kube import Conflict, Kube, KubeUnavailable
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.sources import build_source
from db_migrate.reconciler.spec import parse


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
    #: The resourceVersion the status was read at: status writes are conditional on it.
    resource_version: str = ""

    @property
    def conditions(self) -> list[Mapping[str, Any]]:
        return list(self.status.get("conditions") or [])

    def ready(self) -> bool:
        return any(c.get("type") == "Ready" and c.get("status") == "True" for c in self.conditions)


#: Builds the status to write from the current one, or None to give way to it.
Builder = Callable[[Mapping[str, Any]], Mapping[str, Any] | None]


class StatusWriter:
    """Status writes conditional on the resourceVersion (optimistic concurrency).

    Two replicas may reconcile the same resource; a write based on a stale read gets HTTP 409,
    re-reads the object and rebuilds its status from the current one, which may decide to
    give way (for instance a run that applied nothing, after another replica applied)."""

    ATTEMPTS = 5

    def __init__(self, kube: Kube, res: Resource, scrubber: Scrubber | None = None) -> None:
        self.kube = kube
        self.res = res
        self.scrubber = scrubber if scrubber is not None else Scrubber()
        self.resource_version = res.resource_version
        self.current: Mapping[str, Any] = res.status

    def write(self, build: Builder) -> bool:
        """Write ``build(current status)``; False when it gave way."""
        for _ in range(self.ATTEMPTS):
            built = build(self.current)
            if built is None:
                return False
            status = scrub_tree(built, self.scrubber)
            try:
                self.resource_version = self.kube.patch_status(
                    self.res.namespace, self.res.name, status, self.resource_version) or ""
            except Conflict:
                obj = self.kube.get(self.res.namespace, self.res.name)
                self.resource_version = str(obj["metadata"]["resourceVersion"])
                self.current = dict(obj.get("status") or {})
                continue
            merged = dict(self.current)
            merged.update(status)
            self.current = merged
            return True
        raise KubeUnavailable(f"status of {self.res.namespace}/{self.res.name} kept changing "
                              f"under {self.ATTEMPTS} conditional writes")


#: Status fields that hold free text (ours, libpq's, the server's). The rest are fixed
#: vocabularies (type, status, reason), numbers, times, digests and file names: scrubbing them
#: could only break them (a "Progressing" reason masked because a URL holds "gres").
FREE_TEXT = frozenset({"message", "checksumWarnings", "warnings", "error"})


def scrub_tree(value: Any, scrubber: Scrubber, free: bool = False) -> Any:
    """Every free-text string of a status document through the run's scrubber."""
    if isinstance(value, str):
        return scrubber(value) if free else value
    if isinstance(value, Mapping):
        return {k: scrub_tree(v, scrubber, free or k in FREE_TEXT) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_tree(v, scrubber, free) for v in value]
    return value


#: Words of our own messages, shown as whole words even when a Secret's URL holds them
#: ("localhost" holds "host"): whether they appear does not depend on any Secret.
VOCABULARY = ("host", "hosts", "port", "database", "user", "password", "secret", "key", "url",
              "uri", "connection", "server", "applying", "applied", "pending", "seed", "sslmode",
              "DB_MIGRATE_ALLOWED_HOSTS", "spec.connection.host")


#: Every Secret value any run of this process has read: the operator's log lines pass through
#: it (operator/handlers.py installs the filter), whichever resource they are about.
LOGGED = Scrubber()


class ScrubbedEvents:
    """The run's events, each message through the run's scrubber."""

    def __init__(self, events: Events, scrubber: Scrubber) -> None:
        self.events = events
        self.scrubber = scrubber

    def normal(self, reason: str, message: str) -> None:
        self.events.normal(reason, self.scrubber(message))

    def warning(self, reason: str, message: str) -> None:
        self.events.warning(reason, self.scrubber(message))


def _is_ready(status: Mapping[str, Any]) -> bool:
    return st.condition(status.get("conditions"), st.READY).get("status") == "True"


def _verified(status: Mapping[str, Any], generation: int, digest: str) -> bool:
    """Ready for this generation and this SQL: nothing left to do, as far as status knows."""
    return _is_ready(status) and status.get("sourceDigest") == digest and \
        status.get("observedGeneration") == generation


def _revisions(seen: Mapping[str, str], status: Mapping[str, Any]) -> dict[str, str | None]:
    """status.sourceRevisions to write: what this run read, and null for what it no longer reads."""
    out: dict[str, str | None] = {k: None for k in status.get("sourceRevisions") or {}}
    out.update(seen)
    return out


class Events(Protocol):
    def normal(self, reason: str, message: str) -> None: ...

    def warning(self, reason: str, message: str) -> None: ...


#: Files named in a run's event; the rest are counted ("and 12 more").
APPLIED_NAMED = 20


def _bounded(message: str) -> str:
    return message if len(message) <= st.MAX_MESSAGE else message[:st.MAX_MESSAGE - 1] + "…"


class _EventListener:
    """Metrics per applied or failed file (the engine's progress callbacks), and the files
    applied, named in the run's one event: Succeeded (:meth:`files`), or Applied after a
    failure (:meth:`flush`).

    One event per run, not per file: at 1,000 resources the per-file events were most of the
    operator's API writes (bench/operator_scale.py), and each is a write to etcd."""

    def __init__(self, events: Events, labels: tuple[str, str, str], secrets: Scrubber) -> None:
        self.events = events
        self.labels = labels
        self.secrets = secrets
        self.applied: list[str] = []

    def progress(self, event: Progress) -> None:
        if event.outcome is Outcome.APPLIED:
            metrics.APPLIED.labels(*self.labels).inc()
            self.applied.append(f"{event.item.label} ({event.elapsed_ms} ms)")
        elif event.outcome is Outcome.FAILED:
            metrics.FAILED.labels(*self.labels).inc()

    def files(self) -> str:
        """The files applied so far: the first APPLIED_NAMED named, the rest counted."""
        named = ", ".join(self.applied[:APPLIED_NAMED])
        more = len(self.applied) - APPLIED_NAMED
        return named + (f" and {more} more" if more > 0 else "")

    def flush(self) -> None:
        """A failed run: post an Applied event for the files applied before the failure."""
        if not self.applied:
            return
        self.events.normal(Reason.APPLIED, _bounded(f"{len(self.applied)} applied: {self.files()}"))
        self.applied = []

    def warning(self, database: str, message: str) -> None:
        self.events.warning(Reason.WARNING, redact(message, self.secrets))


def reconcile(res: Resource, kube: Kube, settings: Settings, events: Events, *,
              attempt: int = 0, drift_check: bool = False) -> Result:
    """One run; its outcome also sets the resource's Stalled gauge and, for a drift check,
    counts the check (the alerts in deploy/monitoring/ read both)."""
    result = _reconcile(res, kube, settings, events, attempt=attempt, drift_check=drift_check)
    labels = metrics.resource_labels(res.namespace, res.name, str(res.spec.get("database", "")))
    metrics.STALLED.labels(*labels).set(1 if result.next is Next.STALLED else 0)
    if drift_check:
        outcome = ("clean" if result.next is Next.DONE and result.message == UP_TO_DATE
                   else "applied" if result.next is Next.DONE else "failed")
        metrics.DRIFT_CHECKS.labels(outcome).inc()
    return result


#: The message of a check that found nothing to do.
UP_TO_DATE = "up to date"


def _reconcile(res: Resource, kube: Kube, settings: Settings, events: Events, *,
               attempt: int = 0, drift_check: bool = False) -> Result:
    labels = metrics.resource_labels(res.namespace, res.name, str(res.spec.get("database", "")))
    # Every Secret value this run reads is registered here as it is read; every status field,
    # event and result message of the run passes through it. The resource's own names are
    # public (its author wrote them), so they stay readable.
    secrets = Scrubber(keep=[res.namespace, res.name, *labels[2:], *_secret_names(res.spec),
                             *VOCABULARY], parent=LOGGED)
    writer = StatusWriter(kube, res, secrets)
    events = ScrubbedEvents(events, secrets)
    # Rate limit for Warning events: one per reason change, judged on the status as it was
    # before this run (retries in a row with the same reason stay silent).
    before = res.conditions
    #: Set once this run has the SQL source: every later write marks SourceAvailable=True.
    source_read = False

    def conds(current: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        out: list[Mapping[str, Any]] = list(current.get("conditions") or [])
        return list(st.source_available(out, res.generation)) if source_read else out

    def with_revisions(status: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
        return {**status, "sourceRevisions": _revisions(kube.seen, current)}

    def warn_once(ctype: str, value: str, reason: str, message: str) -> None:
        old = st.condition(before, ctype)
        if not (old.get("status") == value and old.get("reason") == reason):
            events.warning(reason, message)

    def retry(err: DbMigrateError, ctype: str = st.REACHABLE) -> Result:
        delay = settings.backoff(attempt)
        message = redact(str(err), secrets)
        writer.write(lambda cur: with_revisions(
            st.transient(conds(cur), res.generation, message, err.reason, delay, attempt + 1,
                         ctype), cur))
        warn_once(st.RECONCILING, "True", err.reason, message)
        metrics.RUNS.labels(*labels, "retry").inc()
        return Result(Next.RETRY, message, delay)

    def outage(err: DbMigrateError, ctype: str = st.REACHABLE) -> Result:
        # Nothing was pending at the last verified run and nothing we can see changed: the
        # schema is as Ready says, so Ready stays (docs/operator.md, "Outages").
        delay = settings.backoff(attempt)
        message = redact(str(err), secrets)
        writer.write(lambda cur: st.outage(conds(cur), res.generation, err.reason, message,
                                           delay, attempt + 1, ctype))
        warn_once(ctype, "False", err.reason, f"cannot verify the schema: {message}")
        metrics.RUNS.labels(*labels, "outage").inc()
        return Result(Next.RETRY, message, delay)

    def stall(err: DbMigrateError, extra: Mapping[str, Any] | None = None) -> Result:
        message = redact(str(err), secrets)

        def build(cur: Mapping[str, Any]) -> Mapping[str, Any]:
            status = dict(extra or {})
            status.update(st.stalled(conds(cur), res.generation, err.reason, message))
            return with_revisions(status, cur)
        writer.write(build)
        # One event per reason change, as for retries: a Stalled resource is run again on
        # every spec, ConfigMap or Secret change and would repeat the same Warning each time.
        warn_once(st.STALLED, "True", err.reason, message)
        metrics.RUNS.labels(*labels, "stalled").inc()
        return Result(Next.STALLED, message)

    try:
        spec = parse(res.spec)
    except DbMigrateError as exc:
        return stall(exc)
    if spec.connection.allow_insecure_auth and res.generation != res.status.get("observedGeneration"):
        events.warning(Reason.INSECURE_AUTH_FIELD_IGNORED, INSECURE_AUTH_IGNORED)
    if spec.suspend:
        writer.write(lambda cur: st.suspended(conds(cur), res.generation))
        return Result(Next.SUSPENDED, "suspended")

    # Ready for the same generation: a check (drift check, restart, a Secret or ConfigMap event
    # that may change nothing we use). Transient trouble before we know of anything to apply
    # is an outage, not a reason to flip Ready.
    checking = res.ready() and res.generation == res.status.get("observedGeneration")
    try:
        source = build_source(kube, res.namespace, spec, settings.migrations_dir, settings.seeds_dir,
                              settings.image_root)
        # Read (ConfigMaps) or at hand (the image): what follows is about its content or the
        # database, not about whether the source is there.
        source_read = True
        mset = discover(source, spec.database)
        digest = mset.digest(spec.seed)
        observed = res.generation == res.status.get("observedGeneration")
        changed = digest != res.status.get("sourceDigest") or not observed
        retrying = st.condition(before, st.RECONCILING).get("status") == "True" and observed
        checking = checking and not changed
        # GitOps must never pass on stale status. A status written for an older generation
        # (a new resource: the CRD's observedGeneration -1; a changed spec) already reads as
        # in progress to kstatus, the Argo CD health check (deploy/argocd) and kubectl wait
        # (every condition carries its observedGeneration): no write before the run. A status
        # for this generation is flipped to Ready=False before the slow work: the SQL changed
        # under the same generation, or a Stalled resource runs again (not again while
        # retrying: Ready is already False for this generation).
        if observed and (changed or not res.ready()) and not retrying:
            reason = Reason.SOURCE_CHANGED if changed and res.status.get("sourceDigest") \
                else Reason.PROGRESSING
            writer.write(lambda cur: None if _verified(cur, res.generation, digest) else
                         with_revisions(st.progressing(conds(cur), res.generation, reason,
                                                       f"applying {spec.database} "
                                                       f"(seed {spec.seed.value})"), cur))
        resolved = connection_url(kube, res.namespace, res.name, spec.connection, settings,
                                  secrets)
        url = resolved.url
    except DbMigrateError as exc:
        if exc.transient:
            # Trouble reading the source (a deleted ConfigMap) says nothing of the database.
            ctype = st.REACHABLE if source_read else st.SOURCE
            return outage(exc, ctype) if checking else retry(exc, ctype)
        return stall(exc)

    options = spec.run_options(settings.application_name)
    listener = _EventListener(events, labels, secrets)
    if drift_check or checking:
        # Same SQL, same spec, already Ready: read history without the lock and run only if
        # something is pending, so the last real run's counts stay visible.
        probe = run_set(mset, url, options, action=Action.STATUS, target=resolved.target)
        if probe.error is not None and probe.error.transient:
            return outage(probe.error)
        if probe.error is None and probe.pending == 0:
            _checked(writer, res, kube.seen, conds)
            return Result(Next.DONE, UP_TO_DATE)
        if probe.error is None:
            # Something is pending (the history table was dropped, a file was removed from
            # it by hand): the schema is not what Ready says, so flip it before the work.
            writer.write(lambda cur: with_revisions(st.progressing(
                conds(cur), res.generation, Reason.PROGRESSING,
                f"{probe.pending} pending found by a check; applying {spec.database}"), cur))
    action = Action.DRY_RUN if spec.dry_run else Action.APPLY
    started = time.perf_counter()
    report = run_set(mset, url, options, action=action, listener=listener,
                     target=resolved.target)
    metrics.observe_duration(labels, time.perf_counter() - started,
                             per_resource=settings.metrics_per_resource_histograms)
    if report.error is None:
        def build(cur: Mapping[str, Any]) -> Mapping[str, Any] | None:
            # Counts describe the run that changed the database: a run that applied nothing
            # gives way to a status another replica wrote for the same SQL and generation.
            if report.applied == 0 and _verified(cur, res.generation, digest):
                return None
            return with_revisions(st.succeeded(conds(cur), res.generation, report,
                                                       settings.status_migrations), cur)
        writer.write(build)
        metrics.LAST_SUCCESS.labels(*labels).set_to_current_time()
        metrics.RUNS.labels(*labels, "succeeded").inc()
        if report.applied:
            # The run's one event: what the status says, and which files it applied.
            events.normal(Reason.SUCCEEDED, _bounded(
                f"V{report.current_version} applied; {report.summary()}: {listener.files()}"))
        return Result(Next.DONE, report.summary())
    listener.flush()
    if report.error.transient:
        return retry(report.error)
    return stall(report.error, st.run_fields(report, settings.status_migrations))


#: Why spec.connection.allowInsecureAuth no longer does anything (kept readable for a release).
INSECURE_AUTH_IGNORED = (
    "spec.connection.allowInsecureAuth is ignored: whoever writes a DatabaseMigration could use "
    "it to receive a Secret's password in clear text; cleartext or MD5 authentication is now "
    "allowed only by the Secret's owner (annotation migrations.es1.dev/allow-insecure-auth) or "
    "the operator's DB_MIGRATE_INSECURE_AUTH_HOSTS (docs/security.md); remove the field")


def _secret_names(spec: Mapping[str, Any]) -> list[str]:
    """Words of spec.connection, which its author wrote: Secret names and keys, and the
    host, database and user when the spec gives them."""
    conn = spec.get("connection") or {}
    refs = [conn.get("urlSecretRef") or {}, conn.get("passwordSecretRef") or {}]
    own = [conn.get(k) for k in ("host", "dbname", "user")]
    return [str(v) for r in refs for v in (r.get("name"), r.get("key")) if v] + \
        [str(v) for v in own if v]


def _checked(writer: StatusWriter, res: Resource, seen: Mapping[str, str],
             conditions_of: Callable[[Mapping[str, Any]], list[Mapping[str, Any]]]) -> None:
    """A check found nothing pending: only mark the database reachable and the source
    available again and record the source revisions read, if any of them changed (no write at
    all in the common case).  ``conditions_of`` gives the current conditions with the run's
    SourceAvailable=True applied."""
    def build(cur: Mapping[str, Any]) -> Mapping[str, Any] | None:
        old = list(cur.get("conditions") or [])
        conds = conditions_of(cur)
        revisions = {k: v for k, v in (cur.get("sourceRevisions") or {}).items()}
        reachable = st.condition(conds, st.REACHABLE).get("status") == "True"
        source = st.condition(old, st.SOURCE).get("status") == "True"
        if reachable and source and all(revisions.get(k) == v for k, v in seen.items()):
            return None
        status: dict[str, Any] = {"conditions": st.reachable(conds, res.generation),
                                  "sourceRevisions": _revisions(seen, cur)}
        if not (reachable and source):
            # The outage message is replaced by the Ready message again.
            status["message"] = st.condition(conds, st.READY).get("message", "")
        return status
    writer.write(build)
