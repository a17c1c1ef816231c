"""The Secret's owner decides where its password goes (issue 17, point 1), without a cluster.

The rule: a password is sent only to a host that its Secret names (a URL key, CloudNativePG's
host and port keys, or the allowed-hosts annotation); nothing a DatabaseMigration says can
widen that, and only the Secret's owner or the operator's administrator can allow cleartext
or MD5 authentication. The same rules run through the real API server in
test_security_auth.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from psycopg.conninfo import conninfo_to_dict

from db_migrate.engine.scrub import Scrubber
from db_migrate.reconciler.credentials import (
    ALLOW,
    ALLOW_INSECURE_AUTH,
    ALLOWED_HOSTS,
    SecretHostMismatch,
    canonical_host,
    connection_url,
    strip_password,
)
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.spec import parse
from tests.operator.fakekube import FakeKube

NS = "apps"
ALLOWED = {ALLOW: "true"}


def settings(**changes: Any) -> Settings:
    return Settings(migrations_dir=Path("/app/migrations"), seeds_dir=Path("/app/seeds"),
                    drift_interval_s=300.0, workers=1, retry_base_s=5.0, retry_max_s=300.0,
                    metrics_port=0, liveness_port=0, application_name="db-migrate-test",
                    **changes)


def spec(**connection: Any) -> dict[str, Any]:
    return {"database": "postgres", "seed": "none", "connection": connection}


def resolve(kube: FakeKube, settings_: Settings | None = None,
            scrubber: Scrubber | None = None) -> dict[str, str]:
    parsed = parse(kube.obj["spec"])
    resolved = connection_url(kube, NS, kube.name, parsed.connection, settings_ or settings(),
                              scrubber)
    return {k: str(v) for k, v in conninfo_to_dict(resolved.url).items()}


def password_spec(host: str, port: int, **extra: Any) -> dict[str, Any]:
    return spec(host=host, port=port, dbname="app", user="app",
                passwordSecretRef={"name": "app-db", "key": "password"}, **extra)


def test_a_password_goes_to_the_host_its_secrets_url_names() -> None:
    kube = FakeKube(NS, "base1", password_spec("db.apps.svc", 5432))
    kube.put_secret("app-db", {"password": "hunter2",
                               "url": "postgresql://app:hunter2@db.apps.svc:5432/app"},
                    labels=ALLOWED)
    params = resolve(kube)
    assert params["host"] == "db.apps.svc" and params["password"] == "hunter2"


def test_a_host_the_secret_does_not_name_is_refused_before_anything_is_sent() -> None:
    kube = FakeKube(NS, "base1", password_spec("127.0.0.1", 33219))
    kube.put_secret("app-db", {"password": "hunter2",
                               "url": "postgresql://app:hunter2@127.0.0.1:5432/app"},
                    labels=ALLOWED)
    with pytest.raises(SecretHostMismatch) as err:
        resolve(kube)
    assert err.value.reason == "SecretHostMismatch"
    assert "spec.connection.host 127.0.0.1:33219 is not a host that Secret apps/app-db names" \
        in str(err.value)
    assert "hunter2" not in str(err.value)


def test_the_url_key_cannot_be_sent_as_a_password_to_another_host() -> None:
    # The attack on allow-for: patch base1's connection to one's own server and name the
    # Secret's url key as the password.
    kube = FakeKube(NS, "base1", spec(host="evil.example", port=5432, dbname="x", user="x",
                                      passwordSecretRef={"name": "app-db", "key": "url"}))
    kube.put_secret("app-db", {"url": "postgresql://app:S3cretPw!@db.apps.svc:5432/app"},
                    annotations={"migrations.es1.dev/allow-for": "base1"})
    with pytest.raises(SecretHostMismatch):
        resolve(kube)


def test_a_secret_that_names_no_host_sends_its_password_nowhere() -> None:
    kube = FakeKube(NS, "base1", password_spec("db.apps.svc", 5432))
    kube.put_secret("app-db", {"password": "hunter2"}, labels=ALLOWED)
    with pytest.raises(SecretHostMismatch, match=ALLOWED_HOSTS):
        resolve(kube)


@pytest.mark.parametrize("annotation, port, admitted", [
    ("db.apps.svc", 6543, True),             # no port: any port of that host
    ("db.apps.svc:5432", 5432, True),
    ("db.apps.svc:5432", 6543, False),
    ("other.apps.svc, db:5432", 5432, True),  # a one-label entry is a Service of the namespace
    ("[::1]:5432", 5432, False),
])
def test_the_allowed_hosts_annotation_names_hosts_and_ports(annotation: str, port: int,
                                                            admitted: bool) -> None:
    kube = FakeKube(NS, "base1", password_spec("db.apps.svc", port))
    kube.put_secret("app-db", {"password": "hunter2"},
                    labels=ALLOWED, annotations={ALLOWED_HOSTS: annotation})
    if admitted:
        assert resolve(kube)["password"] == "hunter2"
    else:
        with pytest.raises(SecretHostMismatch):
            resolve(kube)


def test_a_cloudnativepg_app_secret_supplies_the_whole_connection() -> None:
    # CloudNativePG's <cluster>-app Secret: host, port, dbname, user/username, password, uri.
    kube = FakeKube(NS, "base1", spec(passwordSecretRef={"name": "cluster-example-app"}))
    kube.put_secret("cluster-example-app", {
        "host": "cluster-example-rw", "port": "5432", "dbname": "app", "user": "app",
        "username": "app", "password": "pw with spaces ",
        "uri": "postgresql://app:pw@cluster-example-rw.apps:5432/app"}, labels=ALLOWED)
    params = resolve(kube)
    assert params["host"] == "cluster-example-rw.apps.svc"
    assert (params["port"], params["dbname"], params["user"]) == ("5432", "app", "app")
    assert params["password"] == "pw with spaces "


def test_a_spec_host_matches_the_cloudnativepg_host_in_any_spelling() -> None:
    kube = FakeKube(NS, "base1", spec(host="cluster-example-rw.apps.svc.cluster.local",
                                      passwordSecretRef={"name": "cluster-example-app"}))
    kube.put_secret("cluster-example-app", {
        "host": "cluster-example-rw", "port": "5432", "dbname": "app", "user": "app",
        "password": "pw"}, labels=ALLOWED)
    assert resolve(kube)["dbname"] == "app"


def test_canonical_hosts() -> None:
    assert canonical_host("DB.", "ns") == "db.ns.svc"
    assert canonical_host("db.ns.svc.cluster.local", "ns") == "db.ns.svc"
    assert canonical_host("[0:0::1]", "ns") == "::1"
    assert canonical_host("localhost", "ns") == "localhost"
    assert canonical_host("/var/run/postgresql", "ns") == "/var/run/postgresql"


def test_allow_insecure_auth_in_the_spec_no_longer_drops_require_auth() -> None:
    kube = FakeKube(NS, "base1", password_spec("db.apps.svc", 5432, allowInsecureAuth=True))
    kube.put_secret("app-db", {"password": "pw", "host": "db.apps.svc"}, labels=ALLOWED)
    assert resolve(kube)["require_auth"] == "scram-sha-256,none"


def test_the_secrets_owner_may_allow_insecure_auth_to_its_own_hosts() -> None:
    kube = FakeKube(NS, "base1", password_spec("db.apps.svc", 5432))
    kube.put_secret("app-db", {"password": "pw", "host": "db.apps.svc"}, labels=ALLOWED,
                    annotations={ALLOW_INSECURE_AUTH: "true"})
    assert "require_auth" not in resolve(kube)


def test_the_operators_administrator_may_allow_insecure_auth_per_host() -> None:
    kube = FakeKube(NS, "base1", password_spec("10.1.2.3", 5432))
    kube.put_secret("app-db", {"password": "pw", "host": "10.1.2.3"}, labels=ALLOWED)
    assert "require_auth" not in resolve(kube, settings(insecure_auth_hosts=("10.1.0.0/16",)))
    assert resolve(kube, settings(insecure_auth_hosts=("10.2.0.0/16",)))["require_auth"]


def test_every_value_read_is_registered_with_the_runs_scrubber() -> None:
    kube = FakeKube(NS, "base1", password_spec("db.apps.svc", 5432))
    kube.put_secret("app-db", {"password": "Qz9pLeakyPassword", "host": "db.apps.svc"},
                    labels=ALLOWED)
    scrubber = Scrubber()
    resolve(kube, scrubber=scrubber)
    assert scrubber("server said: role Qz9pLeaky is unknown") == "server said: role *** is unknown"


@pytest.mark.parametrize("raw, password", [
    ("pw\n", "pw"), ("pw\r\n", "pw"), (" pw ", " pw "), ("pw\n\n", "pw\n"), ("\tpw", "\tpw"),
])
def test_only_one_trailing_newline_is_stripped_from_a_password(raw: str, password: str) -> None:
    assert strip_password(raw) == password
