"""Bad inputs get one sentence naming the field and a documented condition, through the real API
server (its schema) and the operator process (issue 17, "Bugs found on the way"):
a password that begins or ends with spaces.

The operator here runs with an image root of its own (a temporary directory).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from testkit import operator_process, pgserver
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess
from tests.operator.conftest import FAST, Kubectl, secret


@pytest.fixture(scope="module")
def image_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``app/`` as the image root."""
    root = tmp_path_factory.mktemp("image") / "app"
    migrations = root / "migrations"
    (migrations / "orders").mkdir(parents=True)
    (migrations / "orders" / "V1__a.sql").write_text("CREATE TABLE IF NOT EXISTS a (id int);")
    (root / "seeds").mkdir()
    return root


@pytest.fixture(scope="module")
def guarded(installed: ControlPlane, image_root: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[OperatorProcess]:
    env = {**FAST, "DB_MIGRATE_IMAGE_ROOT": str(image_root),
           "DB_MIGRATE_MIGRATIONS_DIR": str(image_root / "migrations"),
           "DB_MIGRATE_SEEDS_DIR": str(image_root / "seeds")}
    op = operator_process.start(installed, tmp_path_factory.mktemp("guarded"), env=env)
    yield op
    op.stop()


#: Spaces at both ends are part of this password; the Secret's value ends with echo's newline.
SPACED = "  Sp4ced pw  "


@pytest.fixture(scope="module")
def scram_server(pg_base: Path) -> Iterator[pgserver.PgServer]:
    """A server that checks passwords (SCRAM) on TCP, with a role whose password is SPACED."""
    with pgserver.PgServer(pg_base / "scram") as server:
        (server.pgdata / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host all postgres 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n")
        with server.connect() as conn:
            conn.execute("SELECT pg_reload_conf()")
            conn.execute("SET password_encryption = 'scram-sha-256'")
            conn.execute(f"CREATE ROLE app LOGIN PASSWORD '{SPACED}'")
            conn.execute("CREATE DATABASE spaced OWNER app")
        yield server


def test_a_password_with_spaces_at_both_ends_logs_in_and_never_shows(
        guarded: OperatorProcess, kube: Kubectl, scram_server: pgserver.PgServer) -> None:
    kube.apply(secret("app-password", SPACED + "\n", key="password"))
    kube.apply(json.dumps({
        "apiVersion": "migrations.es1.dev/v1alpha1", "kind": "DatabaseMigration",
        "metadata": {"name": "spaced"},
        "spec": {"database": "orders", "seed": "none", "connection": {
            "host": "127.0.0.1", "port": scram_server.port, "dbname": "spaced", "user": "app",
            "passwordSecretRef": {"name": "app-password"}}}}))
    # Before, the value was stripped at both ends: "Sp4ced pw" failed SCRAM, retried for ever.
    kube("wait", "--for=condition=Ready", "dbm/spaced", "--timeout=60s")
    with psycopg.connect(host="127.0.0.1", port=scram_server.port, user="app", password=SPACED,
                         dbname="spaced") as conn:
        assert conn.execute("SELECT to_regclass('a')").fetchone() == ("a",)
    shown = json.dumps(kube.get("spaced")) + kube("get", "events", "-o", "json") + guarded.logs()
    assert SPACED.strip() not in shown
