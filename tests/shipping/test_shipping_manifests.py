"""deploy/: every manifest parses, the kustomize base renders the operator install, the RBAC is
least-privilege, the Deployment is hardened, and examples, Job and ArgoCD material fit together."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.shipping.helpers import (
    CRD_PATH,
    DEPLOY,
    HEALTH_DIR,
    ROOT,
    by_kind,
    deploy_yaml_files,
    find_kubectl,
    load_docs,
    url_variable,
)

NAMESPACE = "db-migrate-system"
SERVICE_ACCOUNT = "db-migrate-operator"
IMAGE = "es1/db-migrate:0.1.0"
# kustomize files, not Kubernetes objects (kustomizeconfig.yaml: kustomize's nameReference setup).
KUSTOMIZATION_FILES = {"kustomization.yaml", "Kustomization", "kustomizeconfig.yaml"}

# (apiGroup, resource) -> verbs: exactly what kopf needs when it runs --all-namespaces,
# --standalone and with resource scanning disabled (see the comments in clusterrole.yaml).
EXPECTED_RULES = {
    ("migrations.es1.dev", "databasemigrations"): {"get", "list", "watch", "patch"},
    ("migrations.es1.dev", "databasemigrations/status"): {"patch"},
    ("", "configmaps"): {"get", "list", "watch"},
    # get only: no Secret is ever streamed to the operator (docs/security.md).
    ("", "secrets"): {"get"},
    # kopf posts core/v1 events with a plain create.
    ("", "events"): {"create"},
}
# The member Leases (reconciler/shards.py), in the operator's namespace only (a Role): list to
# see the peers, delete to leave at once and to remove Leases of killed replicas.
LEASE_RULES = {("coordination.k8s.io", "leases"): {"get", "create", "update", "list", "delete"}}


def manifest_files() -> list[Path]:
    files = [*deploy_yaml_files(), CRD_PATH]
    # ArgoCD health-test material is not a set of Kubernetes manifests.
    return [path for path in files if path.name not in KUSTOMIZATION_FILES and HEALTH_DIR not in path.parents]


def render(directory: Path) -> list[dict[str, Any]]:
    kubectl = find_kubectl()
    if kubectl is None:
        pytest.skip("no kubectl (with built-in kustomize) on PATH or at /usr/bin/kubectl")
    result = subprocess.run(
        [kubectl, "kustomize", str(directory)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[dict[str, Any]]]:
    return by_kind(render(DEPLOY))


def one(rendered: dict[str, list[dict[str, Any]]], kind: str) -> dict[str, Any]:
    (obj,) = rendered[kind]
    return obj


def container(workload: dict[str, Any]) -> dict[str, Any]:
    containers: list[dict[str, Any]] = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, "one container per pod"
    return containers[0]


def assert_hardened(workload: dict[str, Any]) -> None:
    pod = workload["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    context = container(workload)["securityContext"]
    assert context["runAsNonRoot"] is True
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"] == {"drop": ["ALL"]}
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    resources = container(workload)["resources"]
    assert {"cpu", "memory"} <= set(resources["requests"])
    assert "memory" in resources["limits"]


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_manifest_parses_into_named_kubernetes_objects(path: Path) -> None:
    docs = load_docs(path)
    assert docs, f"{path} holds no object"
    for doc in docs:
        assert isinstance(doc.get("apiVersion"), str) and isinstance(doc.get("kind"), str)
        assert doc["metadata"]["name"]


def test_kustomize_base_renders_the_whole_operator_install(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    expected = {
        "Namespace",
        "CustomResourceDefinition",
        "ServiceAccount",
        "ClusterRole",
        "ClusterRoleBinding",
        "Role",
        "RoleBinding",
        "Deployment",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "Service",
    }
    assert set(rendered) == expected
    assert all(len(objs) == 1 for objs in rendered.values())
    assert one(rendered, "Namespace")["metadata"]["name"] == NAMESPACE
    # The CRD comes from crds/ unchanged except for kustomize's common labels.
    crd = one(rendered, "CustomResourceDefinition")
    (original,) = load_docs(CRD_PATH)
    assert crd["spec"] == original["spec"]
    for kind in ("ServiceAccount", "Deployment", "Service", "Role", "RoleBinding", "PodDisruptionBudget",
                 "NetworkPolicy"):
        assert one(rendered, kind)["metadata"]["namespace"] == NAMESPACE


def test_cluster_role_is_bound_to_the_operator_service_account(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    binding = one(rendered, "ClusterRoleBinding")
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": one(rendered, "ClusterRole")["metadata"]["name"],
    }
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": SERVICE_ACCOUNT, "namespace": NAMESPACE}
    ]
    pod = one(rendered, "Deployment")["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] == SERVICE_ACCOUNT
    assert one(rendered, "ServiceAccount")["metadata"]["name"] == SERVICE_ACCOUNT


def test_cluster_role_grants_exactly_what_kopf_needs(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    granted: dict[tuple[str, str], set[str]] = {}
    for rule in one(rendered, "ClusterRole")["rules"]:
        assert "resourceNames" not in rule and "nonResourceURLs" not in rule
        for group in rule["apiGroups"]:
            for resource in rule["resources"]:
                granted.setdefault((group, resource), set()).update(rule["verbs"])
    assert granted == EXPECTED_RULES
    everything = {verb for verbs in granted.values() for verb in verbs}
    assert "*" not in everything
    # Never allowed: writing Secrets/ConfigMaps, or deleting anything.
    assert not {"create", "update", "delete"} & (granted[("", "secrets")] | granted[("", "configmaps")])
    assert "delete" not in everything


def test_operator_deployment_is_hardened_and_probed(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    deployment = one(rendered, "Deployment")
    assert_hardened(deployment)
    operator = container(deployment)
    assert operator["image"] == IMAGE
    # The image's ENTRYPOINT (db-migrate-operator) runs; nothing overrides it.
    assert "command" not in operator and "args" not in operator
    ports = {port["name"]: port["containerPort"] for port in operator["ports"]}
    assert ports == {"health": 8080, "metrics": 9090}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert operator[probe]["httpGet"] == {"path": "/healthz", "port": "health"}, probe
    env = {item["name"]: item.get("value") for item in operator["env"]}
    downward = {item["name"]: item["valueFrom"]["fieldRef"]["fieldPath"] for item in operator["env"]
                if "valueFrom" in item}
    assert set(env) == {"DB_MIGRATE_DRIFT_INTERVAL", "DB_MIGRATE_WORKERS", "DB_MIGRATE_ALLOWED_HOSTS",
                        "DB_MIGRATE_API_CONNECTIONS", "DB_MIGRATE_STATUS_MIGRATIONS", "POD_NAME",
                        "DB_MIGRATE_LEASE_NAMESPACE"}
    # The replica's identity and the Lease namespace come from the downward API.
    assert downward == {"POD_NAME": "metadata.name", "DB_MIGRATE_LEASE_NAMESPACE": "metadata.namespace"}
    assert env["DB_MIGRATE_ALLOWED_HOSTS"] == ""  # unrestricted until the administrator fences it
    assert all(value is not None and value.isdigit() for name, value in env.items()
               if name not in {"DB_MIGRATE_ALLOWED_HOSTS", *downward})
    # The read-only root filesystem leaves /tmp writable through an emptyDir.
    mounts = {mount["mountPath"] for mount in operator["volumeMounts"]}
    assert "/tmp" in mounts


def test_two_replicas_by_default_spread_over_nodes_and_never_evicted_together(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    deployment = one(rendered, "Deployment")
    assert deployment["spec"]["replicas"] == 2
    # A new Pod joins before an old one leaves: a rollout never drops below two members.
    assert deployment["spec"]["strategy"] == {
        "type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]
    assert {c["topologyKey"] for c in spread} == {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}
    assert all(c["labelSelector"]["matchLabels"].items() <= pod_labels.items() for c in spread)
    pdb = one(rendered, "PodDisruptionBudget")
    assert pdb["spec"]["minAvailable"] == 1
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()


def test_lease_role_grants_member_leases_in_the_operator_namespace_only(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    role, binding = one(rendered, "Role"), one(rendered, "RoleBinding")
    assert role["metadata"]["namespace"] == binding["metadata"]["namespace"] == NAMESPACE
    assert _granted(role) == LEASE_RULES
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                  "name": role["metadata"]["name"]}
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": SERVICE_ACCOUNT, "namespace": NAMESPACE}]
    cluster_wide = _granted(one(rendered, "ClusterRole"))
    assert ("coordination.k8s.io", "leases") not in cluster_wide


def test_metrics_service_targets_the_operator_pods(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    service = one(rendered, "Service")
    labels = one(rendered, "Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"] == [
        {"name": "metrics", "port": 9090, "targetPort": "metrics", "protocol": "TCP"}
    ]


def test_examples_reference_secrets_and_configmaps_they_ship() -> None:
    docs = [doc for path in sorted((DEPLOY / "examples").glob("*.yaml")) for doc in load_docs(path)]
    kinds = by_kind(docs)
    secrets = {s["metadata"]["name"]: set(s["stringData"]) for s in kinds["Secret"]}
    configmaps = {c["metadata"]["name"]: c["metadata"].get("labels", {}) for c in kinds["ConfigMap"]}
    migrations = {dm["metadata"]["name"]: dm["spec"] for dm in kinds["DatabaseMigration"]}
    assert {"postgres", "aiml-postgres", "orders"} <= set(migrations)
    for name in ("postgres", "aiml-postgres"):
        spec = migrations[name]
        assert (spec["database"], spec["seed"]) == (name, "sample")
        ref = spec["connection"]["urlSecretRef"]
        assert ref["key"] in secrets[ref["name"]]
    for spec in migrations.values():
        ref = spec["connection"].get("urlSecretRef") or spec["connection"]["passwordSecretRef"]
        assert ref["name"] in secrets
    orders = migrations["orders"]["source"]["configMaps"]
    selector = orders["migrations"]["selector"]["matchLabels"]
    selected = [name for name, labels in configmaps.items() if selector.items() <= labels.items()]
    assert len(selected) >= 2, "the example shows a set spread over several ConfigMaps"
    for seed_set in orders["seeds"].values():
        assert set(seed_set["names"]) <= set(configmaps)


def test_example_secrets_carry_only_placeholder_passwords() -> None:
    for path in [*(DEPLOY / "examples").glob("*.yaml"), *DEPLOY.glob("*/*secret*.yaml")]:
        for doc in load_docs(path):
            if doc["kind"] == "Secret":
                for key, value in doc["stringData"].items():
                    # Where the password may go (CloudNativePG's keys) is no secret.
                    if key in ("host", "port", "dbname", "user", "username"):
                        continue
                    assert "dev-only" in value, f"{path}: not an obvious placeholder"


def test_migration_job_runs_the_cli_from_the_operator_image() -> None:
    (job,) = load_docs(DEPLOY / "jobs" / "db-migrate-job.yaml")
    assert job["kind"] == "Job"
    assert_hardened(job)
    cli = container(job)
    assert cli["image"] == IMAGE
    assert cli["command"] == ["db-migrate"]
    assert cli["args"] == ["--all-databases", "--seed=reference"]
    env = {item["name"]: item["valueFrom"]["secretKeyRef"] for item in cli["env"]}
    assert set(env) == {"DB_MIGRATE_URL_POSTGRES", "DB_MIGRATE_URL_AIML_POSTGRES"}
    (secret,) = load_docs(DEPLOY / "jobs" / "db-migrate-urls-secret.yaml")
    for ref in env.values():
        assert ref["name"] == secret["metadata"]["name"]
        assert ref["key"] in secret["stringData"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_argocd_app_syncs_migrations_in_a_wave_before_the_application() -> None:
    docs = render(DEPLOY / "argocd" / "app")

    def wave(doc: dict[str, Any]) -> int:
        return int(doc["metadata"].get("annotations", {}).get("argocd.argoproj.io/sync-wave", "0"))

    kinds = by_kind(docs)
    migration_waves = {wave(dm) for dm in kinds["DatabaseMigration"]}
    app_waves = {wave(d) for d in kinds["Deployment"]}
    secret_waves = {wave(s) for s in kinds["Secret"]}
    assert max(secret_waves) < min(migration_waves)
    assert max(migration_waves) < min(app_waves)
    assert migration_waves == {-1} and app_waves == {0}
    names = {dm["spec"]["database"] for dm in kinds["DatabaseMigration"]}
    assert names == {"postgres", "aiml-postgres"}


def test_argocd_applications_point_at_paths_that_exist() -> None:
    for path in sorted((DEPLOY / "argocd").glob("*-application.yaml")):
        (app,) = load_docs(path)
        assert app["kind"] == "Application"
        assert (ROOT / app["spec"]["source"]["path"]).is_dir(), path


def test_migration_job_has_a_url_for_every_baked_migration_set() -> None:
    # --all-databases runs every folder under migrations/; a set without its URL variable would
    # go to the CLI's embedded fallback server inside the pod instead of the real database.
    (job,) = load_docs(DEPLOY / "jobs" / "db-migrate-job.yaml")
    names = {item["name"] for item in container(job)["env"]}
    sets = sorted(path.name for path in (ROOT / "migrations").iterdir() if path.is_dir())
    assert sets, "no migration sets under migrations/"
    assert {url_variable(name) for name in sets} <= names


def _granted(role: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    granted: dict[tuple[str, str], set[str]] = {}
    for rule in role["rules"]:
        for group in rule["apiGroups"]:
            for resource in rule["resources"]:
                granted.setdefault((group, resource), set()).update(rule["verbs"])
    return granted


def test_namespaced_overlay_grants_the_same_rules_only_in_the_watched_namespace() -> None:
    docs = render(ROOT / "deploy" / "overlays" / "namespaced")
    kinds = by_kind(docs)
    assert "ClusterRole" not in kinds and "ClusterRoleBinding" not in kinds
    roles = {r["metadata"]["namespace"]: r for r in kinds["Role"]}
    bindings = {b["metadata"]["namespace"]: b for b in kinds["RoleBinding"]}
    assert set(roles) == set(bindings) == {"es1-apps", NAMESPACE}
    # The member Leases stay in the operator's own namespace, as in the cluster-wide install.
    assert _granted(roles[NAMESPACE]) == LEASE_RULES
    role, binding = roles["es1-apps"], bindings["es1-apps"]
    assert _granted(role) == EXPECTED_RULES
    assert role["metadata"]["namespace"] == binding["metadata"]["namespace"] == "es1-apps"
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                                  "name": role["metadata"]["name"]}
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": SERVICE_ACCOUNT, "namespace": NAMESPACE}]
    (deployment,) = kinds["Deployment"]
    env = {e["name"]: e.get("value") for e in
           deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["DB_MIGRATE_NAMESPACES"] == "es1-apps"


def test_network_policy_lets_in_metrics_only_and_out_dns_api_server_and_postgresql(
    rendered: dict[str, list[dict[str, Any]]],
) -> None:
    policy = one(rendered, "NetworkPolicy")["spec"]
    pods = one(rendered, "Deployment")["spec"]["template"]["metadata"]["labels"]
    assert policy["podSelector"]["matchLabels"].items() <= pods.items()
    assert policy["policyTypes"] == ["Ingress", "Egress"]
    assert [r["ports"] for r in policy["ingress"]] == [[{"port": 9090, "protocol": "TCP"}]]
    egress = {(p["port"], p["protocol"]) for rule in policy["egress"] for p in rule["ports"]}
    assert egress == {(53, "UDP"), (53, "TCP"), (443, "TCP"), (6443, "TCP"), (5432, "TCP")}


def test_monitoring_alerts_and_dashboard_read_metrics_the_operator_exports() -> None:
    from db_migrate.reconciler import metrics

    exported = {next(iter(m.describe())).name for m in (
        metrics.APPLIED, metrics.FAILED, metrics.RUNS, metrics.DURATION, metrics.LAST_SUCCESS,
        metrics.STALLED, metrics.DRIFT_CHECKS, metrics.SHARD_RESOURCES, metrics.SHARD_MEMBERS)}
    rendered = subprocess.run(["kubectl", "kustomize", str(DEPLOY / "monitoring")], check=True,
                              capture_output=True, text=True).stdout
    docs = {d["kind"]: d for d in yaml.safe_load_all(rendered)}
    assert set(docs) == {"ConfigMap", "PodMonitor", "PrometheusRule"}
    assert docs["ConfigMap"]["metadata"]["labels"]["grafana_dashboard"] == "1"
    rules = docs["PrometheusRule"]["spec"]["groups"][0]["rules"]
    assert {r["alert"] for r in rules} >= {"DbMigrateResourceStalled", "DbMigrateRunsFailing",
                                          "DbMigrateDriftChecksFailing"}
    dashboard = json.loads(docs["ConfigMap"]["data"]["db-migrate-dashboard.json"])
    exprs = [r["expr"] for r in rules] + [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {name for e in exprs for name in re.findall(r"db_migrate_[a-z_]+", e)}
    # _total, _bucket and the like are the exposition's suffixes of the exported families.
    assert {re.sub(r"_(total|bucket|sum|count)$", "", n) for n in used} <= exported, used


def test_gitops_example_makes_every_sql_change_a_spec_change(tmp_path: Path) -> None:
    # Issue 19: a commit of SQL alone edited a ConfigMap the spec already named, so the resource
    # stayed Ready for its generation and Argo CD released the app wave against the old schema.
    # With the generated, hash-named ConfigMap the DatabaseMigration's spec changes with the SQL.
    def rendered_names(folder: Path) -> tuple[list[str], dict[str, list[dict[str, Any]]]]:
        kinds = by_kind(render(folder))
        (dm,) = kinds["DatabaseMigration"]
        return dm["spec"]["source"]["configMaps"]["migrations"]["names"], kinds

    names, kinds = rendered_names(DEPLOY / "examples" / "gitops")
    (configmap,) = kinds["ConfigMap"]
    assert names == [configmap["metadata"]["name"]]
    assert configmap["metadata"]["name"].startswith("orders-migrations-")
    assert set(configmap["data"]) == {"V1__orders.sql", "V2__order_status.sql"}

    def wave(doc: dict[str, Any]) -> int:
        return int(doc["metadata"].get("annotations", {}).get("argocd.argoproj.io/sync-wave", "0"))
    assert wave(configmap) < wave(kinds["DatabaseMigration"][0]) < wave(kinds["Deployment"][0])

    copy = tmp_path / "gitops"
    shutil.copytree(DEPLOY / "examples" / "gitops", copy)
    (copy / "migrations" / "V3__index.sql").write_text(
        "CREATE INDEX IF NOT EXISTS orders_customer ON orders.orders (customer);\n")
    kustomization = (copy / "kustomization.yaml").read_text()
    (copy / "kustomization.yaml").write_text(kustomization.replace(
        "      - migrations/V2__order_status.sql\n",
        "      - migrations/V2__order_status.sql\n      - migrations/V3__index.sql\n"))
    changed, _ = rendered_names(copy)
    assert changed != names  # a new generation for the operator to observe


def test_the_platform_application_syncs_the_gitops_pattern() -> None:
    (app,) = load_docs(DEPLOY / "argocd" / "es1-platform-application.yaml")
    assert app["spec"]["source"]["path"] == "deploy/examples/gitops"
    assert app["spec"]["syncPolicy"]["retry"]["refresh"] is True
