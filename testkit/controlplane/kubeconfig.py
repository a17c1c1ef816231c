"""Kubeconfig files: the admin one ``up`` writes, reading another's cluster, API clients."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import yaml

from testkit.controlplane.errors import ControlPlaneError
from testkit.controlplane.paths import Layout
from testkit.controlplane.pki import ADMIN_USER

CONTEXT_NAME = "db-migrate-local"


def write_private(path: Path, text: str) -> None:
    """Write a credential-bearing file atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    tmp.replace(path)


def _b64(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def admin_kubeconfig(lay: Layout, server: str) -> str:
    """A kubeconfig with the CA and the admin client certificate embedded."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": CONTEXT_NAME,
                "cluster": {
                    "server": server,
                    "certificate-authority-data": _b64(lay.pki / "ca.crt"),
                },
            }
        ],
        "users": [
            {
                "name": ADMIN_USER,
                "user": {
                    "client-certificate-data": _b64(lay.pki / "admin.crt"),
                    "client-key-data": _b64(lay.pki / "admin.key"),
                },
            }
        ],
        "contexts": [{"name": CONTEXT_NAME, "context": {"cluster": CONTEXT_NAME, "user": ADMIN_USER}}],
        "current-context": CONTEXT_NAME,
        "preferences": {},
    }
    return yaml.safe_dump(config, sort_keys=False)


def current_cluster(kubeconfig: Path) -> tuple[dict[str, Any], str | None]:
    """The cluster entry of the current context (CA paths made absolute) and its namespace."""
    try:
        config = yaml.safe_load(kubeconfig.read_text()) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ControlPlaneError(f"cannot read kubeconfig {kubeconfig}: {err}") from err
    contexts = {c.get("name"): c.get("context", {}) for c in config.get("contexts") or []}
    clusters = {c.get("name"): c.get("cluster", {}) for c in config.get("clusters") or []}
    context = contexts.get(config.get("current-context"))
    if context is None or context.get("cluster") not in clusters:
        raise ControlPlaneError(f"kubeconfig {kubeconfig} has no usable current-context")
    cluster = dict(clusters[context["cluster"]])
    ca = cluster.get("certificate-authority")
    if ca and not Path(ca).is_absolute():
        # Relative paths in a kubeconfig are relative to the kubeconfig file itself.
        cluster["certificate-authority"] = str((kubeconfig.parent / ca).resolve())
    return cluster, context.get("namespace")


def api_client_for(kubeconfig: Path) -> Any:
    """A ``kubernetes.client.ApiClient`` for any kubeconfig (the package is imported lazily)."""
    from kubernetes import config

    return config.new_client_from_config(  # type: ignore[no-untyped-call]
        config_file=str(kubeconfig)
    )
