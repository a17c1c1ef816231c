"""The operator's own drift schedule against the real API server (it replaced ``@kopf.timer``):
a dropped history is re-applied by a check, no finalizer is added, and a resource that still
carries the finalizer the timer used to ask for is deletable."""

from __future__ import annotations

import json
import time
from pathlib import Path

import psycopg

from testkit import operator_process
from testkit.controlplane import ControlPlane
from tests.operator.conftest import FAST, Kubectl, configmap, dbm, secret
from tests.operator.recovery import events, ready
from tests.pgservers import PgServer

#: What kopf put on every resource while the drift timer was a kopf timer.
OLD_FINALIZER = "operator.migrations.es1.dev/finalizer"
FILES = {"V1__a.sql": "CREATE TABLE IF NOT EXISTS a (id int);"}


def with_finalizer(manifest: str) -> str:
    obj = json.loads(manifest)
    obj["metadata"]["finalizers"] = [OLD_FINALIZER]
    return json.dumps(obj)


def history_rows(url: str) -> int:
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('_schema_migrations')").fetchone() == (None,):
            return 0
        row = conn.execute("SELECT count(*) FROM _schema_migrations").fetchone()
        return int(row[0]) if row else 0


def test_drift_check_reapplies_a_dropped_history_and_old_finalizers_do_not_block_deletion(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("drift")
    op = operator_process.start(installed, tmp_path, name="drift", env={
        **FAST, "DB_MIGRATE_DRIFT_INTERVAL": "2", "DB_MIGRATE_NAMESPACES": kube.namespace})
    try:
        kube.apply(secret("pg", url))
        kube.apply(configmap("sql", FILES))
        source = {"configMaps": {"migrations": {"names": ["sql"]}}}
        kube.apply(dbm("fresh", "postgres", "pg", seed="none", source=source))
        kube.apply(with_finalizer(dbm("legacy", "postgres", "pg", seed="none", source=source)))
        kube.wait_for("fresh", ready, what="Ready")
        # kopf removes its finalizer once no handler needs one.
        kube.wait_for("legacy", lambda o: ready(o) and not o["metadata"].get("finalizers"),
                      what="Ready without the old finalizer")
        assert not kube.get("fresh")["metadata"].get("finalizers")
        assert history_rows(url) == 1

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP TABLE _schema_migrations")
        dropped = time.monotonic()
        while history_rows(url) != 1:  # a few 2 s intervals, not the loop's idle 30 s
            assert time.monotonic() < dropped + 12, "no drift check re-applied the dropped history"
            time.sleep(0.3)
        print(f"history re-applied {time.monotonic() - dropped:.1f} s after the drop")
        assert ready(kube.get("fresh")) and ready(kube.get("legacy"))
        # The drift check runs on the scheduler's thread, outside kopf's handlers: its Events
        # go through the operator's own client and read as kopf's (same source, same object).
        # Both resources use one database: the first run and the first drift check after the
        # drop each applied V1 once, under either resource (a run that applied files posts one
        # Succeeded event naming them).
        uids = {name: kube.get(name)["metadata"]["uid"] for name in ("fresh", "legacy")}
        deadline = time.monotonic() + 10
        while len(applied := [e for name in uids for e in events(kube, name)
                              if e["reason"] == "Succeeded"]) < 2:
            assert time.monotonic() < deadline, applied
            time.sleep(0.3)
        assert {e["source"]["component"] for e in applied} == {"kopf"}
        assert all(e["involvedObject"]["uid"] == uids[e["involvedObject"]["name"]]
                   and e["involvedObject"]["kind"] == "DatabaseMigration" for e in applied)

        for name in ("fresh", "legacy"):
            kube("delete", "dbm", name, "--timeout=30s")
            assert "NotFound" in kube.plane.kubectl("-n", kube.namespace, "get", "dbm", name,
                                                    check=False).stderr
        time.sleep(5)  # several drift intervals: a deleted resource is not checked again
        logs = op.logs()
        assert "is gone" not in logs and "Traceback" not in logs, logs[-3000:]
    finally:
        op.stop()
