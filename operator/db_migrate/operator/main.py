"""``db-migrate-operator``: kopf with the project's defaults (liveness, metrics, scope)."""

from __future__ import annotations

import asyncio

import kopf

# Importing the package registers the handlers and builds SETTINGS (operator/__init__.py).
from db_migrate.operator import memdebug
from db_migrate.operator.handlers import SETTINGS


def main() -> int:
    # kopf standalone: replicas share the work through their own Leases (reconciler/shards.py,
    # docs/operator.md "High availability"), not kopf's peering, which pauses all but one
    # replica and needs its own CRDs.
    # JSON (DB_MIGRATE_LOG_FORMAT=json): one object per line; a resource's lines carry it
    # under "object" (apiVersion, kind, namespace, name, uid).
    kopf.configure(verbose=SETTINGS.verbose,
                   log_format=kopf.LogFormat.JSON if SETTINGS.log_json else kopf.LogFormat.FULL,
                   log_refkey="object" if SETTINGS.log_json else None)
    memdebug.install()
    asyncio.run(kopf.operator(
        standalone=True,
        clusterwide=not SETTINGS.namespaces,
        namespaces=list(SETTINGS.namespaces),
        liveness_endpoint=f"http://0.0.0.0:{SETTINGS.liveness_port}/healthz"
        if SETTINGS.liveness_port > 0 else None,
    ))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
