"""The API server goes away and comes back (issue 9, recovery 7 and 11).

* A ConfigMap changed while the operator's watch was disconnected is applied within seconds
  of the reconnect: the re-list (events of type None) is compared with the resourceVersions
  each resource recorded in status.sourceRevisions.
* While the API server is down, every handler reports one KubernetesUnavailable line, never a
  traceback, and the operator recovers by itself.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from testkit import operator_process
from testkit.controlplane import ControlPlane, restart_apiserver
from tests.operator.conftest import FAST, Kubectl, configmap, dbm, secret
from tests.operator.recovery import ready, time_to
from tests.pgservers import PgServer

#: The change must be applied within seconds of the reconnect, not at the drift check.
RELIST_S = 10.0


def version(n: str) -> Callable[[dict[str, Any]], bool]:
    def check(obj: dict[str, Any]) -> bool:
        status = obj.get("status") or {}
        return ready(obj) and isinstance(status, dict) and status.get("currentVersion") == n
    return check


def test_a_configmap_changed_while_the_watch_was_down_is_applied_after_the_relist(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    # The drift check is far away (600 s): only the re-list can find the change in time.
    op = operator_process.start(installed, tmp_path, name="relist",
                                env={**FAST, "DB_MIGRATE_NAMESPACES": kube.namespace})
    try:
        kube.apply(secret("pg", pg18.create_database("relist")))
        files = {"V1__a.sql": "CREATE TABLE a (id int);"}
        kube.apply(configmap("sql", files))
        kube.apply(dbm("relist", "orders", "pg", seed="none",
                       source={"configMaps": {"migrations": {"names": ["sql"]}}}))
        kube.wait_for("relist", version("1"), what="V1")
        # Frozen across the restart and the patch, the operator cannot reconnect its watch
        # before the change is made (on a busy node it may well not): the change reaches it
        # only through the re-list, which is the case under test.
        os.kill(op.process.pid, signal.SIGSTOP)
        try:
            restart_apiserver(downtime_s=3)
            files["V2__b.sql"] = "CREATE TABLE b (id int);"
            kube.apply(configmap("sql", files))
        finally:
            os.kill(op.process.pid, signal.SIGCONT)
        elapsed = time_to(kube, "relist", version("2"), RELIST_S, "V2 after the re-list")
        print(f"ConfigMap patched while disconnected -> applied {elapsed:.2f} s after resume")
    finally:
        op.stop()


def test_an_api_server_outage_is_one_line_per_handler_and_heals(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    # A 1 s drift check runs while the API server is down.
    op = operator_process.start(installed, tmp_path, name="down", env={
        **FAST, "DB_MIGRATE_DRIFT_INTERVAL": "1", "DB_MIGRATE_NAMESPACES": kube.namespace})
    try:
        kube.apply(secret("pg", pg18.create_database("kdown")))
        kube.apply(dbm("kdown", "postgres", "pg", seed="none"))
        kube.wait_for("kdown", ready, what="Ready")
        start = len(op.logs())
        restart_apiserver(downtime_s=8)
        time.sleep(3)  # let the drift check run again against the restarted server
        logs = op.logs()[start:]
        ours = [line for line in logs.splitlines() if "drift_check" in line]
        assert not any("failed with an exception" in line for line in ours), ours
        assert "Traceback" not in logs
        assert "KubernetesUnavailable: " in logs
        # Still working afterwards: a new resource goes Ready.
        kube.apply(dbm("after", "postgres", "pg", seed="none"))
        kube.wait_for("after", ready, what="Ready after the outage")
    finally:
        op.stop()
