"""``db-migrate-operator``: kopf with the project's defaults (liveness, metrics, scope)."""

from __future__ import annotations

import asyncio

import kopf

# Importing the package registers the handlers (operator/__init__.py); they read nothing yet.
from db_migrate.operator import memdebug
from db_migrate.reconciler.settings import Settings


def main() -> int:
    # Read once: kopf's options below, and the startup handler (handlers.configure), which
    # finds them in the operator memo instead of reading the environment again.
    settings = Settings.from_env()
    # kopf standalone: replicas share the work through their own Leases (reconciler/shards.py,
    # docs/operator.md "High availability"), not kopf's peering, which pauses all but one
    # replica and needs its own CRDs.
    # JSON (DB_MIGRATE_LOG_FORMAT=json): one object per line; a resource's lines carry it
    # under "object" (apiVersion, kind, namespace, name, uid).
    kopf.configure(verbose=settings.verbose,
                   log_format=kopf.LogFormat.JSON if settings.log_json else kopf.LogFormat.FULL,
                   log_refkey="object" if settings.log_json else None)
    memdebug.install()
    asyncio.run(kopf.operator(
        standalone=True,
        clusterwide=not settings.namespaces,
        namespaces=list(settings.namespaces),
        liveness_endpoint=f"http://0.0.0.0:{settings.liveness_port}/healthz"
        if settings.liveness_port > 0 else None,
        memo=kopf.Memo(settings=settings),
    ))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
