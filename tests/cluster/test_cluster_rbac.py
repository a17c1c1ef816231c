"""RBAC is enforced for ServiceAccount tokens issued through TokenRequest."""

from __future__ import annotations

import time
from typing import Any

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from testkit.controlplane import (
    ControlPlane,
    api_client_for,
    serviceaccount_kubeconfig,
)

pytestmark = pytest.mark.cluster

ROLE = "configmap-reader"


def list_configmaps_status(api: client.CoreV1Api, namespace: str) -> tuple[int, str]:
    try:
        api.list_namespaced_config_map(namespace)
    except ApiException as err:
        return int(err.status), str(err.body)
    return 200, ""


def grant_configmap_reading(admin: Any, namespace: str, serviceaccount: str) -> None:
    rbac = client.RbacAuthorizationV1Api(admin)
    meta = client.V1ObjectMeta(name=ROLE)
    rule = client.V1PolicyRule(api_groups=[""], resources=["configmaps"], verbs=["get", "list"])
    rbac.create_namespaced_role(namespace, client.V1Role(metadata=meta, rules=[rule]))
    ref = client.V1RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name=ROLE)
    subject = client.RbacV1Subject(kind="ServiceAccount", name=serviceaccount, namespace=namespace)
    binding = client.V1RoleBinding(metadata=meta, role_ref=ref, subjects=[subject])
    rbac.create_namespaced_role_binding(namespace, binding)


def test_serviceaccount_is_forbidden_without_a_role_and_allowed_after_a_rolebinding(
    control_plane: ControlPlane, k8s_namespace: str
) -> None:
    path = serviceaccount_kubeconfig(k8s_namespace, "reader", control_plane=control_plane, create=True)
    assert path.stat().st_mode & 0o077 == 0  # it holds a bearer token
    as_reader = client.CoreV1Api(api_client_for(path))

    status, body = list_configmaps_status(as_reader, k8s_namespace)
    assert status == 403
    assert f"system:serviceaccount:{k8s_namespace}:reader" in body

    grant_configmap_reading(control_plane.api_client(), k8s_namespace, "reader")
    # The RBAC authorizer reads bindings from an informer, so allow it to catch up.
    deadline = time.monotonic() + 30
    while (status := list_configmaps_status(as_reader, k8s_namespace)[0]) == 403:
        assert time.monotonic() < deadline, "the RoleBinding never took effect"
        time.sleep(0.1)
    assert status == 200
    # Only what the Role grants: writing is still forbidden.
    with pytest.raises(ApiException) as caught:
        as_reader.create_namespaced_config_map(
            k8s_namespace, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="nope"))
        )
    assert caught.value.status == 403
