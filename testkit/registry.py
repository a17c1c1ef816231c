"""The local node's image registry: the CNCF distribution registry, run inside the node's namespaces.

``tools/registry/build`` builds it from its Go module (``github.com/distribution/distribution/v3``).
The node starts it before containerd (:mod:`testkit.node`) and stops it with everything else, so
it lives exactly as long as the node:

* it listens on port :data:`PORT` of the node's network namespace only: ``127.0.0.1:5000`` there
  (what containerd pulls from), and the node IP (what the host pushes to, through the veth);
  never on a host address;
* its storage is ``<dev>/node/registry``, removed with the rest of ``<dev>/node`` by ``down``;
* containerd reads ``hosts.toml`` files (``config_path``) that send :data:`NAME` (``localhost:5000``)
  and ``docker.io`` to it over plain HTTP, with no fallback upstream: the manifests' own image
  names (``es1/db-migrate:dev``, ``postgres:18``) are pulled from it as they are, like a cluster
  behind a registry mirror.

This module only writes configuration and names things; pushing is :func:`testkit.images.copy`.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

PORT = 5000
#: How Pods and containerd name the registry inside the node (its own loopback).
NAME = f"localhost:{PORT}"
#: Registries containerd resolves to the local one, with no fallback upstream.
MIRRORED = (NAME, "docker.io")
#: The registry's environment: Go's OpenTelemetry autoexport would otherwise send traces to an
#: OTLP endpoint on loopback (nothing listens there; the registry only logs the failures).
ENV = {"OTEL_TRACES_EXPORTER": "none"}


def build_script(root: Path) -> Path:
    return root / "tools" / "registry" / "build"


def config_yaml(storage: Path) -> str:
    """The registry's configuration: filesystem storage in the dev dir, HTTP on the node's port."""
    config = {
        "version": 0.1,
        "log": {"level": "warn", "formatter": "text", "accesslog": {"disabled": True}},
        "storage": {
            "filesystem": {"rootdirectory": str(storage)},
            "delete": {"enabled": True},
            # No background purge of upload directories: the node lives minutes, not days.
            "maintenance": {"uploadpurging": {"enabled": False}},
        },
        # Every address of the node's network namespace, which are all the node's own: loopback,
        # the node IP (the host side of the veth reaches it) and the Pod bridge. No debug server.
        "http": {"addr": f":{PORT}", "headers": {"X-Content-Type-Options": ["nosniff"]}},
        "health": {"storagedriver": {"enabled": False}},
    }
    return yaml.safe_dump(config, sort_keys=False)


def hosts_toml() -> str:
    """containerd's ``hosts.toml`` for every name in :data:`MIRRORED`: the local registry only.

    ``server`` replaces the upstream, so a name the registry lacks fails at once instead of
    being looked for elsewhere (the node has no route out in any case).
    """
    url = f"http://127.0.0.1:{PORT}"
    return (
        "# Written by testkit.registry: the node's local registry, plain HTTP on its own loopback.\n"
        f"server = {json.dumps(url)}\n\n"
        f"[host.{json.dumps(url)}]\n"
        '  capabilities = ["pull", "resolve"]\n'
    )


def write_hosts(config_path: Path) -> None:
    """One ``<name>/hosts.toml`` per mirrored registry name under ``config_path``."""
    for name in MIRRORED:
        target = config_path / name / "hosts.toml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(hosts_toml())


def reference(name: str) -> str:
    """``name`` (``repository:tag``) as Pods on the node name it in the local registry."""
    return f"{NAME}/{name}"
