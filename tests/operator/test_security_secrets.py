"""Trust boundary, through the real API server and the operator under deploy/'s RBAC:

- no byte of a Secret's value reaches status, annotations, events or the operator log, for
  every malformed shape of connection string (issue 9, point 1);
- a malformed string is InvalidConnectionString -> Stalled, not a transient outage (point 8);
- a Secret is used only when its owner opted in (point 2);
- source.image paths stay under the image root (point 5).
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from testkit.controlplane import repo_root
from testkit.operator_process import OperatorProcess
from tests.operator.conftest import Kubectl, cond, dbm, secret
from tests.pgservers import PgServer
from tests.secret_shapes import CANARY, MALFORMED, NON_UTF8, SERVER_QUOTED, VALID_WITH_CANARY, leaked


def stalled(obj: dict[str, Any]) -> bool:
    return cond(obj, "Stalled").get("status") == "True"


def everything(kube: Kubectl, op: OperatorProcess) -> str:
    """Every place a value could leak to: the objects whole (status, every annotation),
    the namespace's events and the operator's log."""
    return "\n".join([kube("get", "dbm", "-o", "json"), kube("get", "events", "-o", "json"),
                      op.logs()])


def test_no_malformed_connection_string_leaks_and_each_one_stalls_naming_the_secret(
        operator: OperatorProcess, kube: Kubectl) -> None:
    for shape, url in MALFORMED.items():
        kube.apply(secret(f"s-{shape}", url))
        kube.apply(dbm(f"m-{shape}", "postgres", f"s-{shape}", seed="none"))
    kube.apply(json.dumps({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "s-non-utf8", "labels": {"migrations.es1.dev/allow": "true"}},
        "data": {"url": base64.b64encode(NON_UTF8).decode()}}))
    kube.apply(dbm("m-non-utf8", "postgres", "s-non-utf8", seed="none"))
    for shape, url in VALID_WITH_CANARY.items():
        kube.apply(secret(f"v-{shape}", url))
        kube.apply(dbm(f"v-{shape}", "postgres", f"v-{shape}", seed="none"))

    for shape in [*MALFORMED, "non-utf8"]:
        obj = kube.wait_for(f"m-{shape}", stalled, what=f"Stalled for {shape}")
        condition = cond(obj, "Stalled")
        # Point 8: a permanent problem, not DatabaseUnavailable retried forever.
        assert condition["reason"] == "InvalidConnectionString", (shape, condition)
        assert condition["message"].startswith(f"Secret {kube.namespace}/s-{shape} key url: "), \
            condition["message"]
        assert "(the value is not shown)" in condition["message"]
        assert cond(obj, "Reconciling").get("status") == "False"
    for shape in VALID_WITH_CANARY:
        obj = kube.wait_for(f"v-{shape}", lambda o: cond(o, "Reconciling").get("reason")
                            == "DatabaseUnavailable", what=f"retrying {shape}")
        # Issue 17: what a Secret's URL names is shown only by reference.
        assert (f"cannot connect to the database in Secret {kube.namespace}/v-{shape} key url: "
                in cond(obj, "Reconciling")["message"])

    time.sleep(3)  # a few retries of the valid shapes, each logged and evented
    texts = everything(kube, operator)
    assert CANARY not in texts
    assert not leaked(texts, CANARY, run=5)
    assert "Pass word" not in texts and "Pass%ZZ" not in texts
    assert base64.b64encode(CANARY.encode()).decode()[:12] not in texts


def test_no_server_error_quoting_part_of_a_secret_reaches_status_events_or_log(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    # Issue 17: the server quotes an option's value ("invalid value for parameter
    # statement_timeout", 'role "..." does not exist', 'database "..." does not exist').
    for shape, make in SERVER_QUOTED.items():
        kube.apply(secret(f"q-{shape}", make(pg18.admin_url)))
        kube.apply(dbm(f"q-{shape}", "postgres", f"q-{shape}", seed="none"))
    for shape in SERVER_QUOTED:
        obj = kube.wait_for(f"q-{shape}", lambda o: bool(cond(o, "Reconciling").get("message")
                                                         or cond(o, "Stalled").get("message")),
                            what=f"the server's refusal for {shape}")
        message = cond(obj, "Reconciling").get("message") or cond(obj, "Stalled")["message"]
        assert "***" in message, message  # the server did quote it, and it was masked
    time.sleep(3)  # a few retries, each logged and evented
    assert not leaked(everything(kube, operator), CANARY, run=5)


def test_message_for_the_three_reported_shapes(operator: OperatorProcess, kube: Kubectl) -> None:
    shapes = {"a": "es1:PASSWORD@127.0.0.1:55433/es1",
              "b": "postgresql://es1:Pass%ZZ@127.0.0.1:55433/es1",
              "c": "postgresql://es1:Pass word@127.0.0.1:55433/es1"}
    for name, url in shapes.items():
        kube.apply(secret(name, url))
        kube.apply(dbm(name, "postgres", name, seed="none"))
    messages = {name: cond(kube.wait_for(name, stalled), "Stalled")["message"] for name in shapes}
    ns = kube.namespace
    assert messages == {
        "a": f"Secret {ns}/a key url: is not a postgresql:// URL, nor a key=value connection "
             "string (the value is not shown)",
        "b": f"Secret {ns}/b key url: has a bad percent-escape at position 22 "
             "(the value is not shown)",
        "c": f"Secret {ns}/c key url: has a space or control character (encode it as %XX) at "
             "position 22 (the value is not shown)",
    }
    texts = everything(kube, operator)
    assert "PASSWORD" not in texts and "Pass%ZZ" not in texts and "Pass word" not in texts


def test_secret_without_the_owners_opt_in_is_never_read(
        operator: OperatorProcess, kube: Kubectl) -> None:
    # Another application's token, in a Secret its owner never offered to migrations.
    kube.apply(secret("other-app-credentials", CANARY, labels=None, key="api-token"))
    body = json.loads(dbm("thief", "postgres", "other-app-credentials", seed="none"))
    body["spec"]["connection"]["urlSecretRef"]["key"] = "api-token"
    kube.apply(json.dumps(body))
    kube.apply(json.dumps({
        "apiVersion": "migrations.es1.dev/v1alpha1", "kind": "DatabaseMigration",
        "metadata": {"name": "pw-thief"},
        "spec": {"database": "postgres", "seed": "none", "connection": {
            "host": "127.0.0.1", "port": 1, "dbname": "x", "user": "x",
            "passwordSecretRef": {"name": "other-app-credentials", "key": "api-token"}}}}))
    ns = kube.namespace
    for name in ("thief", "pw-thief"):
        obj = kube.wait_for(name, stalled, what="SecretNotAllowed")
        condition = cond(obj, "Stalled")
        assert condition["reason"] == "SecretNotAllowed"
        assert condition["message"] == (
            f"Secret {ns}/other-app-credentials is not allowed for DatabaseMigration {name}: "
            "its owner must label it migrations.es1.dev/allow=true (any DatabaseMigration in "
            f"{ns}) or annotate it migrations.es1.dev/allow-for={name} (a comma-separated list "
            f"of names), e.g. kubectl -n {ns} annotate secret other-app-credentials "
            f"migrations.es1.dev/allow-for={name}")
    assert CANARY not in everything(kube, operator)


def test_allow_for_annotation_admits_only_the_named_resources(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    url = pg18.create_database("allow")
    kube.apply(secret("shared", url, labels=None,
                      annotations={"migrations.es1.dev/allow-for": "first, second"}))
    for name in ("first", "intruder"):
        kube.apply(dbm(name, "postgres", "shared", seed="none"))
    kube("wait", "--for=condition=Ready", "dbm/first", "--timeout=90s")
    obj = kube.wait_for("intruder", stalled, what="SecretNotAllowed")
    assert cond(obj, "Stalled")["reason"] == "SecretNotAllowed"


def test_image_paths_outside_the_image_root_are_invalid_naming_the_field(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    root = repo_root()  # the tests' image root, as /app is in the image
    cases = {
        "root": ({"migrationsDir": "/"}, "spec.source.image.migrationsDir: '/' is outside the "
                                         "image root"),
        "dotdot": ({"migrationsDir": f"{root}/migrations/../../etc"},
                   f"spec.source.image.migrationsDir: '{root}/migrations/../../etc' contains '..'"),
        "seeds": ({"seedsDir": "/etc"}, "spec.source.image.seedsDir: '/etc' is outside the "
                                        "image root"),
    }
    for name, (image, _) in cases.items():
        kube.apply(dbm(name, "postgres", "unused", seed="none", source={"image": image}))
    for name, (_, expected) in cases.items():
        condition = cond(kube.wait_for(name, stalled, what="InvalidSource"), "Stalled")
        assert condition["reason"] == "InvalidSource"
        assert condition["message"].startswith(expected), condition["message"]
    # A path under the root still works.
    kube.apply(secret("pg", pg18.create_database("img")))
    kube.apply(dbm("inside", "postgres", "pg", seed="none",
                   source={"image": {"migrationsDir": f"{root}/migrations"}}))
    kube("wait", "--for=condition=Ready", "dbm/inside", "--timeout=90s")
