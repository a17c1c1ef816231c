"""The pure parts of the trust boundary: allow check, require_auth, host allowlist, image root."""

from __future__ import annotations

from pathlib import Path

import pytest

from db_migrate.engine.scrub import Scrubber
from db_migrate.engine.source import DirectorySource, OutsideRoot
from db_migrate.reconciler.credentials import (
    ALLOW,
    ALLOWED_HOSTS,
    REQUIRE_AUTH,
    HostNotAllowed,
    allowed,
    check_hosts,
    connection_params,
    in_namespace,
    require_auth,
    strip_password,
)
from db_migrate.reconciler.kube import SecretObject
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.sources import image_path
from db_migrate.reconciler.spec import Connection, InvalidSpec, SecretKeyRef
from tests.operator.fakekube import FakeKube


def secret_object(labels: dict[str, str] | None = None,
                  annotations: dict[str, str] | None = None) -> SecretObject:
    return SecretObject("ns", "s", labels or {}, annotations or {}, "1", {"url": "eA=="})


def test_allow_label_annotation_and_allow_for_list() -> None:
    assert allowed(secret_object(labels={"migrations.es1.dev/allow": "true"}), "any")
    assert allowed(secret_object(annotations={"migrations.es1.dev/allow": "true"}), "any")
    listed = secret_object(annotations={"migrations.es1.dev/allow-for": "a, b"})
    assert allowed(listed, "a") and allowed(listed, "b") and not allowed(listed, "c")
    assert not allowed(secret_object(labels={"migrations.es1.dev/allow": "yes"}), "a")
    assert not allowed(secret_object(), "a")


def test_secret_object_repr_never_shows_data() -> None:
    assert "eA==" not in repr(secret_object()) and "keys=['url']" in repr(secret_object())


@pytest.mark.parametrize(("own", "sent"), [
    (None, REQUIRE_AUTH),
    ("password", REQUIRE_AUTH),
    ("md5,scram-sha-256", REQUIRE_AUTH),
    ("!password", REQUIRE_AUTH),             # would still allow md5
    ("none", "none"),                        # stricter: kept
    ("scram-sha-256", "scram-sha-256"),
    ("!password,!md5,!gss", "!password,!md5,!gss"),
])
def test_require_auth_replaces_anything_weaker(own: str | None, sent: str) -> None:
    params = {"host": "h"} if own is None else {"host": "h", "require_auth": own}
    require_auth(params)
    assert params["require_auth"] == sent


def test_empty_allowlist_changes_nothing() -> None:
    params = {"host": "anywhere.example", "port": "5432"}
    assert check_hosts(params, (), "x") == params


def test_addresses_are_checked_and_pinned_per_host() -> None:
    params = {"host": "127.0.0.1,10.1.2.3", "port": "5432,6432", "dbname": "d"}
    pinned = check_hosts(params, ("127.0.0.0/8", "10.0.0.0/8"), "x")
    assert pinned == {"host": "127.0.0.1,10.1.2.3", "hostaddr": "127.0.0.1,10.1.2.3",
                      "port": "5432,6432", "dbname": "d"}


def test_one_address_outside_refuses_the_whole_string() -> None:
    with pytest.raises(HostNotAllowed, match=r"^x: host 10.1.2.3 is not in DB_MIGRATE_ALLOWED_HOSTS"):
        check_hosts({"host": "127.0.0.1,10.1.2.3"}, ("127.0.0.0/8",), "x")


def test_hostaddr_is_what_is_checked() -> None:
    with pytest.raises(HostNotAllowed, match=r"host 192\.0\.2\.1 is not"):
        check_hosts({"host": "db.allowed", "hostaddr": "192.0.2.1"}, ("db.allowed",), "x")


def test_names_and_wildcards_are_allowed_by_name_without_pinning() -> None:
    params = {"host": "pg.db.svc.cluster.local"}
    assert check_hosts(params, ("*.db.svc.cluster.local",), "x") == params
    with pytest.raises(HostNotAllowed):
        check_hosts({"host": "/tmp/sock"}, ("*.db.svc.cluster.local",), "x")
    assert check_hosts({"host": "/tmp/sock"}, ("/tmp/sock",), "x") == {"host": "/tmp/sock"}


def test_default_socket_is_refused_under_an_allowlist() -> None:
    with pytest.raises(HostNotAllowed, match="the default Unix socket"):
        check_hosts({"dbname": "d"}, ("10.0.0.0/8",), "x")


def test_image_paths_stay_under_the_root(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "escape").symlink_to("/etc")
    assert image_path(str(tmp_path / "migrations"), tmp_path, "f") == tmp_path / "migrations"
    with pytest.raises(InvalidSpec, match=r"^f: '/' is outside the image root"):
        image_path("/", tmp_path, "f")
    with pytest.raises(InvalidSpec, match=r"contains '\.\.'"):
        image_path(f"{tmp_path}/migrations/../migrations", tmp_path, "f")
    with pytest.raises(InvalidSpec, match="outside the image root"):
        image_path(str(tmp_path / "escape"), tmp_path, "f")


def test_allowed_hosts_setting_refuses_a_mistyped_cidr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_MIGRATE_ALLOWED_HOSTS", " 10.0.0.0/8 ,db.local,/run/pg")
    assert Settings.from_env().allowed_hosts == ("10.0.0.0/8", "db.local", "/run/pg")
    monkeypatch.setenv("DB_MIGRATE_ALLOWED_HOSTS", "10.0.0.0/33")
    with pytest.raises(ValueError, match="is not a CIDR"):
        Settings.from_env()


def test_a_one_label_host_is_a_service_in_the_resources_namespace() -> None:
    params = {"host": "postgres,db.example.org,10.1.2.3,/run/postgresql,localhost,replica", "port": "5432"}
    assert in_namespace(params, "app")["host"] == (
        "postgres.app.svc,db.example.org,10.1.2.3,/run/postgresql,localhost,replica.app.svc")
    assert in_namespace({"dbname": "x"}, "app") == {"dbname": "x"}


@pytest.mark.parametrize(("stored", "password"), [
    ("  two spaces each side  ", "  two spaces each side  "),
    (" pw\n", " pw"),            # echo's newline
    ("pw\r\n", "pw"),           # an editor's CRLF
    ("pw\n\n", "pw\n"),         # only one
    ("pw\r", "pw\r"),           # a lone CR is part of the value
    ("\tpw ", "\tpw "),
])
def test_a_password_keeps_its_spaces_and_loses_only_one_trailing_newline(
        stored: str, password: str) -> None:
    kube = FakeKube("ns", "dbm", {})
    ref = SecretKeyRef("pw", "password")
    assert strip_password(stored) == password
    # The Secret names no host of its own here: the annotation lets the password go to it.
    kube.put_secret("pw", {"password": stored}, labels={ALLOW: "true"},
                    annotations={ALLOWED_HOSTS: "db.example"})
    conn = Connection(host="db.example", dbname="app", user="app", password_secret=ref)
    assert connection_params(kube, "ns", "dbm", conn, Scrubber()).params["password"] == password


def test_a_url_in_a_secret_is_still_stripped_at_both_ends() -> None:
    # A URL cannot hold a space (it would be percent-encoded), so the strip loses nothing.
    kube = FakeKube("ns", "dbm", {})
    kube.put_secret("url", {"url": "  postgresql://app@db.example/app \n"}, labels={ALLOW: "true"})
    params = connection_params(kube, "ns", "dbm", Connection(url_secret=SecretKeyRef("url", "url")),
                               Scrubber()).params
    assert (params["host"], params["dbname"]) == ("db.example", "app")


def test_a_symlink_under_the_image_root_must_resolve_under_it(tmp_path: Path) -> None:
    root, outside = tmp_path / "app", tmp_path / "elsewhere"
    (root / "migrations" / "inside").mkdir(parents=True)
    (root / "migrations" / "inside" / "V1__a.sql").write_text("SELECT 1;")
    (root / "seeds" / "shop" / "reference").mkdir(parents=True)
    outside.mkdir()
    (outside / "V1__x.sql").write_text("SELECT 2;")
    (root / "migrations" / "shop").symlink_to(outside)
    (root / "migrations" / "inside" / "V2__b.sql").symlink_to(outside / "V1__x.sql")
    (root / "migrations" / "alias").symlink_to(root / "migrations" / "inside")
    (root / "seeds" / "shop" / "reference" / "001.sql").symlink_to(outside / "V1__x.sql")
    source = DirectorySource(root / "migrations", root / "seeds", root=root)
    with pytest.raises(OutsideRoot, match=r"^migrations/shop in the image root .* is a symbolic link "
                                          r"to a path outside it") as raised:
        source.migration_files("shop")
    assert raised.value.reason == "InvalidSource" and str(outside) not in str(raised.value)
    with pytest.raises(OutsideRoot, match=r"^migrations/inside/V2__b\.sql in the image root"):
        source.migration_files("inside")
    with pytest.raises(OutsideRoot, match=r"^seeds/shop/reference/001\.sql in the image root"):
        source.seed_sets("shop")
    (root / "migrations" / "inside" / "V2__b.sql").unlink()
    assert [f.name for f in source.migration_files("alias")] == ["V1__a.sql"]
    # Without a root (the CLI, reading its user's own tree) links are followed as before.
    assert len(DirectorySource(root / "migrations", None).migration_files("shop")) == 1
