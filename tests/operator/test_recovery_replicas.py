"""Two replicas: status writes are conditional on the resourceVersion, and the counts describe
the run that changed the database, not a later one that found nothing to do
(issue 9, recovery 10)."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg

from testkit import operator_process
from testkit.controlplane import ControlPlane
from tests.operator.conftest import FAST, Kubectl, configmap, dbm, secret
from tests.operator.recovery import ready
from tests.pgservers import PgServer

RESOURCES = 3


def test_two_replicas_keep_the_counts_of_the_run_that_applied(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    # Unsharded, so that both reconcile every resource: the overlap of a hand-off between
    # sharded replicas (test_shards_cluster.py), made permanent.
    env = {**FAST, "DB_MIGRATE_NAMESPACES": kube.namespace, "DB_MIGRATE_SHARDING": "off"}
    ops = [operator_process.start(installed, tmp_path / n, name=n, env=env) for n in ("a", "b")]
    try:
        files = {f"V{v}__step.sql": f"CREATE TABLE t{v} (id int); SELECT pg_sleep(0.2);"
                 for v in range(1, 4)}
        kube.apply(configmap("sql", files))
        urls = {}
        for i in range(RESOURCES):
            urls[f"r{i}"] = pg18.create_database(f"rep{i}")
            kube.apply(secret(f"pg{i}", urls[f"r{i}"]))
            kube.apply(dbm(f"r{i}", "orders", f"pg{i}", seed="none",
                           source={"configMaps": {"migrations": {"names": ["sql"]}}}))
        for name in urls:
            kube.wait_for(name, ready, timeout=90, what="Ready")
        # Both replicas reconcile every resource (each watches only this namespace): wait
        # until both have finished all of them, so the later writer had its chance.
        deadline = time.monotonic() + 60
        for op in ops:
            while op.logs().count("Handler 'reconcile_handler' succeeded") < RESOURCES:
                assert time.monotonic() < deadline, f"{op.log.name} did not handle every resource"
                time.sleep(0.3)
        time.sleep(1)
        for name, url in urls.items():
            status = kube.get(name)["status"]
            with psycopg.connect(url) as conn:
                assert conn.execute("SELECT count(*) FROM _schema_migrations").fetchone() == (3,)
            assert (status["applied"], status["skipped"], status["failed"]) == (3, 0, 0), name
            assert status["message"] == "V3 applied; 3 applied, 0 skipped, 0 failed"
    finally:
        for op in ops:
            op.stop()
