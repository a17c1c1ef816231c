"""The node tests use ``local_node`` and ``node_dev`` from :mod:`db_migrate.testing.nodefixtures`."""
