"""The pure migration engine.

Nothing in this package imports Kubernetes: the CLI and the operator are thin adapters
that build a :class:`~db_migrate.engine.source.Source`, :class:`~db_migrate.engine.options.RunOptions`
and a connection URL, then call :func:`~db_migrate.engine.runner.run_database`.
"""
