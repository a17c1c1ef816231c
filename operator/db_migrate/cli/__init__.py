"""The ``db-migrate`` command line: a thin adapter over :mod:`db_migrate.engine`."""
