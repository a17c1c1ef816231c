"""Kubeconfigs that authenticate as a ServiceAccount, with a token from the TokenRequest API."""

from __future__ import annotations

from pathlib import Path

import yaml

from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.kubeconfig import CONTEXT_NAME, current_cluster, write_private
from testkit.controlplane.lifecycle import current
from testkit.controlplane.paths import layout
from testkit.controlplane.plane import ControlPlane


def serviceaccount_kubeconfig(
    namespace: str,
    name: str,
    *,
    control_plane: ControlPlane | None = None,
    create: bool = False,
    expiration_seconds: int = 3600,
    path: Path | None = None,
) -> Path:
    """Write a kubeconfig that authenticates as ServiceAccount ``namespace/name``.

    The token comes from the TokenRequest API, exactly as a pod's projected token would,
    so a process using this kubeconfig has precisely the RBAC granted to that ServiceAccount
    (for the operator: what ``deploy/`` grants). With ``create`` the ServiceAccount is
    created first if it does not exist.
    """
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    plane = control_plane or current()
    core = client.CoreV1Api(plane.api_client())
    if create:
        body = client.V1ServiceAccount(metadata=client.V1ObjectMeta(name=name))
        try:
            core.create_namespaced_service_account(namespace, body)
        except ApiException as err:
            if err.status != 409:
                raise
    request = client.AuthenticationV1TokenRequest(
        spec=client.V1TokenRequestSpec(audiences=[], expiration_seconds=expiration_seconds)
    )
    issued = core.create_namespaced_service_account_token(name, namespace, request)
    token = issued.status.token if issued.status else None
    if not token:
        raise ControlPlaneError(f"TokenRequest for {namespace}/{name} returned no token")

    cluster, _ = current_cluster(plane.kubeconfig)
    user = f"system:serviceaccount:{namespace}:{name}"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": CONTEXT_NAME, "cluster": cluster}],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [
            {
                "name": user,
                "context": {"cluster": CONTEXT_NAME, "user": user, "namespace": namespace},
            }
        ],
        "current-context": user,
        "preferences": {},
    }
    target = path or layout().serviceaccounts / f"{namespace}.{name}.kubeconfig"
    write_private(target, yaml.safe_dump(config, sort_keys=False))
    return target


