"""What keeps a run's API writes and the metrics' series bounded, without a cluster.

kopf's bookkeeping (operator/persistence.py) is checked in a process of its own: importing
db_migrate.operator registers every handler and reads the environment.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from prometheus_client import REGISTRY, generate_latest

from db_migrate.reconciler import metrics
from db_migrate.reconciler.settings import Settings

KOPF_PROBE = textwrap.dedent('''
    import json
    import kopf
    from kopf._core.intents.causes import Activity
    from db_migrate.operator import persistence
    startup = [h.id for h in
               kopf.get_default_registry()._activities.get_handlers(activity=Activity.STARTUP)]
    body = kopf.Body({"apiVersion": "migrations.es1.dev/v1alpha1", "kind": "DatabaseMigration",
                      "metadata": {"name": "a", "namespace": "n", "uid": "u1"},
                      "spec": {"database": "d"}})
    last = persistence.LastHandled()
    patch = kopf.Patch()
    before = last.fetch(body=body)
    essence = last.build(body=body)
    last.store(body=body, patch=patch, essence=essence)
    # A handler that succeeded at its first attempt: kopf stores its record, then purges it.
    progress = persistence.ProgressAnnotations(prefix=persistence.PREFIX)
    progress.store(key="reconcile_handler", record={"started": "t", "success": True},
                   body=body, patch=patch)
    progress.purge(key="reconcile_handler", body=body, patch=patch)
    fetched = last.fetch(body=body)
    last.forget("u1")
    settings = kopf.OperatorSettings()
    persistence.install(settings)
    storages = [type(settings.persistence.diffbase_storage).__name__,
                type(settings.persistence.progress_storage).__name__,
                settings.persistence.progress_storage.prefix, settings.persistence.finalizer]
    print(json.dumps({"startup": startup, "patch": dict(patch), "before": before,
                      "fetched": fetched, "essence": essence, "forgotten": last.fetch(body=body),
                      "storages": storages}))
''')


def test_kopf_bookkeeping_of_a_handled_resource_leaves_nothing_to_patch() -> None:
    out = json.loads(subprocess.run([sys.executable, "-c", KOPF_PROBE], check=True,
                                    capture_output=True, text=True).stdout)
    assert out["patch"] == {}, "kopf would PATCH the object for its own bookkeeping"
    assert out["before"] is None and out["fetched"] == out["essence"] == {"spec": {"database": "d"}}
    assert out["forgotten"] is None, "a deleted resource's diff base is dropped"
    # One startup handler sets kopf's persistence (handlers.configure calls install): no second
    # one whose place in kopf's registration order decides which storages win.
    assert out["startup"] == ["configure"]
    assert out["storages"] == ["LastHandled", "ProgressAnnotations", "operator.migrations.es1.dev",
                               "operator.migrations.es1.dev/finalizer"]


def _series(name: str) -> list[str]:
    return [line for line in generate_latest(REGISTRY).decode().splitlines()
            if not line.startswith("#") and f'name="{name}"' in line]


def test_a_resource_has_at_most_its_bounded_series_and_no_histogram_by_default() -> None:
    labels = metrics.resource_labels("units-ns", "bounded", "db1")
    metrics.APPLIED.labels(*labels).inc()
    metrics.FAILED.labels(*labels).inc()
    for result in metrics.RESULTS:
        metrics.RUNS.labels(*labels, result).inc()
    metrics.LAST_SUCCESS.labels(*labels).set_to_current_time()
    metrics.STALLED.labels(*labels).set(0)
    metrics.observe_duration(labels, 0.3)
    try:
        assert len(_series("bounded")) == metrics.SERIES_PER_RESOURCE == 14
        assert not any(s.startswith("db_migrate_run_duration") for s in _series("bounded"))
        assert not any(s.startswith("db_migrate_resource_run_duration") for s in _series("bounded"))
        # spec.database changed: the old database's series go, the resource keeps one set.
        metrics.resource_labels("units-ns", "bounded", "db2")
        assert _series("bounded") == []
    finally:
        metrics.forget("units-ns", "bounded")


def test_per_resource_histograms_are_opt_in_and_removed_with_the_resource() -> None:
    labels = metrics.resource_labels("units-ns", "histo", "db1")
    metrics.observe_duration(labels, 0.3, per_resource=True)
    histogram = [s for s in _series("histo") if s.startswith("db_migrate_resource_run_duration")]
    assert len(histogram) == 16  # 13 buckets, _count, _sum, _created
    metrics.forget("units-ns", "histo")
    assert _series("histo") == []


def test_per_resource_histograms_setting_is_off_unless_asked_for(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DB_MIGRATE_METRICS_PER_RESOURCE_HISTOGRAMS", raising=False)
    assert Settings.from_env().metrics_per_resource_histograms is False
    monkeypatch.setenv("DB_MIGRATE_METRICS_PER_RESOURCE_HISTOGRAMS", "1")
    assert Settings.from_env().metrics_per_resource_histograms is True
