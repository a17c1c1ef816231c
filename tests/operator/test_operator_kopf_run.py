"""``kopf run -m db_migrate.operator`` works as well as the console script: importing the
package only registers the handlers, and kopf's startup handler reads the settings and builds
the shared objects into kopf's memo (operator/runtime.py)."""

from __future__ import annotations

from pathlib import Path

from testkit import operator_process
from testkit.controlplane import ControlPlane
from tests.operator.conftest import FAST, Kubectl, dbm, secret
from tests.operator.recovery import ready
from tests.pgservers import PgServer


def test_kopf_run_m_db_migrate_operator_reconciles_a_resource(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    url = pg18.create_database("kopfrun")
    op = operator_process.start(installed, tmp_path, name="kopf-run",
                                env={**FAST, "DB_MIGRATE_NAMESPACES": kube.namespace},
                                kopf_run=["--standalone", "--namespace", kube.namespace])
    try:
        kube.apply(secret("pg", url))
        kube.apply(dbm("viakopf", "postgres", "pg", seed="none"))
        kube.wait_for("viakopf", ready, what="Ready")
        logs = op.logs()
        assert "Traceback" not in logs, logs[-3000:]
    finally:
        op.stop()
