"""The operator as it ships: the image built from the Dockerfile, running as a Pod of deploy/'s
Deployment (through deploy/overlays/local) on a real node, under the ServiceAccount token that
deploy/'s RBAC grants, against PostgreSQL Pods behind Services resolved by cluster DNS.

The module walks the flow a user walks, one step per test, in order: install, examples Ready,
a ConfigMap edit, a broken migration, the owning operator Pod deleted mid-migration, a third
replica joining, and a rolling update of the image. deploy/ runs two replicas that share the
work through Leases (docs/operator.md "High availability").
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from db_migrate.reconciler.shards import owner
from tests.e2e.cluster import ROOT, NodeCluster, Workspace

pytestmark = [pytest.mark.node, pytest.mark.slow]

OPERATOR_NS = "db-migrate-system"
DEPLOYMENT = "deploy/db-migrate-operator"


@pytest.fixture(scope="module")
def app(node_cluster: NodeCluster) -> Workspace:
    """deploy/overlays/local installed, the dev databases and deploy/examples/ in one namespace."""
    node_cluster.kubectl("apply", "-k", str(ROOT / "deploy" / "overlays" / "local"))
    node_cluster.kubectl("-n", OPERATOR_NS, "rollout", "status", DEPLOYMENT, "--timeout=180s", timeout=200)
    ws = node_cluster.workspace("e2e-app")
    ws.start_databases()
    ws("apply", "-f", str(ROOT / "deploy" / "examples"))
    return ws


def ready(obj: dict[str, Any]) -> bool:
    return cond(obj, "Ready").get("status") == "True"


def cond(obj: dict[str, Any], ctype: str) -> dict[str, Any]:
    return next((c for c in obj.get("status", {}).get("conditions") or [] if c["type"] == ctype), {})


def operator_pods(node_cluster: NodeCluster) -> list[dict[str, Any]]:
    listed = json.loads(node_cluster.kubectl(
        "-n", OPERATOR_NS, "get", "pods", "-l", "app.kubernetes.io/component=operator", "-o", "json").stdout)
    return [p for p in listed["items"] if not p["metadata"].get("deletionTimestamp")]


def member_holders(node_cluster: NodeCluster) -> set[str]:
    listed = json.loads(node_cluster.kubectl(
        "-n", OPERATOR_NS, "get", "leases", "-l", "migrations.es1.dev/operator-member=true",
        "-o", "json").stdout)
    return {lease["spec"]["holderIdentity"] for lease in listed["items"]}


def owning_pod(node_cluster: NodeCluster, namespace: str, name: str) -> str:
    """The operator Pod that owns the resource: rendezvous hashing over the Pod names."""
    return owner(f"{namespace}/{name}", [p["metadata"]["name"] for p in operator_pods(node_cluster)])


def test_operator_pods_become_ready_under_their_service_account_as_lease_members(
        node_cluster: NodeCluster, app: Workspace) -> None:
    pods = operator_pods(node_cluster)
    assert len(pods) == 2
    # Each replica is a member: its Lease is held under its Pod name (the downward API).
    assert member_holders(node_cluster) >= {p["metadata"]["name"] for p in pods}
    for pod in pods:
        check_pod(pod, node_cluster)
    # In-cluster config works: the operator's own log shows it reached the API server.
    log = node_cluster.kubectl("-n", OPERATOR_NS, "logs", DEPLOYMENT).stdout
    assert "Traceback" not in log
    assert "running standalone" not in log


def check_pod(pod: dict[str, Any], node_cluster: NodeCluster) -> None:
    spec, status = pod["spec"], pod["status"]
    assert spec["serviceAccountName"] == "db-migrate-operator"
    assert spec["containers"][0]["image"] == "es1/db-migrate:dev"
    assert spec["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    if node_cluster.node is not None:
        # Pulled from the node's registry (containerd resolves docker.io there): the image ID is
        # the digest the registry serves for the tag that was pushed.
        digest = node_cluster.node.registry_digest("es1/db-migrate:dev")
        assert status["containerStatuses"][0]["imageID"] == f"docker.io/es1/db-migrate@{digest}"
    assert next(c for c in status["conditions"] if c["type"] == "Ready")["status"] == "True"
    # A real projected token, mounted by the ServiceAccount admission plugin (nothing hand-made).
    volumes = [v["name"] for v in spec["volumes"]]
    assert any(v.startswith("kube-api-access-") for v in volumes), volumes


def test_examples_become_ready_with_counts_in_kubectl_get(app: Workspace) -> None:
    app("wait", "--for=condition=Ready", "dbm", "--all", "--timeout=180s", timeout=200)
    table = app("get", "dbmigrations")
    rows = {line.split()[0]: line.split() for line in table.splitlines()[1:]}
    assert set(rows) == {"postgres", "aiml-postgres", "orders"}
    # NAME DATABASE SEED READY VERSION APPLIED SKIPPED FAILED AGE
    assert rows["postgres"][1:8] == ["postgres", "sample", "True", "7", "11", "0", "0"]
    assert rows["aiml-postgres"][1:8] == ["aiml-postgres", "sample", "True", "7", "13", "0", "0"]
    assert rows["orders"][1:8] == ["orders", "reference", "True", "3", "4", "0", "0"]
    assert app.psql("postgres", "SELECT count(*) FROM _schema_migrations") == "11"


def test_operator_pod_memory_stays_below_its_request(node_cluster: NodeCluster, app: Workspace) -> None:
    # The request in deploy/ comes from a measurement (docs/deploy.md); the Pod must honour it
    # once the examples are Ready, or the scheduler's picture of the node is wrong.
    status = node_cluster.kubectl("-n", OPERATOR_NS, "exec", DEPLOYMENT, "--", "cat", "/proc/1/status").stdout
    rss_mib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024
    deployment = json.loads(node_cluster.kubectl("-n", OPERATOR_NS, "get", DEPLOYMENT, "-o", "json").stdout)
    request = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["memory"]
    assert request.endswith("Mi")
    print(f"operator Pod RSS with the examples Ready: {rss_mib:.0f} MiB (request {request})")
    assert 40 < rss_mib < int(request[:-2])


def test_configmap_edit_adds_a_migration_that_gets_applied(app: Workspace) -> None:
    app.add_configmap_key("orders-migrations-2", "V4__orders_note.sql",
                          "ALTER TABLE orders.orders ADD COLUMN IF NOT EXISTS note text;")
    obj = app.wait_dbm("orders", lambda o: ready(o) and o["status"].get("currentVersion") == "4",
                       what="V4 applied")
    assert (obj["status"]["applied"], obj["status"]["failed"]) == (1, 0)
    assert app.psql("postgres", "SELECT count(*) FROM information_schema.columns "
                                "WHERE table_schema = 'orders' AND column_name = 'note'") == "1"


def test_broken_migration_stalls_naming_the_file(app: Workspace) -> None:
    app.add_configmap_key("orders-migrations-2", "V5__broken.sql", "ALTER TABLE orders.nope ADD COLUMN x int;")
    obj = app.wait_dbm("orders", lambda o: cond(o, "Stalled").get("status") == "True", what="Stalled")
    message = cond(obj, "Stalled")["message"]
    assert "V5__broken.sql" in message
    assert "orders.nope" in message
    assert cond(obj, "Ready")["status"] == "False"
    # Fix it the way a user would: replace the file. The resource heals without a restart.
    app.add_configmap_key("orders-migrations-2", "V5__broken.sql", "SELECT 1;")
    app.wait_dbm("orders", lambda o: ready(o) and o["status"].get("currentVersion") == "5", what="V5 fixed")


def test_operator_pod_deleted_mid_migration_is_replaced_and_each_file_runs_once(
        node_cluster: NodeCluster, app: Workspace) -> None:
    app.psql("postgres", "CREATE TABLE IF NOT EXISTS public.e2e_side_effects (version text)")
    app.add_configmap_key("orders-migrations-2", "V6__slow.sql",
                          "INSERT INTO public.e2e_side_effects VALUES ('V6'); SELECT pg_sleep(6);")
    deadline = time.monotonic() + 60
    while app.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'") != "1":
        assert time.monotonic() < deadline, "V6 never started running"
        time.sleep(0.3)
    # The replica running V6: the one that owns the resource.
    victim = owning_pod(node_cluster, app.namespace, "orders")
    node_cluster.kubectl("-n", OPERATOR_NS, "delete", "pod", victim, "--wait=false")
    app.add_configmap_key("orders-migrations-2", "V7__after.sql",
                          "INSERT INTO public.e2e_side_effects VALUES ('V7');")
    app.wait_dbm("orders", lambda o: ready(o) and o["status"].get("currentVersion") == "7",
                 what="V7 applied after the owning Pod was deleted", timeout=180)
    pods = operator_pods(node_cluster)
    assert victim not in {p["metadata"]["name"] for p in pods}
    counts = app.psql("postgres", "SELECT string_agg(version || '=' || n, ',' ORDER BY version) FROM "
                                  "(SELECT version, count(*) n FROM public.e2e_side_effects GROUP BY 1) s")
    assert counts == "V6=1,V7=1"
    assert app.psql("postgres", "SELECT count(*) FROM _orders_schema_migrations "
                                "WHERE version IN ('6', '7') AND success") == "2"


def test_a_third_replica_joins_and_a_new_migration_is_applied_exactly_once(
        node_cluster: NodeCluster, app: Workspace) -> None:
    node_cluster.kubectl("-n", OPERATOR_NS, "scale", DEPLOYMENT, "--replicas=3")
    node_cluster.kubectl("-n", OPERATOR_NS, "rollout", "status", DEPLOYMENT, "--timeout=180s", timeout=200)
    pods = {p["metadata"]["name"] for p in operator_pods(node_cluster)}
    assert len(pods) == 3
    deadline = time.monotonic() + 30
    while not member_holders(node_cluster) >= pods:
        assert time.monotonic() < deadline, "the third replica never held a Lease"
        time.sleep(0.5)
    app.add_configmap_key("orders-migrations-2", "V8__twice.sql",
                          "INSERT INTO public.e2e_side_effects VALUES ('V8'); SELECT pg_sleep(0.5);")
    app.wait_dbm("orders", lambda o: ready(o) and o["status"].get("currentVersion") == "8", what="V8 applied")
    assert app.psql("postgres", "SELECT count(*) FROM public.e2e_side_effects WHERE version = 'V8'") == "1"
    node_cluster.kubectl("-n", OPERATOR_NS, "scale", DEPLOYMENT, "--replicas=2")


def test_rolling_update_of_the_operator_image_keeps_resources_ready(
        node_cluster: NodeCluster, app: Workspace) -> None:
    node_cluster.kubectl("-n", OPERATOR_NS, "rollout", "status", DEPLOYMENT, "--timeout=180s", timeout=200)
    before = {p["metadata"]["name"] for p in operator_pods(node_cluster)}
    node_cluster.kubectl("-n", OPERATOR_NS, "set", "image", DEPLOYMENT, "operator=es1/db-migrate:dev-next")
    node_cluster.kubectl("-n", OPERATOR_NS, "rollout", "status", DEPLOYMENT, "--timeout=180s", timeout=200)
    pods = operator_pods(node_cluster)
    assert [p["spec"]["containers"][0]["image"] for p in pods] == ["es1/db-migrate:dev-next"] * 2
    assert not before & {p["metadata"]["name"] for p in pods}
    # The new Pod resumes every resource and finds nothing to do: all stay Ready with their counts.
    app.add_configmap_key("orders-migrations-2", "V9__after_update.sql", "SELECT 1;")
    app.wait_dbm("orders", lambda o: ready(o) and o["status"].get("currentVersion") == "9", what="V9 applied")
    for name in ("postgres", "aiml-postgres"):
        assert ready(app.get_dbm(name))
