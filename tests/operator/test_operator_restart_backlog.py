"""An operator that starts over more DatabaseMigrations than kopf lets it work on at once.

kopf gives at most ``queueing.worker_limit`` objects a worker (32 with one DB_MIGRATE_WORKER).
While the operator kept a kopf index, every worker first waited for all listed objects to be
indexed, and the objects past the limit waited for a worker: a restart over 33 resources or
more reconciled nothing, ever (kopf issue 1243). Argo CD's tests met it as an operator that
never observed generation 1 after other test modules had left resources behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from testkit import operator_process
from testkit.controlplane import ControlPlane
from tests.operator.conftest import FAST, Kubectl, configmap, dbm, secret
from tests.operator.recovery import ready
from tests.pgservers import PgServer

#: More than the worker limit the operator gets with one worker (max(32, 8 x 1)).
RESOURCES = 40
V1 = {"V1__one.sql": "CREATE TABLE one (id int);"}
V2 = {**V1, "V2__two.sql": "CREATE TABLE two (id int);"}


def at_version(version: str) -> Callable[[dict[str, Any]], bool]:
    return lambda obj: ready(obj) and obj["status"].get("currentVersion") == version


def test_an_operator_started_over_more_resources_than_its_worker_limit_reconciles_them_all(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("backlog")
    items = [json.loads(secret("pg", url)), json.loads(configmap("sql", V1))]
    items += [json.loads(dbm(f"r{i:02d}", "orders", "pg", seed="none",
                             source={"configMaps": {"migrations": {"names": ["sql"]}}}))
              for i in range(RESOURCES)]
    kube.apply(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))

    # Only now the operator: all 40 reach it in its first listing.
    op = operator_process.start(installed, tmp_path, env={
        **FAST, "DB_MIGRATE_WORKERS": "1", "DB_MIGRATE_NAMESPACES": kube.namespace})
    try:
        try:
            for i in range(RESOURCES):
                kube.wait_for(f"r{i:02d}", at_version("1"), timeout=90, what="Ready at V1 after the start")
        except AssertionError as failed:
            raise AssertionError(f"{failed}\noperator log ends:\n{op.logs()[-3000:]}") from None
        # The ConfigMap's readers were learnt from that listing: a new file wakes all of them.
        kube.apply(configmap("sql", V2))
        for i in range(RESOURCES):
            kube.wait_for(f"r{i:02d}", at_version("2"), timeout=90, what="Ready at V2")
        assert "Traceback" not in op.logs()
    finally:
        op.stop()
