"""``db-migrate-operator``: kopf with the project's defaults (liveness, metrics, scope)."""

from __future__ import annotations

import asyncio

import kopf

# Importing the package registers the handlers and builds SETTINGS (operator/__init__.py).
from db_migrate.operator import memdebug
from db_migrate.operator.handlers import SETTINGS


def main() -> int:
    # Standalone by default: replicas need no KopfPeering CRD; the engine's advisory lock keeps
    # several replicas (and CLI runs) from applying anything twice (docs/operator.md).
    kopf.configure(verbose=SETTINGS.verbose)
    memdebug.install()
    asyncio.run(kopf.operator(
        standalone=not SETTINGS.peering,
        peering_name=SETTINGS.peering or None,
        clusterwide=not SETTINGS.namespaces,
        namespaces=list(SETTINGS.namespaces),
        liveness_endpoint=f"http://0.0.0.0:{SETTINGS.liveness_port}/healthz"
        if SETTINGS.liveness_port > 0 else None,
    ))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
