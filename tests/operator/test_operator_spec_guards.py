"""Bad inputs get one sentence naming the field and a documented condition, through the real API
server (its schema) and the operator process (issue 17, "Bugs found on the way"):
a NUL byte in an image path, timeouts beyond PostgreSQL's limit, symbolic links out of the
image root, and a password that begins or ends with spaces.

The operator here runs with an image root of its own (a temporary directory), so that the
links can be arranged in it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from testkit import operator_process, pgserver
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess
from tests.operator.conftest import FAST, Kubectl, cond, dbm, secret
from tests.pgservers import PgServer


@pytest.fixture(scope="module")
def image_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``app/`` as the image root, with links out of it; ``outside/`` holds what they reach."""
    base = tmp_path_factory.mktemp("image")
    root, outside = base / "app", base / "outside"
    (outside / "orders").mkdir(parents=True)
    (outside / "orders" / "V1__leak.sql").write_text("CREATE TABLE leaked (id int);")
    migrations = root / "migrations"
    (migrations / "orders").mkdir(parents=True)
    (migrations / "orders" / "V1__a.sql").write_text("CREATE TABLE IF NOT EXISTS a (id int);")
    (root / "seeds").mkdir()
    (migrations / "linked-dir").symlink_to(outside / "orders")
    (migrations / "linked-file").mkdir()
    (migrations / "linked-file" / "V1__x.sql").symlink_to(outside / "orders" / "V1__leak.sql")
    (migrations / "alias").symlink_to(migrations / "orders")
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


def refused(kube: Kubectl, manifest: str) -> str:
    """The API server's refusal of ``manifest`` (stderr); fails if it was accepted."""
    done = kube.plane.kubectl("-n", kube.namespace, "apply", "-f", "-", input=manifest, check=False)
    assert done.returncode != 0, f"accepted: {done.stdout}"
    return done.stderr


def stalled(obj: dict[str, Any]) -> bool:
    return cond(obj, "Stalled").get("status") == "True"


def test_a_nul_byte_in_an_image_path_is_refused_by_the_schema_naming_the_field(
        guarded: OperatorProcess, kube: Kubectl) -> None:
    for field in ("migrationsDir", "seedsDir"):
        manifest = dbm(f"nul-{field.lower()}", "orders", "pg", seed="none",
                       source={"image": {field: "/app/migrations\x00/x"}})
        assert "\\u0000" in manifest
        error = refused(kube, manifest)
        assert f"spec.source.image.{field}" in error and "should match" in error, error
    # The operator's own check (for objects stored before the pattern) is in
    # test_reconcile_flow.py: the schema lets no such object through any more.
    assert "embedded null byte" not in guarded.logs()


@pytest.mark.parametrize(("value", "says"), [
    ("99999999999999999999999h", "Too long"),
    ("9999999999h", "at most 2147483647ms (about 24.8 days), PostgreSQL's limit for a timeout"),
    ("597h", "at most 2147483647ms"),
    ("2147483648ms", "at most 2147483647ms"),
])
def test_a_timeout_beyond_postgresqls_limit_is_refused_by_the_schema_naming_the_field(
        guarded: OperatorProcess, kube: Kubectl, value: str, says: str) -> None:
    error = refused(kube, dbm("huge", "orders", "pg", seed="none", timeouts={"statement": value}))
    assert "spec.timeouts.statement" in error and says in error, error


def test_the_longest_timeout_postgresql_takes_is_accepted_and_used(
        guarded: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(secret("pg", pg18.create_database("longest")))
    kube.apply(dbm("longest", "orders", "pg", seed="none",
                   timeouts={"statement": "596h", "lock": "2147483647ms"}))
    kube("wait", "--for=condition=Ready", "dbm/longest", "--timeout=60s")


def test_a_symlink_out_of_the_image_root_is_stalled_naming_the_path_under_the_root(
        guarded: OperatorProcess, kube: Kubectl, pg18: PgServer, image_root: Path) -> None:
    url = pg18.create_database("links")
    kube.apply(secret("pg", url))
    expected = {"linked-dir": "migrations/linked-dir in the image root",
                "linked-file": "migrations/linked-file/V1__x.sql in the image root"}
    for database in expected:
        kube.apply(dbm(database, database, "pg", seed="none"))
    for database, start in expected.items():
        stalled_condition = cond(kube.wait_for(database, stalled, what="InvalidSource"), "Stalled")
        assert stalled_condition["reason"] == "InvalidSource"
        assert stalled_condition["message"].startswith(f"{start} {image_root} is a symbolic link "
                                                       "to a path outside it")
        assert "outside/orders" not in stalled_condition["message"]
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('leaked')").fetchone() == (None,)
    # A link that stays under the root is followed.
    kube.apply(dbm("alias", "alias", "pg", seed="none"))
    kube("wait", "--for=condition=Ready", "dbm/alias", "--timeout=60s")


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
    # The Secret's owner names the server its password may go to (issue 17's host binding).
    kube.apply(secret("app-password", SPACED + "\n", key="password",
                      annotations={"migrations.es1.dev/allowed-hosts": f"127.0.0.1:{scram_server.port}"}))
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
