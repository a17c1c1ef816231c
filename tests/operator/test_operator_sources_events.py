"""Source wake-ups, the source's own condition and one event per stall, through the real API
server and the operator process (issue 17, "Bugs found on the way")."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from testkit.operator_process import OperatorProcess
from tests.operator.conftest import Kubectl, cond, configmap, dbm, secret
from tests.operator.recovery import events, ready
from tests.pgservers import PgServer

ORDERS = {"migrations.es1.dev/set": "orders"}
REFERENCE = {"migrations.es1.dev/seed": "reference"}


def stalled(reason: str) -> Callable[[dict[str, Any]], bool]:
    return lambda o: cond(o, "Stalled").get("status") == "True" and \
        cond(o, "Stalled").get("reason") == reason


def test_a_stalled_resource_with_two_selectors_wakes_when_its_migrations_configmap_is_fixed(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(secret("pg", pg18.create_database("twosel")))
    kube.apply(configmap("sql", {"V1__a.sql": "CREATE TABEL a (id int);"}, ORDERS))
    kube.apply(configmap("ref", {"001_a.sql": "INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING;"},
                         REFERENCE))
    kube.apply(dbm("twosel", "orders", "pg", seed="reference", source={"configMaps": {
        "migrations": {"selector": {"matchLabels": ORDERS}},
        "seeds": {"reference": {"selector": {"matchLabels": REFERENCE}}}}}))
    kube.wait_for("twosel", stalled("MigrationFailed"), what="Stalled")
    # Fixing the migrations ConfigMap (matched by the first of the two selectors) must wake
    # the resource: a Stalled one is not retried, so nothing else would.
    kube.apply(configmap("sql", {"V1__a.sql": "CREATE TABLE a (id int PRIMARY KEY);"}, ORDERS))
    obj = kube.wait_for("twosel", ready, timeout=30, what="Ready after the fix")
    assert (obj["status"]["applied"], obj["status"]["currentVersion"]) == (2, "1")
    # The seed set's ConfigMap (the other selector) still wakes it too.
    kube.apply(configmap("ref", {"001_a.sql": "INSERT INTO a VALUES (2) ON CONFLICT DO NOTHING;"},
                         REFERENCE))
    kube.wait_for("twosel", lambda o: ready(o) and o["status"]["applied"] == 1, timeout=30,
                  what="the changed seed applied")


def test_a_deleted_configmap_is_source_unavailable_while_the_database_stays_reachable(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(secret("pg", pg18.create_database("gone")))
    kube.apply(configmap("sql", {"V1__a.sql": "CREATE TABLE IF NOT EXISTS a (id int);"}))
    kube.apply(dbm("gone", "orders", "pg", seed="none",
                   source={"configMaps": {"migrations": {"names": ["sql"]}}}))
    kube("wait", "--for=condition=Ready", "dbm/gone", "--timeout=60s")
    assert cond(kube.get("gone"), "SourceAvailable")["status"] == "True"
    kube("delete", "configmap", "sql")
    obj = kube.wait_for("gone", lambda o: cond(o, "SourceAvailable").get("status") == "False",
                        timeout=30, what="SourceAvailable=False")
    source = cond(obj, "SourceAvailable")
    assert source["reason"] == "ConfigMapNotFound"
    assert f"ConfigMap {kube.namespace}/sql" in source["message"]
    # The database is fine: DatabaseReachable is about it only, and Ready keeps the last
    # verified schema state (kstatus and ArgoCD read Healthy).
    reach = cond(obj, "DatabaseReachable")
    assert (reach["status"], reach["reason"]) == ("True", "Reachable")
    assert cond(obj, "Ready")["status"] == "True"
    assert cond(obj, "Stalled")["status"] == "False"
    kube.apply(configmap("sql", {"V1__a.sql": "CREATE TABLE IF NOT EXISTS a (id int);"}))
    kube.wait_for("gone", lambda o: cond(o, "SourceAvailable").get("status") == "True",
                  timeout=30, what="SourceAvailable=True again")


def test_a_stalled_run_posts_one_event_and_a_repeated_stall_none(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(secret("pg", pg18.create_database("once")))
    kube.apply(configmap("sql", {"V1__a.sql": "CREATE TABEL a (id int);"}))
    kube.apply(dbm("once", "orders", "pg", seed="none",
                   source={"configMaps": {"migrations": {"names": ["sql"]}}}))
    kube.wait_for("once", stalled("MigrationFailed"), what="Stalled")
    # The same failure in another file: a second run, same reason, another message.
    kube.apply(configmap("sql", {"V1__a.sql": "CREATE TABEL b (id int);"}))
    kube.wait_for("once", lambda o: 'TABEL b' in cond(o, "Stalled").get("message", ""),
                  timeout=30, what="the second stall")
    time.sleep(2)  # events are posted asynchronously
    posted = [(e["type"], e["reason"]) for e in events(kube, "once") if e["type"] != "Normal"]
    stalls = [p for p in posted if p[1] != "Warning"]  # the engine's rerun note aside
    # One Warning for the reason, not one per run (each run posted one before).
    assert stalls == [("Warning", "MigrationFailed")], posted
    # Both runs stalled, each reported by one log line; none handed to kopf as a
    # PermanentError, which kopf logged again (at ERROR) as a failed handler.
    logs = operator.logs()
    assert logs.count(f"{kube.namespace}/once is Stalled: ") >= 2
    assert "failed permanently" not in logs
