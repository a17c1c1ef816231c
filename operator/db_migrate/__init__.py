"""db-migrate: versioned, checksummed, idempotent PostgreSQL migrations and seeds.

The package is layered so the folder layout shows the architecture:

* ``db_migrate.engine``   -- pure engine: discovery, checksums, planning, history,
                              locking, execution, seeds.  Imports nothing from Kubernetes.
* ``db_migrate.cli``      -- the ``db-migrate`` command line adapter.
* ``db_migrate.reconciler`` -- the operator's logic: spec, status, ``reconcile()``; no kopf.
* ``db_migrate.operator`` -- the kopf adapter (``kopf run -m db_migrate.operator``); importing
                              it registers the handlers.

The test kit (local control plane, node, images, the demo, pytest fixtures) is the top-level
``testkit`` package of the repository: it needs a checkout, so it is not part of this package.
"""

__version__ = "0.1.0"
