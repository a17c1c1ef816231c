"""The Deployment's memory request covers the operator's measured idle RSS (issue 9, recovery 13).

The operator runs as in every operator test (a process under deploy/'s ServiceAccount against
the local kube-apiserver) with 50 Ready resources; its idle RSS plus 50 % headroom (growth to a
few hundred resources, runs in flight) must fit the request, and the limit must leave at least
twice the idle RSS. docs/deploy.md has the figures
from bench/operator_bench.py --memory (up to 200 resources).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import yaml

from testkit import operator_process
from testkit.controlplane import ControlPlane, repo_root
from tests.operator.conftest import FAST, Kubectl, configmap, dbm, secret
from tests.operator.recovery import ready
from tests.pgservers import PgServer

RESOURCES = 50
HEADROOM = 1.5
UNITS = {"Ki": 1 / 1024, "Mi": 1.0, "Gi": 1024.0}


def mib(quantity: str) -> float:
    return float(quantity[:-2]) * UNITS[quantity[-2:]]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_the_memory_request_covers_the_measured_idle_rss(
        installed: ControlPlane, kube: Kubectl, pg18: PgServer, tmp_path: Path) -> None:
    op = operator_process.start(installed, tmp_path, name="mem",
                                env={**FAST, "DB_MIGRATE_NAMESPACES": kube.namespace})
    try:
        kube.apply(secret("pg", pg18.create_database("mem")))
        kube.apply(configmap("sql", {f"V{v}__t.sql": f"CREATE TABLE IF NOT EXISTS t{v} (id int);"
                                     for v in range(1, 11)}))
        for i in range(RESOURCES):
            kube.apply(dbm(f"m{i}", "orders", "pg", seed="none",
                           source={"configMaps": {"migrations": {"names": ["sql"]}}}))
        deadline = time.monotonic() + 300
        while True:
            items = json.loads(kube("get", "dbm", "-o", "json"))["items"]
            if sum(1 for o in items if ready(o)) == RESOURCES:
                break
            assert time.monotonic() < deadline, "not all resources became Ready"
            time.sleep(1)
        samples = []
        for _ in range(10):
            time.sleep(1)
            samples.append(rss_mib(op.process.pid))
        idle = statistics.mean(samples)
        # Leave nothing for the cluster-wide operators of later test modules to resume.
        kube("delete", "dbm", "--all", "--timeout=120s")
    finally:
        op.stop()
    deployment = yaml.safe_load((repo_root() / "deploy" / "base" / "deployment.yaml").read_text())
    resources = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]
    request, limit = mib(resources["requests"]["memory"]), mib(resources["limits"]["memory"])
    print(f"idle RSS with {RESOURCES} Ready resources: {idle:.1f} MiB; request {request:.0f} Mi")
    assert request >= idle * HEADROOM, f"request {request} MiB < idle RSS {idle:.1f} MiB + 50 %"
    assert limit >= 2 * idle
