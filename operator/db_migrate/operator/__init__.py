"""The kopf operator adapter: ``kopf run -m db_migrate.operator`` or ``db-migrate-operator``.

``kopf run -m X`` imports X, so importing this package registers the handlers; it reads no
environment and starts nothing: kopf's startup handler (``handlers.configure``) reads the
settings and builds the shared objects into kopf's memo (``operator/runtime.py``).  The
reconciler's logic -- spec, status, conditions, credentials, sources, retries, the Kube
protocol and ``reconcile()`` -- lives in :mod:`db_migrate.reconciler`, which imports no kopf and
reads no environment, so tests and tools import it without registering anything (import-linter
contracts in pyproject.toml).
"""

from db_migrate.operator import handlers as handlers
from db_migrate.operator import persistence as persistence
