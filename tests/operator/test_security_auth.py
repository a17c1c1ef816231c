"""A DatabaseMigration cannot send a Secret to a server its author chooses (issue 9, point 3).

A fake server on loopback asks every client for a cleartext password.  The operator runs
with ``DB_MIGRATE_ALLOWED_HOSTS`` fencing it to 127.0.0.1 and the real PostgreSQL's socket:
- on 127.0.0.1 (allowed): libpq's require_auth refuses the cleartext request, the server never
  receives the password - unless the spec opts out with allowInsecureAuth (then it does);
- on 127.0.0.2 (outside the allowlist): HostNotAllowed, the server is never even contacted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg.conninfo import conninfo_to_dict

from testkit import operator_process
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess
from tests.fakepg import FakeServer, fake_server
from tests.operator.conftest import FAST, Kubectl, cond, dbm, secret
from tests.pgservers import PgServer
from tests.secret_shapes import CANARY


@pytest.fixture(scope="module")
def fenced(installed: ControlPlane, pg18: PgServer,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[OperatorProcess]:
    socket_dir = str(conninfo_to_dict(pg18.admin_url)["host"])
    env = {**FAST, "DB_MIGRATE_ALLOWED_HOSTS": f"127.0.0.1/32, {socket_dir}"}
    op = operator_process.start(installed, tmp_path_factory.mktemp("fenced"), env=env)
    yield op
    op.stop()


@pytest.fixture
def hostile() -> Iterator[FakeServer]:
    with fake_server("127.0.0.1") as server:
        yield server


def host_dbm(name: str, host: str, port: int, **connection: Any) -> str:
    return json.dumps({
        "apiVersion": "migrations.es1.dev/v1alpha1", "kind": "DatabaseMigration",
        "metadata": {"name": name},
        "spec": {"database": "postgres", "seed": "none", "connection": {
            "host": host, "port": port, "dbname": "es1", "user": "es1",
            "passwordSecretRef": {"name": "db-password"}, **connection}}})


def password_secret(kube: Kubectl) -> None:
    kube.apply(secret("db-password", CANARY, key="password"))


def test_cleartext_password_request_is_refused_and_the_password_never_sent(
        fenced: OperatorProcess, kube: Kubectl, hostile: FakeServer) -> None:
    password_secret(kube)
    kube.apply(host_dbm("probe", "127.0.0.1", hostile.port))
    obj = kube.wait_for("probe", lambda o: "cleartext" in cond(o, "Reconciling").get("message", ""),
                        what="the refusal")
    message = cond(obj, "Reconciling")["message"]
    assert 'authentication method requirement "scram-sha-256,none" failed: server requested a ' \
           "cleartext password" in message
    assert hostile.connections >= 1
    assert hostile.passwords == 0
    assert CANARY.encode() not in hostile.received
    assert CANARY not in fenced.logs()


def test_opting_out_in_the_spec_sends_the_password_as_before(
        fenced: OperatorProcess, kube: Kubectl, hostile: FakeServer) -> None:
    # The control: the same server does receive the password once the spec allows it, so
    # the test above would notice a missing require_auth.
    password_secret(kube)
    kube.apply(host_dbm("insecure", "127.0.0.1", hostile.port, allowInsecureAuth=True))
    kube.wait_for("insecure", lambda o: "fake server says no" in
                  cond(o, "Reconciling").get("message", ""), what="the fake server's error")
    assert hostile.passwords >= 1
    assert CANARY.encode() in hostile.received


def test_host_outside_the_allowlist_is_never_contacted(
        fenced: OperatorProcess, kube: Kubectl) -> None:
    password_secret(kube)
    with fake_server("127.0.0.2") as outside:
        kube.apply(host_dbm("outside", "127.0.0.2", outside.port))
        kube.apply(secret("outside-url", f"postgresql://es1:{CANARY}@127.0.0.2:{outside.port}/es1"))
        kube.apply(dbm("outside-url", "postgres", "outside-url", seed="none"))
        for name, where in (("outside", "spec.connection"),
                            ("outside-url", f"Secret {kube.namespace}/outside-url")):
            obj = kube.wait_for(name, lambda o: cond(o, "Stalled").get("status") == "True",
                                what="HostNotAllowed")
            assert cond(obj, "Stalled")["reason"] == "HostNotAllowed"
            assert cond(obj, "Stalled")["message"] == (
                f"{where}: host 127.0.0.2 is not in DB_MIGRATE_ALLOWED_HOSTS; the operator's "
                "administrator decides which hosts and networks are allowed")
        assert outside.connections == 0
    assert CANARY not in kube("get", "dbm", "-o", "json") + fenced.logs()


def test_allowed_database_still_migrates_under_the_fence(
        fenced: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    # Trust authentication (no password asked) is "none", which require_auth permits.
    kube.apply(secret("pg", pg18.create_database("fenced")))
    kube.apply(dbm("inside", "postgres", "pg", seed="none"))
    kube("wait", "--for=condition=Ready", "dbm/inside", "--timeout=90s")
