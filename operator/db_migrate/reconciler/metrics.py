"""Prometheus metrics (``/metrics`` on DB_MIGRATE_METRICS_PORT)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

_LABELS = ("namespace", "name", "database")

APPLIED = Counter("db_migrate_applied_total", "Migrations and seeds applied", _LABELS)
FAILED = Counter("db_migrate_failed_total", "Migration or seed failures", _LABELS)
RUNS = Counter("db_migrate_runs_total", "Reconciliation runs by result", (*_LABELS, "result"))
DURATION = Histogram("db_migrate_run_duration_seconds", "Duration of one engine run", _LABELS,
                     buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900))
LAST_SUCCESS = Gauge("db_migrate_last_success_timestamp_seconds",
                     "Unix time of the last successful run", _LABELS)


def serve(port: int) -> None:
    if port > 0:
        start_http_server(port)
