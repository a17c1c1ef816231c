"""The kopf operator adapter: ``kopf run -m db_migrate.operator`` or ``db-migrate-operator``.

Importing the package registers the handlers; domain logic lives in ``reconcile``, ``status``,
``spec`` and ``sources`` and is testable without a cluster.
"""

from db_migrate.operator import handlers as handlers
