"""Console-script shims that must run before any optional dependency is imported."""

from __future__ import annotations

import importlib.util
import sys

#: What the operator needs beyond the engine and the CLI (the ``operator`` extra).
OPERATOR_MODULES = ("kopf", "kubernetes", "prometheus_client", "yaml")


def operator() -> int:
    """``db-migrate-operator``: say how to install the operator instead of a traceback."""
    missing = [name for name in OPERATOR_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        print(f"db-migrate-operator: {', '.join(missing)} not installed; the operator needs "
              "pip install 'db-migrate[operator]' (the CLI alone needs only pip install db-migrate)",
              file=sys.stderr)
        return 2
    from db_migrate.operator.main import main

    return main()
