"""The project's GitOps path through a real Argo CD (issue 19 §1 and §2).

Argo CD's application controller and repo server (built from the pinned Go module, with redis)
sync deploy/examples/gitops from a file:// git repository, with the Application of
deploy/argocd/es1-platform-application.yaml and the health check of deploy/argocd/argocd-cm.yaml,
against the local control plane. The operator runs as a process; PostgreSQL is real.

The repository is a copy of the example with two changes only: its Secret names the test's
PostgreSQL, and the app's Deployment (wave 0) is a ConfigMap, because no kubelet runs Pods here;
a ConfigMap's arrival (and its `release` value) shows when Argo CD released the app wave.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from psycopg.conninfo import conninfo_to_dict

from testkit.argocd import ArgoCD, GitRepo
from testkit.controlplane import ControlPlane, repo_root
from testkit.operator_process import OperatorProcess
from tests.operator.conftest import Kubectl, cond
from tests.pgservers import PgServer

# The first test may include Argo CD's cold build (tools/argocd/build, about 11 min on 2 cores),
# which .ci/run does beforehand.
pytestmark = [pytest.mark.cluster, pytest.mark.slow, pytest.mark.timeout(1800)]

EXAMPLE = Path("deploy") / "examples" / "gitops"
APPLICATION = Path("deploy") / "argocd" / "es1-platform-application.yaml"
APP_CONFIG = "orders-api-config"
#: How long the stopped operator must hold the app wave back (the issue saw it slip in 5 s).
PAUSE = 30


def app_wave(release: str) -> str:
    """The wave-0 stand-in for the app's Deployment: a ConfigMap needs no kubelet to be applied."""
    return yaml.safe_dump({
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": APP_CONFIG, "annotations": {"argocd.argoproj.io/sync-wave": "0"}},
        "data": {"release": release}})


@dataclass
class Deployed:
    repo: GitRepo
    name: str
    kube: Kubectl
    db_url: str

    def app_release(self) -> str | None:
        out = self.kube("get", "configmap", APP_CONFIG, "-o", "json", check=False)
        return json.loads(out)["data"]["release"] if out.strip() else None

    def table_exists(self, table: str) -> bool:
        with psycopg.connect(self.db_url) as conn:
            row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
        return bool(row and row[0])

    def add_migration(self, filename: str, sql: str) -> None:
        """Add a file to the repository and to the configMapGenerator's list, as a user would."""
        self.repo.write(f"{EXAMPLE}/migrations/{filename}", sql)
        kustomization = self.repo.path / EXAMPLE / "kustomization.yaml"
        doc = yaml.safe_load(kustomization.read_text())
        files = doc["configMapGenerator"][0]["files"]
        if f"migrations/{filename}" not in files:
            files.append(f"migrations/{filename}")
        kustomization.write_text(yaml.safe_dump(doc, sort_keys=False))

    def release(self, release: str) -> None:
        self.repo.write(f"{EXAMPLE}/app.yaml", app_wave(release))


def resource(app: dict[str, Any], kind: str) -> dict[str, Any]:
    return next((r for r in app.get("status", {}).get("resources") or [] if r["kind"] == kind), {})


def healthy_at(revision: str) -> Any:
    def check(app: dict[str, Any]) -> bool:
        status = app.get("status", {})
        return bool(status.get("sync", {}).get("status") == "Synced"
                    and status.get("sync", {}).get("revision") == revision
                    and status.get("health", {}).get("status") == "Healthy"
                    and status.get("operationState", {}).get("phase") == "Succeeded")
    return check


@contextmanager
def stopped(operator: OperatorProcess) -> Iterator[None]:
    """The operator frozen (SIGSTOP) as a slow, hung or restarting operator would be."""
    os.kill(operator.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(operator.process.pid, signal.SIGCONT)


def wait_until(predicate: Any, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.5)


@pytest.fixture
def deployed(argo: ArgoCD, operator: OperatorProcess, control_plane: ControlPlane, k8s_namespace: str,
             pg18: PgServer, tmp_path: Path) -> Iterator[Deployed]:
    """A file:// repository holding the example at its own path, adapted to this test's namespace
    and database (create_application then applies the shipped Application pointing at it)."""
    root = repo_root()
    work = tmp_path / "repo"
    shutil.copytree(root / EXAMPLE, work / EXAMPLE)
    db_url = pg18.create_database("argo")
    conn = conninfo_to_dict(db_url)
    secret_file = work / EXAMPLE / "secret.yaml"
    secret = yaml.safe_load(secret_file.read_text())
    # Through the server's unix socket directory (a host starting with "/"), as libpq reads it.
    secret["stringData"].update(host=str(conn["host"]), port=str(conn["port"]), dbname=str(conn["dbname"]),
                                user=str(conn["user"]))
    secret_file.write_text(yaml.safe_dump(secret, sort_keys=False))
    kustomization = work / EXAMPLE / "kustomization.yaml"
    text = kustomization.read_text()
    assert "namespace: es1-orders\n" in text
    kustomization.write_text(text.replace("namespace: es1-orders\n", f"namespace: {k8s_namespace}\n"))
    (work / EXAMPLE / "app.yaml").write_text(app_wave("1"))
    repo = GitRepo.init(work, "the gitops example, adapted to the test's database")
    yield Deployed(repo, k8s_namespace, Kubectl(control_plane, k8s_namespace), db_url)
    # The Application goes before its namespace: the controller stops syncing into it.
    control_plane.kubectl("-n", "argocd", "delete", "applications.argoproj.io", k8s_namespace,
                          "--ignore-not-found", "--wait=false")


def create_application(argo: ArgoCD, d: Deployed) -> None:
    app = yaml.safe_load((repo_root() / APPLICATION).read_text())
    app["metadata"]["name"] = d.name
    app["spec"]["source"]["repoURL"] = d.repo.url
    assert app["spec"]["source"]["path"] == str(EXAMPLE)
    app["spec"]["destination"]["namespace"] = d.name
    # Argo CD prunes with foreground deletion, which only a garbage collector (kube-controller-
    # manager) completes; the local control plane runs none, so a pruned ConfigMap would stay
    # Terminating and the Application OutOfSync. The only change to the shipped sync policy.
    app["spec"]["syncPolicy"]["syncOptions"].append("PrunePropagationPolicy=background")
    argo.apply(app)


def test_the_migration_wave_holds_the_app_wave_until_the_operator_reports_ready(
        argo: ArgoCD, operator: OperatorProcess, deployed: Deployed) -> None:
    head = deployed.repo.git("rev-parse", "HEAD").strip()
    with stopped(operator):
        create_application(argo, deployed)
        # Waves -2 and -1 are applied: the DatabaseMigration exists, with no status yet.
        wait_until(lambda: bool(deployed.kube("get", "dbm", "orders", "--ignore-not-found").strip()),
                   "Argo CD to apply the DatabaseMigration (wave -1)")
        time.sleep(PAUSE / 2)
        app = argo.application(deployed.name)
        assert app["status"]["operationState"]["phase"] == "Running", app["status"]["operationState"]
        assert resource(app, "DatabaseMigration").get("health", {}).get("status") == "Progressing"
        assert deployed.app_release() is None, "the app wave was released before the migration ran"
        assert not deployed.table_exists("orders.orders")
    argo.wait_for(deployed.name, healthy_at(head), what="Synced and Healthy once the operator runs")
    assert deployed.app_release() == "1"
    assert deployed.table_exists("orders.order_status")
    assert cond(deployed.kube.get("orders"), "Ready")["status"] == "True"


def test_a_broken_migration_degrades_the_application_naming_the_file_and_a_fix_heals_it(
        argo: ArgoCD, operator: OperatorProcess, deployed: Deployed) -> None:
    create_application(argo, deployed)
    head = deployed.repo.git("rev-parse", "HEAD").strip()
    argo.wait_for(deployed.name, healthy_at(head), what="the first sync")

    deployed.add_migration("V3__notes.sql",
                           "CREATE TABLE orders.notes (id int);\nINSERT INTO orders.nowhere VALUES (1);\n")
    deployed.release("2")
    broken = deployed.repo.commit("V3, broken on line 2, with the app change that needs it")
    argo.refresh(deployed.name)
    app = argo.wait_for(deployed.name, lambda a: a["status"].get("health", {}).get("status") == "Degraded",
                        what="Degraded on the broken migration")
    message = resource(app, "DatabaseMigration")["health"]["message"]
    assert "V3__notes.sql" in message and "line 2" in message, message
    assert app["status"]["operationState"]["syncResult"]["revision"] == broken
    assert deployed.app_release() == "1", "the app wave was released over a failed migration"

    deployed.add_migration("V3__notes.sql", "CREATE TABLE orders.notes (id int);\n")
    fixed = deployed.repo.commit("V3 fixed")
    argo.refresh(deployed.name)
    # retry.refresh in the shipped Application: the next retry (30 s backoff) syncs the fix.
    argo.wait_for(deployed.name, healthy_at(fixed), what="healed by the fixing commit", timeout=240)
    assert deployed.app_release() == "2"
    assert deployed.table_exists("orders.notes")


def test_a_sql_only_commit_does_not_release_the_app_wave_while_the_operator_is_stopped(
        argo: ArgoCD, operator: OperatorProcess, deployed: Deployed) -> None:
    # Issue 19 §2: V3 added to the migrations alone, with the app's wave-0 change; the hashed
    # ConfigMap name makes it a spec change, so Argo CD must wait for the operator.
    create_application(argo, deployed)
    head = deployed.repo.git("rev-parse", "HEAD").strip()
    argo.wait_for(deployed.name, healthy_at(head), what="the first sync")
    generation = deployed.kube.get("orders")["metadata"]["generation"]

    with stopped(operator):
        deployed.add_migration("V3__notes.sql", "CREATE TABLE orders.notes (id int);\n")
        deployed.release("2")
        commit = deployed.repo.commit("V3 and the app change that needs it")
        argo.refresh(deployed.name)
        # Argo CD has seen the commit and applied waves -2 and -1 of it...
        argo.wait_for(deployed.name,
                      lambda a: a["status"].get("operationState", {}).get("syncResult", {}).get("revision")
                      == commit and a["status"]["operationState"]["phase"] == "Running",
                      what="a sync of the new commit")
        wait_until(lambda: deployed.kube.get("orders")["metadata"]["generation"] > generation,
                   "the DatabaseMigration's spec to name the new ConfigMap")
        # ...and holds wave 0 back for as long as the operator is stopped.
        deadline = time.monotonic() + PAUSE
        while time.monotonic() < deadline:
            assert deployed.app_release() == "1", "the app wave was released against the old schema"
            time.sleep(1)
        app = argo.application(deployed.name)
        assert app["status"]["operationState"]["phase"] == "Running"
        health = resource(app, "DatabaseMigration")["health"]
        assert health["status"] == "Progressing", health
        assert not deployed.table_exists("orders.notes")

    wait_until(lambda: deployed.app_release() == "2", "the app wave after the operator resumed")
    # Released only once the new SQL had run.
    assert deployed.table_exists("orders.notes")
    argo.wait_for(deployed.name, healthy_at(commit), what="Synced and Healthy at the new commit")


def test_without_the_hash_suffix_the_same_commit_slips_past_the_stopped_operator(
        argo: ArgoCD, operator: OperatorProcess, deployed: Deployed) -> None:
    # The control for the test above, and the observation: with a fixed ConfigMap name
    # the SQL-only commit leaves the DatabaseMigration's spec (and generation) as it was, the
    # resource reads Ready from the previous run, and Argo CD releases the app wave at once.
    kustomization = deployed.repo.path / EXAMPLE / "kustomization.yaml"
    doc = yaml.safe_load(kustomization.read_text())
    doc["configMapGenerator"][0]["options"]["disableNameSuffixHash"] = True
    kustomization.write_text(yaml.safe_dump(doc, sort_keys=False))
    fixed_name = deployed.repo.commit("a fixed ConfigMap name, as before deploy/examples/gitops")
    create_application(argo, deployed)
    argo.wait_for(deployed.name, healthy_at(fixed_name), what="the first sync")

    with stopped(operator):
        deployed.add_migration("V3__notes.sql", "CREATE TABLE orders.notes (id int);\n")
        deployed.release("2")
        deployed.repo.commit("V3 and the app change that needs it")
        argo.refresh(deployed.name)
        wait_until(lambda: deployed.app_release() == "2", "the app wave to slip through", timeout=PAUSE * 2)
        # Released against the V2 schema: V3 has not run.
        assert not deployed.table_exists("orders.notes")
