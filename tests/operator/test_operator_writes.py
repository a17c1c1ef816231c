"""What one run writes to the API server, counted on the wire (issue 18 §2).

The operator process reaches the real API server through a counting proxy
(testkit/apiwrites.py), so kopf's own writes (its annotation patches, its Events) are counted
with ours. docs/operator.md, "What one run writes", is the sequence these tests hold.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from testkit import operator_process
from testkit.apiwrites import Write, WriteCounter
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess
from tests.operator.conftest import FAST, Kubectl, cond, dbm, secret
from tests.pgservers import PgServer

PLURAL = "databasemigrations"
#: kopf posts Events from a queue and would patch its bookkeeping after the handler returns.
SETTLE_S = 3.0


@pytest.fixture(scope="module")
def counted(installed: ControlPlane,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WriteCounter, OperatorProcess]]:
    counter = operator_process.write_counter(installed)
    op = operator_process.start(installed, tmp_path_factory.mktemp("operator"), env=FAST,
                                via=counter)
    yield counter, op
    op.stop()
    counter.stop()


def kinds(writes: list[Write]) -> list[str]:
    """Each write as "PATCH status", "PATCH object" or "POST Event"."""
    return [f"{w.method} Event" if w.path.endswith("/events") else
            f"{w.method} {'status' if w.path.endswith('/status') else 'object'}" for w in writes]


def events(kube: Kubectl, name: str) -> list[tuple[str, str, str]]:
    items = json.loads(kube("get", "events", "--field-selector", f"involvedObject.name={name}",
                            "-o", "json"))["items"]
    return [(e["type"], e["reason"], e["message"]) for e in items]


def test_a_new_resource_costs_two_api_writes_one_status_patch_and_one_event(
        counted: tuple[WriteCounter, OperatorProcess], kube: Kubectl, pg18: PgServer) -> None:
    counter, _ = counted
    kube.apply(secret("pg", pg18.create_database("writes")))
    # The image's migrations (DB_MIGRATE_MIGRATIONS_DIR): a ConfigMap created just before the
    # resource may reach the operator after it and wake it once more (docs/operator.md).
    kube.apply(dbm("fresh", "postgres", "pg", seed="none"))

    kube("wait", "--for=condition=Ready", "dbm/fresh", "--timeout=60s")
    time.sleep(SETTLE_S)

    writes = counter.about(kube.namespace, PLURAL, "fresh")
    assert kinds(writes) == ["PATCH status", "POST Event"], (kinds(writes), writes)
    assert all(200 <= w.status < 300 for w in writes), writes
    # The one event names the files the run applied; the status carries the counts.
    [(kind, reason, message)] = events(kube, "fresh")
    assert (kind, reason) == ("Normal", "Succeeded")
    assert message.startswith("V7 applied; 7 applied, 0 skipped, 0 failed: V001__extensions.sql (")
    assert "V007__tenant_isolation_policies.sql (" in message
    obj = kube.get("fresh")
    assert obj["status"]["observedGeneration"] == obj["metadata"]["generation"]
    # kopf keeps no bookkeeping on the object: no annotation written, none left behind.
    assert not any(k.startswith("operator.migrations.es1.dev/")
                   for k in obj["metadata"].get("annotations") or {})


def test_a_spec_change_is_waited_for_without_an_early_write_and_costs_two_writes(
        counted: tuple[WriteCounter, OperatorProcess], kube: Kubectl, pg18: PgServer) -> None:
    counter, _ = counted
    kube.apply(secret("pg", pg18.create_database("respec")))
    kube.apply(dbm("respec", "postgres", "pg", seed="none", targetVersion=3))
    kube("wait", "--for=condition=Ready", "dbm/respec", "--timeout=60s")
    assert kube.get("respec")["status"]["currentVersion"] == "3"
    time.sleep(SETTLE_S)
    before = len(counter.about(kube.namespace, PLURAL, "respec"))

    kube("patch", "dbm", "respec", "--type=merge", "-p", '{"spec": {"targetVersion": 7}}')
    changed = kube.get("respec")
    generation = changed["metadata"]["generation"]
    # Until the run ends the status describes the old generation, which every GitOps reader
    # takes as in progress: kstatus and the Argo CD health check by status.observedGeneration,
    # kubectl wait by the Ready condition's observedGeneration.
    if changed["status"].get("currentVersion") == "3":
        assert changed["status"]["observedGeneration"] < generation
        assert cond(changed, "Ready")["observedGeneration"] < generation
    kube("wait", "--for=condition=Ready", "dbm/respec", "--timeout=60s")

    obj = kube.get("respec")
    assert obj["status"]["currentVersion"] == "7", "kubectl wait passed on the old generation"
    assert obj["status"]["observedGeneration"] == generation
    time.sleep(SETTLE_S)
    writes = counter.about(kube.namespace, PLURAL, "respec")[before:]
    assert kinds(writes) == ["PATCH status", "POST Event"], (kinds(writes), writes)


def test_only_a_deletion_runs_the_diff_base_cleanup_handler(
        counted: tuple[WriteCounter, OperatorProcess], kube: Kubectl, pg18: PgServer) -> None:
    """kopf runs (and logs) an unfiltered event handler on every watch event of every resource:
    the diff base's cleanup runs on deletions only, so a run's own events log nothing for it."""
    _, op = counted
    line = "Handler 'forget_deleted' succeeded"
    kube.apply(secret("pg", pg18.create_database("quiet")))
    before = op.logs().count(line)
    kube.apply(dbm("quiet", "postgres", "pg", seed="none"))
    kube("wait", "--for=condition=Ready", "dbm/quiet", "--timeout=60s")
    kube("annotate", "dbm", "quiet", "example.com/touched=1")
    time.sleep(SETTLE_S)
    assert op.logs().count(line) == before, "an ADDED or MODIFIED event ran forget_deleted"

    kube("delete", "dbm", "quiet")
    deadline = time.monotonic() + 30
    while op.logs().count(line) == before:
        assert time.monotonic() < deadline, "the deletion did not run forget_deleted"
        time.sleep(0.3)
