"""Loads the control-plane fixtures for these tests.

tests/conftest.py is the right home for ``pytest_plugins = ["db_migrate.testing.fixtures"]``
(pytest refuses ``pytest_plugins`` in a nested conftest). Until it has that line, register the
plugin here; once it does, this is a no-op because the plugin is already registered.
"""

from __future__ import annotations

import pytest

PLUGIN = "db_migrate.testing.fixtures"


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(PLUGIN):
        config.pluginmanager.import_plugin(PLUGIN)
