"""The operator end to end: real kube-apiserver (schema, status subresource, RBAC, watches),
the operator process under deploy/'s ServiceAccount, real PostgreSQL."""

from __future__ import annotations

import json
import re
import time

import psycopg
from psycopg.conninfo import conninfo_to_dict

from testkit import operator_process
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess
from tests.operator.conftest import FAST, Kubectl, cond, configmap, dbm, secret
from tests.pgservers import PgServer

PASSWORD = "Pw-Never-Shown-42"


def with_password(url: str) -> str:
    # The embedded server trusts local connections, so any password works: it only has to
    # travel through the Secret and must never come back out.
    return url.replace("postgres:@", f"postgres:{PASSWORD}@")


def ready(obj: dict[str, object]) -> bool:
    return cond(obj, "Ready").get("status") == "True"


def test_applied_resource_goes_ready_with_counts_and_kubectl_shows_columns(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    url = with_password(pg18.create_database("op"))
    kube.apply(secret("pg", url))
    kube.apply(dbm("main", "postgres", "pg", seed="sample"))
    # `kubectl wait` right after apply must not pass on a stale or empty status.
    kube("wait", "--for=condition=Ready", "dbm/main", "--timeout=90s")
    obj = kube.get("main")
    status = obj["status"]
    assert status["observedGeneration"] == obj["metadata"]["generation"]
    assert (status["applied"], status["skipped"], status["failed"]) == (11, 0, 0)
    assert status["currentVersion"] == "7"
    assert len(status["sourceDigest"]) == 64
    assert cond(obj, "Ready")["message"] == "V7 applied; 11 applied, 0 skipped, 0 failed"
    assert {m["state"] for m in status["migrations"]} == {"applied"}
    table = kube("get", "dbmigrations")
    assert re.search(r"NAME\s+DATABASE\s+SEED\s+READY\s+VERSION\s+APPLIED\s+SKIPPED\s+FAILED\s+AGE", table)
    assert re.search(r"main\s+postgres\s+sample\s+True\s+7\s+11\s+0\s+0", table)
    assert "main" in kube("get", "dbm")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM _schema_migrations").fetchone() == (11,)
    events = json.loads(kube("get", "events", "--field-selector", "involvedObject.name=main",
                             "-o", "json"))["items"]
    # One event for the run, naming the files; not one event per file.
    assert [e["reason"] for e in events] == ["Succeeded"]
    assert events[0]["message"].startswith(
        "V7 applied; 11 applied, 0 skipped, 0 failed: V001__extensions.sql (")


def test_configmap_change_applies_new_migration_and_failure_stalls_naming_the_file(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(secret("pg", pg18.create_database("cm")))
    files = {"V1__a.sql": "CREATE TABLE IF NOT EXISTS a (id int);",
             "V2__b.sql": "CREATE TABLE IF NOT EXISTS b (id int);"}
    kube.apply(configmap("sql", files))
    kube.apply(dbm("cm", "orders", "pg", seed="none",
                   source={"configMaps": {"migrations": {"names": ["sql"]}}}))
    kube("wait", "--for=condition=Ready", "dbm/cm", "--timeout=60s")
    assert kube.get("cm")["status"]["applied"] == 2
    files["V3__c.sql"] = "CREATE TABLE IF NOT EXISTS c (id int);"
    kube.apply(configmap("sql", files))
    obj = kube.wait_for("cm", lambda o: ready(o) and o["status"].get("currentVersion") == "3",
                        what="V3 applied")
    assert (obj["status"]["applied"], obj["status"]["skipped"]) == (1, 2)
    files["V4__broken.sql"] = "CREATE TABLE IF NOT EXISTS d (id int);\nINSERT INTO nowhere VALUES (1);"
    kube.apply(configmap("sql", files))
    obj = kube.wait_for("cm", lambda o: cond(o, "Stalled").get("status") == "True", what="Stalled")
    stalled = cond(obj, "Stalled")
    assert stalled["reason"] == "MigrationFailed"
    assert "ConfigMap" in stalled["message"] and "key V4__broken.sql line 2" in stalled["message"]
    assert 'relation "nowhere" does not exist' in stalled["message"]
    assert cond(obj, "Ready")["status"] == "False"
    assert obj["status"]["failed"] == 1


def test_invalid_configmap_key_stalls_with_a_clear_message(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(secret("pg", pg18.create_database("bad")))
    kube.apply(configmap("sql", {"V1__a.sql": "SELECT 1;", "v2__users.sql": "SELECT 1;"}))
    kube.apply(dbm("bad", "orders", "pg", seed="none",
                   source={"configMaps": {"migrations": {"names": ["sql"]}}}))
    obj = kube.wait_for("bad", lambda o: cond(o, "Stalled").get("status") == "True", what="Stalled")
    assert cond(obj, "Stalled")["reason"] == "InvalidMigrationSet"
    assert "key v2__users.sql has a bad name" in cond(obj, "Stalled")["message"]


def test_missing_secret_reconciles_then_recovers_when_it_appears(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(dbm("late", "postgres", "not-yet", seed="none"))
    obj = kube.wait_for("late", lambda o: cond(o, "Reconciling").get("reason") == "SecretNotFound",
                        what="SecretNotFound")
    assert cond(obj, "Ready")["status"] == "False"
    assert cond(obj, "Stalled")["status"] == "False"
    kube.apply(secret("not-yet", pg18.create_database("late")))
    kube("wait", "--for=condition=Ready", "dbm/late", "--timeout=60s")


def test_database_down_reads_reconciling_then_recovers_by_itself(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    from tests.operator.tcp_proxy import UnixSocketProxy

    database = conninfo_to_dict(pg18.create_database("down"))["dbname"]
    proxy = UnixSocketProxy(str(pg18.socket_path))
    url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{proxy.port}/{database}?connect_timeout=2"
    kube.apply(secret("pg", url))
    kube.apply(dbm("down", "postgres", "pg", seed="none"))
    obj = kube.wait_for("down", lambda o: cond(o, "Reconciling").get("reason") == "DatabaseUnavailable",
                        what="DatabaseUnavailable")
    assert cond(obj, "Ready")["status"] == "False"
    assert "retrying in" in cond(obj, "Reconciling")["message"]
    assert PASSWORD not in str(obj)
    proxy.start()
    try:
        kube("wait", "--for=condition=Ready", "dbm/down", "--timeout=60s")
    finally:
        proxy.stop()


def test_invalid_resources_are_rejected_by_the_api_server(installed: ControlPlane, kube: Kubectl) -> None:
    result = installed.kubectl("-n", kube.namespace, "apply", "-f", "-", check=False,
                               input=dbm("x", "postgres", "pg", seed="everything"))
    assert result.returncode != 0 and 'Unsupported value: "everything"' in result.stderr
    no_conn = installed.kubectl("-n", kube.namespace, "apply", "-f", "-", check=False,
                                input='{"apiVersion":"migrations.es1.dev/v1alpha1","kind":"DatabaseMigration",'
                                      '"metadata":{"name":"y"},"spec":{"database":"postgres"}}')
    assert no_conn.returncode != 0 and "connection" in no_conn.stderr


def test_two_operators_apply_each_migration_exactly_once(
        installed: ControlPlane, operator: OperatorProcess, kube: Kubectl, pg18: PgServer,
        tmp_path_factory: object) -> None:
    import tempfile
    from pathlib import Path

    # Unsharded: the second owns every resource, and so does the first (the only member left),
    # so both reconcile it: the overlap a hand-off has, made permanent.
    second = operator_process.start(installed, Path(tempfile.mkdtemp(prefix="op2-")), name="second",
                                    env={**FAST, "DB_MIGRATE_SHARDING": "off"})
    first_log_size = len(operator.logs())
    try:
        url = pg18.create_database("twice")
        files = {"V1__log.sql": "CREATE TABLE IF NOT EXISTS side_effects (version text, at timestamptz DEFAULT clock_timestamp());"}
        for v in range(2, 9):
            files[f"V{v}__step.sql"] = f"INSERT INTO side_effects (version) VALUES ('V{v}'); SELECT pg_sleep(0.05);"
        kube.apply(configmap("sql", files))
        kube.apply(secret("pg", url))
        kube.apply(dbm("twice", "orders", "pg", seed="none",
                       source={"configMaps": {"migrations": {"names": ["sql"]}}}))
        kube("wait", "--for=condition=Ready", "dbm/twice", "--timeout=90s")
        with psycopg.connect(url) as conn:
            counts = conn.execute("SELECT version, count(*) FROM side_effects GROUP BY 1 ORDER BY 1").fetchall()
            history = conn.execute("SELECT count(*) FROM _schema_migrations").fetchone()
        assert counts == [(f"V{v}", 1) for v in range(2, 9)]
        assert history == (8,)
        # Both instances really handled it, so the lock (not luck) kept it exactly-once.
        handled = "Handler 'reconcile_handler' succeeded"
        deadline = time.monotonic() + 30
        while not (handled in second.logs() and handled in operator.logs()[first_log_size:]):
            assert time.monotonic() < deadline, "both operators should have reconciled the resource"
            time.sleep(0.3)
    finally:
        second.stop()


def test_no_password_in_logs_events_or_status(operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    url = with_password(pg18.create_database("secret"))
    kube.apply(secret("pg", url))
    kube.apply(configmap("sql", {"V1__bad.sql": f"SELECT 1/0 AS \"{PASSWORD}\";"}))
    kube.apply(dbm("secret", "orders", "pg", seed="none",
                   source={"configMaps": {"migrations": {"names": ["sql"]}}}))
    kube.wait_for("secret", lambda o: cond(o, "Stalled").get("status") == "True", what="Stalled")
    kube.apply(secret("pg2", url.replace("@/", "@127.0.0.1:1/").split("?")[0] + "?connect_timeout=1"))
    kube.apply(dbm("secret2", "postgres", "pg2", seed="none"))
    kube.wait_for("secret2", lambda o: cond(o, "Reconciling").get("reason") == "DatabaseUnavailable",
                  what="DatabaseUnavailable")
    everything = kube("get", "dbm", "-o", "yaml") + kube("get", "events", "-o", "yaml") + operator.logs()
    assert "division by zero" in everything  # the failure itself is reported...
    assert PASSWORD not in everything  # ...but never the credential


def test_metrics_endpoint_counts_applied_migrations(operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(secret("pg", pg18.create_database("metrics")))
    kube.apply(dbm("m", "postgres", "pg", seed="none"))
    kube("wait", "--for=condition=Ready", "dbm/m", "--timeout=60s")
    text = operator.metrics()
    line = next(ln for ln in text.splitlines()
                if ln.startswith("db_migrate_applied_total{") and f'namespace="{kube.namespace}"' in ln)
    assert line.endswith(" 7.0")
    assert "db_migrate_last_success_timestamp_seconds{" in text


def test_configmaps_by_label_selector_are_merged_and_a_new_one_flips_ready_before_the_slow_work(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    url = pg18.create_database("sel")
    kube.apply(secret("pg", url))
    labels = {"migrations.es1.dev/set": "orders"}
    kube.apply(configmap("part-1", {"V1__a.sql": "CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY);"}, labels))
    kube.apply(configmap("part-2", {"V2__b.sql": "CREATE TABLE IF NOT EXISTS b (id int);"}, labels))
    kube.apply(configmap("ref", {"001_a.sql": "INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING;"}))
    kube.apply(dbm("sel", "orders", "pg", seed="reference", source={"configMaps": {
        "migrations": {"selector": {"matchLabels": labels}},
        "seeds": {"reference": {"names": ["ref"]}}}}))
    kube("wait", "--for=condition=Ready", "dbm/sel", "--timeout=60s")
    first = kube.get("sel")["status"]
    assert (first["applied"], first["currentVersion"]) == (3, "2")
    # A third labelled ConfigMap with a slow migration: the resource must leave Ready at once.
    kube.apply(configmap("part-3", {"V3__slow.sql": "SELECT pg_sleep(2);"}, labels))
    flipped = kube.wait_for("sel", lambda o: cond(o, "Reconciling").get("status") == "True",
                            timeout=30, what="Reconciling while V3 runs")
    assert cond(flipped, "Ready")["status"] == "False"
    assert cond(flipped, "Reconciling")["reason"] == "SourceChanged"
    done = kube.wait_for("sel", lambda o: ready(o) and o["status"]["currentVersion"] == "3",
                         what="V3 applied")
    assert done["status"]["sourceDigest"] != first["sourceDigest"]


def test_suspended_resource_runs_nothing_and_says_so(
        operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    url = pg18.create_database("susp")
    kube.apply(secret("pg", url))
    kube.apply(dbm("susp", "postgres", "pg", seed="none", suspend=True))
    obj = kube.wait_for("susp", lambda o: o.get("status", {}).get("suspended") is True, what="suspended")
    assert cond(obj, "Ready")["reason"] == "Suspended"
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('_schema_migrations')").fetchone() == (None,)
    kube("patch", "dbm", "susp", "--type=merge", "-p", '{"spec": {"suspend": false}}')
    kube("wait", "--for=condition=Ready", "dbm/susp", "--timeout=60s")
