"""``db-migrate-operator``: kopf with the project's defaults (liveness, metrics, scope)."""

from __future__ import annotations

import asyncio
import os

import kopf

from db_migrate.operator import handlers  # noqa: F401  (registers the handlers)
from db_migrate.operator.settings import SETTINGS


def main() -> int:
    namespaces = [n for n in os.environ.get("DB_MIGRATE_NAMESPACES", "").split(",") if n]
    # Standalone by default: replicas need no KopfPeering CRD; the engine's advisory lock keeps
    # several replicas (and CLI runs) from applying anything twice (docs/operator.md).
    standalone = os.environ.get("DB_MIGRATE_PEERING", "") == ""
    kopf.configure(verbose=os.environ.get("DB_MIGRATE_VERBOSE") == "1")
    asyncio.run(kopf.operator(
        standalone=standalone,
        peering_name=os.environ.get("DB_MIGRATE_PEERING") or None,
        clusterwide=not namespaces,
        namespaces=namespaces,
        liveness_endpoint=f"http://0.0.0.0:{SETTINGS.liveness_port}/healthz"
        if SETTINGS.liveness_port > 0 else None,
    ))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
