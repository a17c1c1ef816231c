"""The operator's shared objects (operator/runtime.py) without a cluster: what the startup
handler builds into kopf's memo, the error policy every run shares, and the Events a drift
check posts through the operator's own client."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import urllib3.exceptions
from kopf._core.actions.loggers import ObjectJsonFormatter
from kubernetes.client.exceptions import ApiException

from db_migrate.operator.runtime import Runtime, object_logger
from db_migrate.reconciler.kube import MAX_EVENT_MESSAGE, EventSource, KubeEvents
from db_migrate.reconciler.settings import Settings

LOG = logging.getLogger("test")


@pytest.fixture
def runtime() -> Iterator[Runtime]:
    settings = Settings(**{**Settings.from_env().__dict__, "workers": 4, "sharding": False})
    built = Runtime.build(settings)
    yield built
    built.executor.shutdown(wait=False)


def test_the_runtime_shares_one_pool_and_sizes_the_scheduler_from_the_settings(
        runtime: Runtime) -> None:
    assert runtime.executor._max_workers == 4
    assert runtime.scheduler._drift_parallel == 2 and runtime.scheduler._takeover_parallel == 4
    assert runtime.scheduler._poll_budget == runtime.settings.secret_poll_budget
    assert runtime.membership.standalone and runtime.owns("ns", "any")


def test_a_404_while_running_forgets_the_resource(runtime: Runtime) -> None:
    runtime.scheduler.retry(("ns", "a"), 30.0, {})
    runtime.scheduler.watch(("ns", "a"))

    def deleted() -> None:
        raise ApiException(status=404, reason="Not Found")

    runtime.guarded(("ns", "a"), "reconcile_handler", LOG, deleted)
    assert runtime.scheduler.tracked() == set() and runtime.scheduler.drift_due() == {}


def test_transport_trouble_is_one_line_and_a_retry_on_the_backoff(
        runtime: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    def unreachable() -> None:
        raise urllib3.exceptions.ProtocolError("connection reset")

    for n in (1, 2):
        runtime.guarded(("ns", "a"), "drift_check", LOG, unreachable)
        assert runtime.scheduler.attempt(("ns", "a")) == n
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["KubernetesUnavailable"] * 2
    assert "drift_check: API server unreachable" in caplog.records[0].getMessage()


def test_a_drift_checks_log_lines_name_the_resource_in_json(
        runtime: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    def unreachable() -> None:
        raise urllib3.exceptions.ProtocolError("connection reset")

    runtime.guarded(("ns", "a"), "drift_check", object_logger("ns", "a"), unreachable)
    # kopf's JSON formatter (DB_MIGRATE_LOG_FORMAT=json) puts k8s_ref under "object".
    line = json.loads(ObjectJsonFormatter(refkey="object").format(caplog.records[0]))
    assert line["object"] == {"namespace": "ns", "name": "a"}
    assert line["message"].startswith("KubernetesUnavailable: drift_check:")


def test_any_other_error_is_kopfs_to_report(runtime: Runtime) -> None:
    def forbidden() -> None:
        raise ApiException(status=403, reason="Forbidden")

    with pytest.raises(ApiException):
        runtime.guarded(("ns", "a"), "reconcile_handler", LOG, forbidden)
    assert runtime.scheduler.tracked() == set()


class FakeCore:
    def __init__(self, fail: bool = False) -> None:
        self.posted: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    def create_namespaced_event(self, namespace: str, body: dict[str, Any]) -> None:
        if self.fail:
            raise ApiException(status=503, reason="Service Unavailable")
        self.posted.append((namespace, body))


OBJ = {"apiVersion": "migrations.es1.dev/v1alpha1", "kind": "DatabaseMigration",
       "metadata": {"namespace": "apps", "name": "orders", "uid": "u-1"}}


def test_a_drift_checks_events_are_the_ones_kopf_would_post() -> None:
    events = KubeEvents(OBJ, EventSource("kopf", "dev", "kopf-event-"), api_client=object())  # type: ignore[arg-type]
    events.core = FakeCore()  # type: ignore[assignment]
    events.normal("Applied", "V2 applied")
    events.warning("MigrationFailed", "x" * 5000)
    posted = events.core.posted  # type: ignore[attr-defined]
    assert [(ns, b["type"], b["reason"]) for ns, b in posted] == [
        ("apps", "Normal", "Applied"), ("apps", "Warning", "MigrationFailed")]
    first = posted[0][1]
    assert first["involvedObject"] == {"apiVersion": "migrations.es1.dev/v1alpha1",
                                       "kind": "DatabaseMigration", "namespace": "apps",
                                       "name": "orders", "uid": "u-1"}
    assert first["source"] == {"component": "kopf"} and first["reportingInstance"] == "dev"
    assert first["metadata"] == {"namespace": "apps", "generateName": "kopf-event-"}
    assert len(posted[1][1]["message"]) <= MAX_EVENT_MESSAGE


def test_an_event_that_cannot_be_posted_is_one_log_line_not_an_error(
        caplog: pytest.LogCaptureFixture) -> None:
    events = KubeEvents(OBJ, api_client=object())  # type: ignore[arg-type]
    events.core = FakeCore(fail=True)  # type: ignore[assignment]
    events.warning("MigrationFailed", "boom")
    assert len(caplog.records) == 1
    assert "Event Warning MigrationFailed not posted" in caplog.records[0].getMessage()
