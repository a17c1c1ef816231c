"""The operator's logic without kopf: spec, status and conditions, credentials, sources, the
retry scheduler, the :class:`~db_migrate.reconciler.kube.Kube` protocol and ``reconcile()``.

Importing it registers no kopf handler and reads no environment variable; the kopf adapter
(``db_migrate.operator``) does both when the operator starts.
"""
