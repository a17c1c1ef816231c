"""db-migrate: versioned, checksummed, idempotent PostgreSQL migrations and seeds.

The package is layered so the folder layout shows the architecture:

* ``db_migrate.engine``   -- pure engine: discovery, checksums, planning, history,
                              locking, execution, seeds.  Imports nothing from Kubernetes.
* ``db_migrate.cli``      -- the ``db-migrate`` command line adapter.
* ``db_migrate.reconciler`` -- the operator's logic: spec, status, ``reconcile()``; no kopf.
* ``db_migrate.operator`` -- the kopf adapter (``kopf run -m db_migrate.operator``); importing
                              it registers the handlers.
* ``db_migrate.testing``  -- helpers for tests and the demo (local control plane).
"""

__version__ = "0.1.0"
