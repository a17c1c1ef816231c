"""A drift check that meets a database outage keeps Ready (the last verified schema state) and
reports the outage apart: DatabaseReachable=False, the message, one Warning event
(issue 9, recovery 9)."""

from __future__ import annotations

import time
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from testkit import operator_process
from testkit.controlplane import ControlPlane
from tests.operator.conftest import FAST, Kubectl, cond, dbm, secret
from tests.operator.recovery import ready, warnings
from tests.operator.tcp_proxy import UnixSocketProxy
from tests.pgservers import PgServer


def reachable(obj: dict[str, object]) -> str:
    return str(cond(obj, "DatabaseReachable").get("status", ""))


def test_a_database_outage_seen_by_the_drift_check_keeps_ready_and_is_reported_apart(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    database = conninfo_to_dict(pg18.create_database("outage"))["dbname"]
    proxy = UnixSocketProxy(str(pg18.socket_path))
    proxy.start()
    # A 2 s drift check, watching only this namespace.
    op = operator_process.start(installed, tmp_path, name="drift", env={
        **FAST, "DB_MIGRATE_DRIFT_INTERVAL": "2", "DB_MIGRATE_NAMESPACES": kube.namespace})
    try:
        kube.apply(secret("pg", f"postgresql://postgres@127.0.0.1:{proxy.port}/{database}"
                                "?connect_timeout=2"))
        kube.apply(dbm("blip", "postgres", "pg", seed="none"))
        before = kube.wait_for("blip", ready, what="Ready")
        proxy.stop()
        deadline = time.monotonic() + 30
        obj = kube.get("blip")
        while reachable(obj) != "False":
            assert time.monotonic() < deadline, "the drift check never reported the outage"
            assert ready(obj), f"Ready flipped during the outage: {obj['status']}"
            time.sleep(0.2)
            obj = kube.get("blip")
        assert reachable(before) == "True"
        # Ready is the last verified schema state; kstatus sees nothing in progress or stuck.
        assert cond(obj, "Ready") == cond(before, "Ready")
        assert cond(obj, "Reconciling")["status"] == "False"
        assert cond(obj, "Stalled")["status"] == "False"
        outage = cond(obj, "DatabaseReachable")
        assert outage["reason"] == "DatabaseUnavailable"
        assert "Ready keeps the last verified state" in outage["message"]
        assert "cannot verify the schema" in obj["status"]["message"]
        for field in ("applied", "skipped", "currentVersion", "sourceDigest"):
            assert obj["status"][field] == before["status"][field]
        # Several re-checks fail (backoff 1, 2, 4 s): still one Warning, and Ready stays.
        for _ in range(30):
            assert ready(kube.get("blip"))
            time.sleep(0.2)
        assert warnings(kube, "blip", "DatabaseUnavailable") == 1
        proxy = UnixSocketProxy(str(pg18.socket_path), port=proxy.port)
        proxy.start()
        obj = kube.wait_for("blip", lambda o: reachable(o) == "True", timeout=30,
                            what="reachable again")
        assert ready(obj)
        assert obj["status"]["message"] == cond(obj, "Ready")["message"]
    finally:
        proxy.stop()
        op.stop()
