"""Prometheus metrics (``/metrics`` on DB_MIGRATE_METRICS_PORT).

A resource's series live only on the replica that owns it: :func:`forget` removes them when
the resource is deleted or moves to another replica, so a fleet of replicas does not export
(and Prometheus does not keep) a stale copy per replica.

Cardinality is bounded by the resources a replica owns (docs/operator.md, "Metrics"): a
resource has at most :data:`SERIES_PER_RESOURCE` series (counters and gauges labelled with its
namespace, name and one database: a resource whose spec.database changes drops the old
database's series), and the run-duration histogram is operator-wide. A histogram per resource
(16 more series each) is opt-in: DB_MIGRATE_METRICS_PER_RESOURCE_HISTOGRAMS=1.
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
_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900)
#: Every run of every resource this replica owns: 16 series whatever the number of resources.
DURATION = Histogram("db_migrate_run_duration_seconds",
                     "Duration of one engine run (all resources of this replica)",
                     buckets=_BUCKETS)
#: Opt-in (DB_MIGRATE_METRICS_PER_RESOURCE_HISTOGRAMS=1): 16 series per resource.
RESOURCE_DURATION = Histogram("db_migrate_resource_run_duration_seconds",
                              "Duration of one engine run, per resource", _LABELS,
                              buckets=_BUCKETS)
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


#: The per-resource metrics (labelled namespace, name, database).
_PER_RESOURCE = (APPLIED, FAILED, LAST_SUCCESS, STALLED, RESOURCE_DURATION)
#: The most series one resource has (the opt-in histogram apart): applied and failed
#: (a counter and its _created each), runs_total per result (the same), the last-success
#: timestamp and the Stalled gauge.
SERIES_PER_RESOURCE = 2 + 2 + 2 * len(RESULTS) + 1 + 1


def resource_labels(namespace: str, name: str, database: str) -> tuple[str, str, str]:
    """The labels of a resource's series, recorded so that :func:`forget` can remove them.

    One database per resource: when spec.database changed, the old database's series go."""
    with _SERIES_LOCK:
        old = _SERIES.get((namespace, name), set()) - {database}
        _SERIES[(namespace, name)] = {database}
    for previous in old:
        _remove((namespace, name, previous))
    return namespace, name, database


def observe_duration(labels: tuple[str, str, str], seconds: float, *,
                     per_resource: bool = False) -> None:
    """One engine run's duration: always operator-wide, per resource only when asked for."""
    DURATION.observe(seconds)
    if per_resource:
        RESOURCE_DURATION.labels(*labels).observe(seconds)


def forget(namespace: str, name: str) -> None:
    """Remove every series of the resource (deleted, or now owned by another replica)."""
    with _SERIES_LOCK:
        databases = _SERIES.pop((namespace, name), set())
    for database in databases:
        _remove((namespace, name, database))


def _remove(labels: tuple[str, str, str]) -> None:
    # remove() of labels never observed is a no-op; by label values, not
    # remove_by_labels(), which scans every series of the metric per call.
    for metric in _PER_RESOURCE:
        metric.remove(*labels)
    for result in RESULTS:
        RUNS.remove(*labels, result)


def tracked() -> set[tuple[str, str]]:
    with _SERIES_LOCK:
        return set(_SERIES)


def serve(port: int) -> None:
    if port > 0:
        start_http_server(port)
