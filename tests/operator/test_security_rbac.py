"""What the operator's ServiceAccount may do, as the real API server answers (issue 9, point 4).

Both installs are checked with ``kubectl auth can-i --list`` against a fixed set: the
cluster-wide one (deploy/) and the namespaced one (deploy/overlays/namespaced/), which must not reach
any Secret outside its watched namespace.  The namespaced install is then run for real.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from testkit import operator_process
from testkit.controlplane import ControlPlane, repo_root
from tests.operator.conftest import FAST, Kubectl, dbm, secret
from tests.pgservers import PgServer

OPERATOR = "system:serviceaccount:db-migrate-system:db-migrate-operator"
WATCHED = "es1-apps"  # deploy/overlays/namespaced/'s example namespace

#: What every authenticated identity may do (system:basic-user, system:discovery,
#: system:public-info-viewer): not the operator's doing, but part of the fixed answer.
BASELINE = {
    ("selfsubjectreviews.authentication.k8s.io", "", "create"),
    ("selfsubjectaccessreviews.authorization.k8s.io", "", "create"),
    ("selfsubjectrulesreviews.authorization.k8s.io", "", "create"),
    *(("", url, "get") for url in (
        "/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/api",
        "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*",
        "/openid/v1/jwks", "/openid/v1/jwks/", "/readyz", "/version", "/version/")),
}

#: The operator's own grants, in a namespace it serves.
OPERATOR_RULES = {
    ("databasemigrations.migrations.es1.dev", "", "get"),
    ("databasemigrations.migrations.es1.dev", "", "list"),
    ("databasemigrations.migrations.es1.dev", "", "watch"),
    ("databasemigrations.migrations.es1.dev", "", "patch"),
    ("databasemigrations.migrations.es1.dev/status", "", "patch"),
    ("configmaps", "", "get"),
    ("configmaps", "", "list"),
    ("configmaps", "", "watch"),
    ("secrets", "", "get"),
    ("events", "", "create"),
}

#: The member Leases (reconciler/shards.py), in the operator's own namespace only: list to see
#: the peers, delete to leave at once and to remove the Leases of killed replicas.
LEASE_NAMESPACE = "db-migrate-system"
LEASE_RULES = {("leases.coordination.k8s.io", "", verb)
               for verb in ("get", "create", "update", "list", "delete")}

_ROW = re.compile(r"^(\S*)\s+\[(.*?)\]\s+\[(.*?)\]\s+\[(.*?)\]\s*$")


def can_i_list(plane: ControlPlane, namespace: str) -> set[tuple[str, str, str]]:
    """(resource, non-resource URL, verb) for every row of ``kubectl auth can-i --list``."""
    out = plane.kubectl("auth", "can-i", "--list", f"--as={OPERATOR}", "-n", namespace).stdout
    granted: set[tuple[str, str, str]] = set()
    for line in out.splitlines()[1:]:
        match = _ROW.match(line)
        assert match, line
        resource, urls, _names, verbs = match.groups()
        for url in urls.split() or [""]:
            granted.update((resource, url, verb) for verb in verbs.split())
    return granted


def can_i(plane: ControlPlane, *args: str) -> str:
    return plane.kubectl("auth", "can-i", f"--as={OPERATOR}", *args, check=False).stdout.strip()


def test_cluster_wide_install_grants_exactly_the_fixed_set(installed: ControlPlane) -> None:
    for namespace in ("default", "kube-system"):
        assert can_i_list(installed, namespace) == BASELINE | OPERATOR_RULES
    assert can_i_list(installed, LEASE_NAMESPACE) == BASELINE | OPERATOR_RULES | LEASE_RULES
    # get by name only: no Secret is ever listed or streamed to the operator.
    assert can_i(installed, "list", "secrets", "-A") == "no"
    assert can_i(installed, "watch", "secrets", "-A") == "no"


@pytest.fixture
def namespaced(installed: ControlPlane) -> Iterator[ControlPlane]:
    """deploy/overlays/namespaced/ instead of deploy/ on the same API server; deploy/ restored after."""
    plane = installed
    plane.kubectl("create", "namespace", WATCHED, check=False)
    plane.kubectl("delete", "clusterrolebinding", "db-migrate-operator", "--ignore-not-found")
    plane.kubectl("delete", "clusterrole", "db-migrate-operator", "--ignore-not-found")
    plane.kubectl("apply", "--server-side", "--force-conflicts", "-k",
                  str(repo_root() / "deploy" / "overlays" / "namespaced"))
    try:
        yield plane
    finally:
        plane.kubectl("delete", "-n", WATCHED, "rolebinding,role", "db-migrate-operator",
                      "--ignore-not-found")
        operator_process.install(plane)


def test_namespaced_install_reaches_only_its_watched_namespace(namespaced: ControlPlane) -> None:
    assert can_i_list(namespaced, WATCHED) == BASELINE | OPERATOR_RULES
    for namespace in ("kube-system", "default"):
        assert can_i_list(namespaced, namespace) == BASELINE
    assert can_i_list(namespaced, LEASE_NAMESPACE) == BASELINE | LEASE_RULES
    assert can_i(namespaced, "get", "secrets", "-n", "kube-system") == "no"
    assert can_i(namespaced, "get", "secrets", "-n", WATCHED) == "yes"
    assert can_i(namespaced, "list", "databasemigrations.migrations.es1.dev", "-A") == "no"


def test_namespaced_install_migrates_in_its_namespace(
        namespaced: ControlPlane, pg18: PgServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    op = operator_process.start(namespaced, tmp_path_factory.mktemp("namespaced"),
                                env={**FAST, "DB_MIGRATE_NAMESPACES": WATCHED})
    kube = Kubectl(namespaced, WATCHED)
    try:
        kube.apply(secret("pg", pg18.create_database("nsd")))
        kube.apply(dbm("scoped", "postgres", "pg", seed="none"))
        kube("wait", "--for=condition=Ready", "dbm/scoped", "--timeout=90s")
        logs = op.logs()
        # A refusal reads "Forbidden" (kopf's APIForbiddenError, the client's "Reason:
        # Forbidden", our "HTTP 403 Forbidden"); a bare "403" is also in one log line's
        # timestamp in a thousand ("[... 23:22:40,403]"), which is not one.
        assert "Forbidden" not in logs, logs[-3000:]
        assert not re.search(r"(?<![\w,:.-])403(?![\w-])", logs), logs[-3000:]
    finally:
        # While the operator still runs (a finalizer from an older version would need it).
        kube("delete", "dbm", "scoped", "--timeout=30s", check=False)
        op.stop()
