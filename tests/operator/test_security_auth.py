"""A DatabaseMigration cannot send a Secret to a server its author chooses (issues 9 and 17).

A fake server on loopback asks every client for a cleartext password (or offers SCRAM with an
iteration count of 1) and records every byte.  The operator runs with
``DB_MIGRATE_ALLOWED_HOSTS`` fencing it to 127.0.0.1 and the real PostgreSQL's socket:
- a host the password's Secret does not name: SecretHostMismatch, never contacted, whatever
  the spec says (allowInsecureAuth included);
- a host the Secret names: libpq's require_auth refuses the cleartext request, the server never
  receives the password, and the resource is Stalled (AuthenticationFailed), not retried -
  unless the Secret's owner allows insecure authentication (then it does receive it);
- on 127.0.0.2 (outside the allowlist): HostNotAllowed, the server is never even contacted.
"""

from __future__ import annotations

import json
import time
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


def owned_secret(name: str, data: dict[str, str], **annotations: str) -> str:
    """A Secret allowed for every DatabaseMigration of the namespace, with its owner's
    annotations (allowed-hosts, allow-insecure-auth)."""
    return json.dumps({"apiVersion": "v1", "kind": "Secret",
                       "metadata": {"name": name, "labels": {"migrations.es1.dev/allow": "true"},
                                    "annotations": {f"migrations.es1.dev/{k.replace('_', '-')}": v
                                                    for k, v in annotations.items()}},
                       "stringData": data})


def stalled(kube: Kubectl, name: str, reason: str) -> dict[str, Any]:
    obj = kube.wait_for(name, lambda o: cond(o, "Stalled").get("reason") == reason, what=reason)
    assert cond(obj, "Stalled")["status"] == "True"
    return obj


def warnings(kube: Kubectl, name: str) -> list[dict[str, Any]]:
    items = json.loads(kube("get", "events", "-o", "json",
                            f"--field-selector=involvedObject.name={name}"))["items"]
    return [e for e in items if e["type"] == "Warning"]


def test_allow_insecure_auth_in_the_spec_cannot_take_a_password_to_another_server(
        fenced: OperatorProcess, kube: Kubectl, hostile: FakeServer, pg18: PgServer) -> None:
    # The attack of issue 17: an opted-in Secret names the real database; the resource points
    # its password at the author's own server and asks for cleartext authentication.
    real = conninfo_to_dict(pg18.admin_url)
    kube.apply(owned_secret("app-db", {"password": CANARY, "host": "127.0.0.1",
                                       "port": str(real.get("port") or 5432)}))
    kube.apply(host_dbm("steal", "127.0.0.1", hostile.port, allowInsecureAuth=True,
                        passwordSecretRef={"name": "app-db"}))
    obj = stalled(kube, "steal", "SecretHostMismatch")
    assert cond(obj, "Stalled")["message"].startswith(
        f"spec.connection.host 127.0.0.1:{hostile.port} is not a host that Secret "
        f"{kube.namespace}/app-db names for its password, so nothing was sent")
    assert hostile.connections == 0 and hostile.passwords == 0
    reasons = [e["reason"] for e in warnings(kube, "steal")]
    assert "InsecureAuthFieldIgnored" in reasons
    assert CANARY not in kube("get", "dbm", "-o", "json") + fenced.logs()


def test_patching_an_allowed_resource_cannot_send_the_secrets_url_as_a_password(
        fenced: OperatorProcess, kube: Kubectl, hostile: FakeServer) -> None:
    # allow-for names the resource, not the server: patching base1 to the author's own server
    # with passwordSecretRef on the url key sent the whole URL as the password.
    kube.apply(secret("app-url", f"postgresql://app:{CANARY}@127.0.0.1:1/base1",
                      labels={}, annotations={"migrations.es1.dev/allow-for": "base1"}))
    kube.apply(json.dumps({
        "apiVersion": "migrations.es1.dev/v1alpha1", "kind": "DatabaseMigration",
        "metadata": {"name": "base1"},
        "spec": {"database": "postgres", "seed": "none", "connection": {
            "host": "127.0.0.1", "port": hostile.port, "dbname": "base1", "user": "app",
            "passwordSecretRef": {"name": "app-url", "key": "url"}}}}))
    stalled(kube, "base1", "SecretHostMismatch")
    assert hostile.connections == 0
    assert CANARY.encode() not in hostile.received


def test_a_scram_server_the_secret_does_not_name_never_gets_a_proof(
        fenced: OperatorProcess, kube: Kubectl) -> None:
    # SCRAM with an iteration count of 1: the client's proof is cracked offline in seconds,
    # and libpq has no minimum iteration count. Only never talking to that server helps.
    with fake_server("127.0.0.1", scram=True) as scram:
        kube.apply(owned_secret("scram-db", {"password": CANARY, "host": "db.elsewhere.svc"}))
        kube.apply(json.dumps({
            "apiVersion": "migrations.es1.dev/v1alpha1", "kind": "DatabaseMigration",
            "metadata": {"name": "scram"},
            "spec": {"database": "postgres", "seed": "none", "connection": {
                "host": "127.0.0.1", "port": scram.port, "dbname": "es1", "user": "es1",
                "passwordSecretRef": {"name": "scram-db"}}}}))
        stalled(kube, "scram", "SecretHostMismatch")
        assert scram.connections == 0 and scram.proofs == 0


def test_a_refused_authentication_is_stalled_and_not_offered_again(
        fenced: OperatorProcess, kube: Kubectl, hostile: FakeServer) -> None:
    # The Secret's owner named this server (a host may be compromised later): it asks for a
    # cleartext password, libpq's require_auth refuses, and the resource is Stalled until the
    # Secret or the spec changes instead of connecting again on every retry.
    kube.apply(owned_secret("named-db", {"password": CANARY},
                            allowed_hosts=f"127.0.0.1:{hostile.port}"))
    kube.apply(host_dbm("named", "127.0.0.1", hostile.port, passwordSecretRef={"name": "named-db"}))
    obj = stalled(kube, "named", "AuthenticationFailed")
    assert 'authentication method requirement "scram-sha-256,none" failed: server requested a ' \
           "cleartext password" in cond(obj, "Stalled")["message"]
    seen = hostile.connections
    time.sleep(6)  # several retry periods of FAST (1 s base, 4 s max)
    assert hostile.connections == seen
    assert hostile.passwords == 0
    assert CANARY.encode() not in hostile.received
    assert CANARY not in fenced.logs()


def test_the_secrets_owner_can_allow_cleartext_for_a_host_it_names(
        fenced: OperatorProcess, kube: Kubectl, hostile: FakeServer) -> None:
    # The control: the same server does receive the password once the Secret's owner allows
    # it, so the tests above would notice a missing require_auth or host binding.
    kube.apply(owned_secret("legacy-db", {"password": CANARY},
                            allowed_hosts=f"127.0.0.1:{hostile.port}", allow_insecure_auth="true"))
    kube.apply(host_dbm("legacy", "127.0.0.1", hostile.port, passwordSecretRef={"name": "legacy-db"}))
    obj = stalled(kube, "legacy", "AuthenticationFailed")
    assert 'password authentication failed for user "es1" (fake server)' in \
        cond(obj, "Stalled")["message"]
    assert hostile.passwords >= 1
    assert CANARY.encode() in hostile.received


def test_host_outside_the_allowlist_is_never_contacted(
        fenced: OperatorProcess, kube: Kubectl) -> None:
    with fake_server("127.0.0.2") as outside:
        # The Secret's owner names the host, but the operator's administrator does not allow it.
        kube.apply(owned_secret("db-password", {"password": CANARY}, allowed_hosts="127.0.0.2"))
        kube.apply(host_dbm("outside", "127.0.0.2", outside.port))
        kube.apply(secret("outside-url", f"postgresql://es1:{CANARY}@127.0.0.2:{outside.port}/es1"))
        kube.apply(dbm("outside-url", "postgres", "outside-url", seed="none"))
        # A host the spec wrote is named; one a Secret wrote only by reference.
        for name, where, host in (
                ("outside", "spec.connection", "127.0.0.2"),
                ("outside-url", f"Secret {kube.namespace}/outside-url",
                 f"the host in Secret {kube.namespace}/outside-url key url")):
            obj = stalled(kube, name, "HostNotAllowed")
            assert cond(obj, "Stalled")["message"] == (
                f"{where}: host {host} is not in DB_MIGRATE_ALLOWED_HOSTS; the operator's "
                "administrator decides which hosts and networks are allowed")
        assert outside.connections == 0
    assert CANARY not in kube("get", "dbm", "-o", "json") + fenced.logs()


def test_allowed_database_still_migrates_under_the_fence(
        fenced: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    # Trust authentication (no password asked) is "none", which require_auth permits.
    kube.apply(secret("pg", pg18.create_database("fenced")))
    kube.apply(dbm("inside", "postgres", "pg", seed="none"))
    kube("wait", "--for=condition=Ready", "dbm/inside", "--timeout=90s")
