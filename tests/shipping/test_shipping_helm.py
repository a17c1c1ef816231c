"""deploy/helm/db-migrate/: the chart passes the real `helm lint`, and `helm template` renders the
same objects as kustomize does for the same settings (default values against `deploy/`,
`namespaces: [es1-apps]` against `deploy/overlays/namespaced`), apart from the labels Helm adds and
the Namespace, which Helm creates itself (`--create-namespace`). Its values reach the container,
and its CRD is the one in crds/, byte for byte.

Helm is built from the Go module pinned in tools/helm/ (tools/helm/build, cached by content).
"""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from testkit.helm import Helm, HelmUnavailable
from testkit.helm import ensure as ensure_helm
from tests.shipping.helpers import CRD_PATH, DEPLOY, ROOT, find_kubectl, load_one

CHART = DEPLOY / "helm" / "db-migrate"
RELEASE = "db-migrate"
NAMESPACE = "db-migrate-system"
# What Helm (and the chart, by Helm's conventions) adds to labels; kustomize's managed-by says
# "kustomize" where Helm's says "Helm".
TOOL_LABELS = {
    "helm.sh/chart",
    "app.kubernetes.io/managed-by",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
}
PODMONITOR_API = "monitoring.coreos.com/v1/PodMonitor"
Key = tuple[str, str, str | None]


@pytest.fixture(scope="session")
def helm(tmp_path_factory: pytest.TempPathFactory) -> Helm:
    """helm itself: built once by tools/helm/build, or taken from its cache."""
    try:
        return ensure_helm(tmp_path_factory.mktemp("helm-home"))
    except HelmUnavailable as err:
        pytest.skip(f"{err}; CI has Go")


def template(helm: Helm, tmp_path: Path, values: dict[str, Any] | None = None,
             *, api_versions: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """`helm template` of the chart as `helm install db-migrate ... -n db-migrate-system` would
    render it, CRDs included."""
    args = ["template", RELEASE, str(CHART), "--namespace", NAMESPACE, "--include-crds"]
    if values is not None:
        values_file = tmp_path / "values.yaml"
        values_file.write_text(yaml.safe_dump(values), encoding="utf-8")
        args += ["--values", str(values_file)]
    for api in api_versions:
        args += ["--api-versions", api]
    result = helm(*args)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def kustomize(directory: Path) -> list[dict[str, Any]]:
    kubectl = find_kubectl()
    if kubectl is None:
        pytest.skip("no kubectl (with built-in kustomize) on PATH or at /usr/bin/kubectl")
    result = subprocess.run([kubectl, "kustomize", str(directory)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def key(obj: dict[str, Any]) -> Key:
    meta = obj["metadata"]
    return (obj["kind"], meta["name"], meta.get("namespace"))


def keyed(docs: list[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    found = {key(doc): doc for doc in docs}
    assert len(found) == len(docs), "two objects with the same kind, name and namespace"
    return found


def normalized(obj: dict[str, Any]) -> dict[str, Any]:
    """The object without the labels that say which tool installed it."""
    out = copy.deepcopy(obj)
    metas = [out["metadata"], out.get("spec", {}).get("template", {}).get("metadata", {})]
    for meta in metas:
        labels = {k: v for k, v in meta.get("labels", {}).items() if k not in TOOL_LABELS}
        if labels:
            meta["labels"] = labels
        else:
            meta.pop("labels", None)
    return out


def operator_container(objects: dict[Key, dict[str, Any]]) -> dict[str, Any]:
    deployment = objects[("Deployment", "db-migrate-operator", NAMESPACE)]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert isinstance(container, dict)
    return container


def env_of(container: dict[str, Any]) -> dict[str, str | None]:
    return {e["name"]: e.get("value") for e in container["env"]}


# --- lint -------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [None, {"namespaces": ["es1-apps", "es1-batch"]}],
                         ids=["cluster-wide", "namespaced"])
def test_helm_lint_passes_strict(helm: Helm, tmp_path: Path,
                                 values: dict[str, Any] | None) -> None:
    args = ["lint", "--strict", str(CHART)]
    if values is not None:
        values_file = tmp_path / "values.yaml"
        values_file.write_text(yaml.safe_dump(values), encoding="utf-8")
        args += ["--values", str(values_file)]
    result = helm(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 chart(s) failed" in result.stdout


# --- against kustomize ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kustomize_default() -> dict[Key, dict[str, Any]]:
    return keyed(kustomize(DEPLOY))


@pytest.fixture(scope="module")
def helm_default(helm: Helm, tmp_path_factory: pytest.TempPathFactory,
                 ) -> dict[Key, dict[str, Any]]:
    return keyed(template(helm, tmp_path_factory.mktemp("default")))


def test_default_values_render_the_objects_of_the_kustomize_install(
    kustomize_default: dict[Key, dict[str, Any]],
    helm_default: dict[Key, dict[str, Any]],
) -> None:
    # Helm creates the release namespace itself (--create-namespace); a chart that also rendered
    # it would fail the install. NOTES.txt and docs/deploy.md give the Pod Security label.
    assert set(kustomize_default) - set(helm_default) == {("Namespace", NAMESPACE, None)}
    assert set(helm_default) - set(kustomize_default) == set()


def test_default_values_render_each_object_as_kustomize_does(
    kustomize_default: dict[Key, dict[str, Any]],
    helm_default: dict[Key, dict[str, Any]],
) -> None:
    compared = 0
    for object_key, rendered in sorted(helm_default.items(), key=str):
        if object_key[0] == "CustomResourceDefinition":
            continue  # from crds/ as it is, without kustomize's labels: the test below
        assert normalized(rendered) == normalized(kustomize_default[object_key]), object_key
        compared += 1
    assert compared >= 8


def test_default_deployment_container_matches_kustomize_part_by_part(
    kustomize_default: dict[Key, dict[str, Any]],
    helm_default: dict[Key, dict[str, Any]],
) -> None:
    """The same as the whole-object comparison, but a failure names the part that differs."""
    ours, theirs = operator_container(helm_default), operator_container(kustomize_default)
    for part in ("image", "imagePullPolicy", "env", "ports", "startupProbe", "livenessProbe",
                 "readinessProbe", "resources", "securityContext", "volumeMounts"):
        assert ours.get(part) == theirs.get(part), part
    for kind in ("ClusterRole", "Role"):
        (ours_rbac,) = [o for k, o in helm_default.items() if k[0] == kind]
        (theirs_rbac,) = [o for k, o in kustomize_default.items() if k[0] == kind]
        assert ours_rbac["rules"] == theirs_rbac["rules"], kind


def test_chart_crd_is_the_crd_in_crds_byte_for_byte(
    helm_default: dict[Key, dict[str, Any]],
) -> None:
    chart_crd = CHART / "crds" / CRD_PATH.name
    assert [p.name for p in (CHART / "crds").iterdir()] == [CRD_PATH.name]
    assert chart_crd.read_bytes() == CRD_PATH.read_bytes(), (
        f"copy {CRD_PATH.relative_to(ROOT)} to {chart_crd.relative_to(ROOT)}")
    (rendered,) = [o for k, o in helm_default.items() if k[0] == "CustomResourceDefinition"]
    assert rendered == load_one(CRD_PATH)


def test_namespaced_values_render_the_namespaced_overlay(
    helm: Helm, tmp_path: Path,
) -> None:
    theirs = keyed(kustomize(DEPLOY / "overlays" / "namespaced"))
    ours = keyed(template(helm, tmp_path, {"namespaces": ["es1-apps"]}))
    rbac = {"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}
    ours_rbac = {k: normalized(o) for k, o in ours.items() if k[0] in rbac}
    theirs_rbac = {k: normalized(o) for k, o in theirs.items() if k[0] in rbac}
    assert set(ours_rbac) == set(theirs_rbac)
    assert not any(k[0].startswith("Cluster") for k in ours_rbac)
    for object_key, obj in ours_rbac.items():
        assert obj == theirs_rbac[object_key], object_key
    # The rest too: only the Deployment's env differs from the base, and identically.
    assert set(theirs) - set(ours) == {("Namespace", NAMESPACE, None)}
    for object_key, obj in ours.items():
        if object_key[0] != "CustomResourceDefinition":
            assert normalized(obj) == normalized(theirs[object_key]), object_key
    assert env_of(operator_container(ours))["DB_MIGRATE_NAMESPACES"] == "es1-apps"


def test_each_watched_namespace_gets_a_role_and_the_operator_watches_them_all(
    helm: Helm, tmp_path: Path,
) -> None:
    ours = keyed(template(helm, tmp_path, {"namespaces": ["es1-apps", "es1-batch"]}))
    for kind in ("Role", "RoleBinding"):
        namespaces = {k[2] for k in ours if k[0] == kind and k[1] == "db-migrate-operator"}
        assert namespaces == {"es1-apps", "es1-batch"}, kind
    assert env_of(operator_container(ours))["DB_MIGRATE_NAMESPACES"] == "es1-apps,es1-batch"


# --- values -----------------------------------------------------------------------------------


def test_values_reach_the_operator_container(helm: Helm, tmp_path: Path) -> None:
    extra_env: list[dict[str, Any]] = [
        {"name": "DB_MIGRATE_RETRY_MAX", "value": "600"},
        {"name": "FROM_SECRET", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
    ]
    values: dict[str, Any] = {
        "image": {"repository": "registry.example/db-migrate", "tag": "0.2.0", "pullPolicy": "Always"},
        "replicas": 3,
        # Helm merges maps into the defaults: give both halves (or `limits: null` to drop them).
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
                      "limits": {"cpu": "1", "memory": "1Gi"}},
        "allowedHosts": ["10.20.0.0/16", "*.db.svc.cluster.local"],
        "insecureAuthHosts": ["legacy.db.svc.cluster.local"],
        "logFormat": "json",
        "extraEnv": extra_env,
    }
    ours = keyed(template(helm, tmp_path, values))
    container = operator_container(ours)
    env = env_of(container)
    assert env["DB_MIGRATE_ALLOWED_HOSTS"] == "10.20.0.0/16,*.db.svc.cluster.local"
    assert env["DB_MIGRATE_INSECURE_AUTH_HOSTS"] == "legacy.db.svc.cluster.local"
    assert env["DB_MIGRATE_LOG_FORMAT"] == "json"
    assert env["DB_MIGRATE_RETRY_MAX"] == "600"
    assert container["env"][-2:] == extra_env
    assert container["image"] == "registry.example/db-migrate:0.2.0"
    assert container["imagePullPolicy"] == "Always"
    assert container["resources"] == values["resources"]
    assert ours[("Deployment", "db-migrate-operator", NAMESPACE)]["spec"]["replicas"] == 3


def test_operator_defaults_are_not_restated(helm_default: dict[Key, dict[str, Any]]) -> None:
    env = env_of(operator_container(helm_default))
    assert "DB_MIGRATE_LOG_FORMAT" not in env and "DB_MIGRATE_INSECURE_AUTH_HOSTS" not in env


def test_an_unknown_log_format_is_refused(helm: Helm, tmp_path: Path) -> None:
    values_file = tmp_path / "values.yaml"
    values_file.write_text("logFormat: yaml\n", encoding="utf-8")
    result = helm("template", RELEASE, str(CHART), "-n", NAMESPACE, "-f", str(values_file))
    assert result.returncode != 0
    assert "logFormat" in result.stderr


def test_image_tag_defaults_to_app_version_which_is_the_kustomize_tag() -> None:
    chart = load_one(CHART / "Chart.yaml")
    kustomization = load_one(DEPLOY / "base" / "kustomization.yaml")
    (image,) = kustomization["images"]
    assert chart["appVersion"] == image["newTag"]
    assert chart["version"] == "0.1.0"


def test_pod_monitor_only_where_the_cluster_serves_the_kind(
    helm: Helm, tmp_path: Path, helm_default: dict[Key, dict[str, Any]],
) -> None:
    assert not any(k[0] == "PodMonitor" for k in helm_default)
    ours = keyed(template(helm, tmp_path, api_versions=(PODMONITOR_API,)))
    monitor = ours[("PodMonitor", "db-migrate-operator", NAMESPACE)]
    deployment = ours[("Deployment", "db-migrate-operator", NAMESPACE)]
    assert monitor["spec"]["selector"] == deployment["spec"]["selector"]
    ports = {p["name"] for p in operator_container(ours)["ports"]}
    assert [e["port"] for e in monitor["spec"]["podMetricsEndpoints"]] == ["metrics"]
    assert "metrics" in ports
    switched_off = keyed(template(helm, tmp_path, {"metrics": {"podMonitor": {"enabled": False}}},
                                  api_versions=(PODMONITOR_API,)))
    assert not any(k[0] == "PodMonitor" for k in switched_off)


def test_metrics_service_and_disruption_budget_can_be_left_out(
    helm: Helm, tmp_path: Path,
) -> None:
    ours = keyed(template(helm, tmp_path, {"metrics": {"service": False}, "replicas": 1}))
    kinds = {k[0] for k in ours}
    assert "Service" not in kinds
    # minAvailable: 1 of one replica would block every node drain.
    assert "PodDisruptionBudget" not in kinds
    assert "Deployment" in kinds


def test_other_release_names_prefix_every_object(helm: Helm) -> None:
    result = helm("template", "payments", str(CHART), "-n", "payments-system")
    assert result.returncode == 0, result.stderr
    docs = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    assert all(d["metadata"]["name"].startswith("payments-db-migrate-operator") for d in docs)
    (binding,) = [d for d in docs if d["kind"] == "ClusterRoleBinding"]
    assert binding["subjects"][0]["namespace"] == "payments-system"
