"""The seed's one-shot Kubernetes Job, exactly as its README runs it: ``kubectl apply -f
deploy/jobs/``, ``kubectl wait --for=condition=complete job/db-migrate``, ``kubectl logs
job/db-migrate``; then delete it and apply it again."""

from __future__ import annotations

import re

import pytest

from tests.e2e.cluster import ROOT, NodeCluster

pytestmark = [pytest.mark.node, pytest.mark.slow]

SUMMARY = re.compile(r"^(\d+) applied, (\d+) skipped, (\d+) failed$", re.M)


def run_job(node_cluster: NodeCluster, namespace: str) -> tuple[int, int, int, str]:
    kubectl = node_cluster.kubectl
    kubectl("-n", namespace, "apply", "-f", str(ROOT / "deploy" / "jobs"))
    kubectl("-n", namespace, "wait", "--for=condition=complete", "job/db-migrate", "--timeout=240s", timeout=260)
    logs = kubectl("-n", namespace, "logs", "job/db-migrate").stdout
    summaries = SUMMARY.findall(logs)
    assert summaries, f"no summary line in the Job's log:\n{logs}"
    applied, skipped, failed = (int(n) for n in summaries[-1])
    return applied, skipped, failed, logs


def test_job_applies_everything_then_skips_everything_when_run_again(node_cluster: NodeCluster) -> None:
    ws = node_cluster.workspace("e2e-job")
    ws.start_databases()
    applied, skipped, failed, logs = run_job(node_cluster, ws.namespace)
    # migrations of both databases plus their reference seeds
    assert (applied, skipped, failed) == (17, 0, 0), logs
    assert ws.psql("postgres", "SELECT count(*) FROM _schema_migrations WHERE success") == "8"
    ws("delete", "job", "db-migrate", "--wait=true")
    applied, skipped, failed, logs = run_job(node_cluster, ws.namespace)
    assert (applied, skipped, failed) == (0, 17, 0), logs
