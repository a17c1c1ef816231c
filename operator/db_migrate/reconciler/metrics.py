"""Prometheus metrics (``/metrics`` on DB_MIGRATE_METRICS_PORT).

A resource's series live only on the replica that owns it: :func:`forget` removes them when
the resource is deleted or moves to another replica, so a fleet of replicas does not export
(and Prometheus does not keep) a stale copy per replica.
"""

from __future__ import annotations

import threading

from prometheus_client import Counter, Gauge, Histogram, start_http_server

_LABELS = ("namespace", "name", "database")
#: The values of db_migrate_runs_total's ``result`` label (reconciler/reconcile.py).
RESULTS = ("succeeded", "retry", "outage", "stalled")

APPLIED = Counter("db_migrate_applied_total", "Migrations and seeds applied", _LABELS)
FAILED = Counter("db_migrate_failed_total", "Migration or seed failures", _LABELS)
RUNS = Counter("db_migrate_runs_total", "Reconciliation runs by result", (*_LABELS, "result"))
DURATION = Histogram("db_migrate_run_duration_seconds", "Duration of one engine run", _LABELS,
                     buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900))
LAST_SUCCESS = Gauge("db_migrate_last_success_timestamp_seconds",
                     "Unix time of the last successful run", _LABELS)
STALLED = Gauge("db_migrate_stalled",
                "1 while the resource is Stalled (needs a change of its spec, SQL or Secret)",
                _LABELS)
#: Outcomes of drift checks: clean (nothing pending), applied (something was pending and is
#: now applied), failed (the database or the source could not be read, or the run failed).
DRIFT_CHECKS = Counter("db_migrate_drift_checks_total", "Drift checks by outcome", ("result",))
SHARD_RESOURCES = Gauge("db_migrate_shard_resources",
                        "DatabaseMigrations this replica owns (reconciles, checks, reports)")
SHARD_MEMBERS = Gauge("db_migrate_shard_members", "Live operator replicas sharing the work")

#: (namespace, name) -> the databases its series were labelled with (the spec may change it).
_SERIES: dict[tuple[str, str], set[str]] = {}
_SERIES_LOCK = threading.Lock()


def resource_labels(namespace: str, name: str, database: str) -> tuple[str, str, str]:
    """The labels of a resource's series, recorded so that :func:`forget` can remove them."""
    with _SERIES_LOCK:
        _SERIES.setdefault((namespace, name), set()).add(database)
    return namespace, name, database


def forget(namespace: str, name: str) -> None:
    """Remove every series of the resource (deleted, or now owned by another replica)."""
    with _SERIES_LOCK:
        databases = _SERIES.pop((namespace, name), set())
    for database in databases:
        labels = (namespace, name, database)
        # remove() of labels never observed is a no-op; by label values, not
        # remove_by_labels(), which scans every series of the metric per call.
        for metric in (APPLIED, FAILED, DURATION, LAST_SUCCESS, STALLED):
            metric.remove(*labels)
        for result in RESULTS:
            RUNS.remove(*labels, result)


def tracked() -> set[tuple[str, str]]:
    with _SERIES_LOCK:
        return set(_SERIES)


def serve(port: int) -> None:
    if port > 0:
        start_http_server(port)
