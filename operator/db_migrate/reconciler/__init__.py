"""The operator's logic without kopf: spec, status and conditions, credentials, sources, the
retry scheduler, the :class:`~db_migrate.reconciler.kube.Kube` protocol, ``reconcile()``, and
the replicas' sharing of the work (``shards``: member Leases and rendezvous hashing).

Importing it registers no kopf handler and reads no environment variable; the kopf adapter
(``db_migrate.operator``) does both when the operator starts.
"""
