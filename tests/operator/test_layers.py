"""Importing the reconciler registers no kopf handler and reads no environment; importing the
operator's entry module (``kopf run -m db_migrate.operator``) registers the handlers and still
reads nothing: its startup handler reads the settings and builds the shared objects."""

from __future__ import annotations

import os
import subprocess
import sys

#: Values that Settings.from_env() refuses: reading the environment would raise.
BAD_ENV = {"DB_MIGRATE_ALLOWED_HOSTS": "10.0.0.0/99", "DB_MIGRATE_WORKERS": "many"}


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **BAD_ENV}, timeout=120)


def test_importing_the_reconciler_loads_no_kopf_and_reads_no_environment() -> None:
    done = _python(
        "import sys\n"
        "import db_migrate.reconciler.reconcile, db_migrate.reconciler.status\n"
        "import db_migrate.reconciler.spec, db_migrate.reconciler.retries\n"
        "print(sorted(m for m in sys.modules if m == 'kopf' or m.startswith('db_migrate.operator')))\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_kopf_run_m_db_migrate_operator_registers_the_handlers_and_reads_settings_at_startup(
        ) -> None:
    # kopf's own loader, as `kopf run -m db_migrate.operator` calls it: with settings that
    # cannot be read, the import still works, builds no thread and registers every handler.
    load = ("import threading, kopf\n"
            "from kopf._cogs.helpers.loaders import preload\n"
            "preload(paths=[], modules=['db_migrate.operator'])\n"
            "r = kopf.get_default_registry()\n"
            "print(sorted(h.id for h in r._changing.get_all_handlers()))\n"
            "print(threading.active_count())\n")
    done = _python(load)
    assert done.returncode == 0, done.stderr
    handlers, threads = done.stdout.splitlines()
    assert "reconcile_handler" in handlers
    assert threads == "1"
    # The startup handler is where the environment is read (and refused).
    startup = ("import kopf\n"
               "from db_migrate.operator import handlers\n"
               "handlers.configure(settings=kopf.OperatorSettings(), memo=kopf.Memo())\n")
    refused = _python(startup)
    assert refused.returncode != 0
    assert "could not convert string to float: 'many'" in refused.stderr


def test_kopf_run_with_settings_it_cannot_read_stops_at_once() -> None:
    # The startup handler is not retried (kopf would call it again every minute, forever).
    done = subprocess.run([sys.executable, "-m", "kopf", "run", "--standalone", "-m",
                           "db_migrate.operator"], capture_output=True, text=True,
                          env={**os.environ, **BAD_ENV}, timeout=60)
    assert done.returncode != 0
    assert "Activity 'configure' failed with an exception and will stop now" in done.stderr
    assert "could not convert string to float: 'many'" in done.stderr
