"""The node tests use ``local_node`` and ``node_dev`` from :mod:`testkit.nodefixtures`."""
