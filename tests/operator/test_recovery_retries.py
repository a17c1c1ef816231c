"""A fix to a referenced Secret or ConfigMap is used within seconds, even while the resource
waits out a long backoff (issue 9, recovery 6)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testkit import operator_process
from testkit.controlplane import ControlPlane
from testkit.operator_process import OperatorProcess
from tests.operator.conftest import Kubectl, configmap, dbm, secret
from tests.operator.recovery import (
    PRODUCTION_BACKOFF,
    RECOVERY_S,
    ready,
    retrying,
    time_to,
)
from tests.pgservers import PgServer


@pytest.fixture(scope="module")
def slow_operator(installed: ControlPlane, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[OperatorProcess]:
    op = operator_process.start(installed, tmp_path_factory.mktemp("op-prod-backoff"),
                                env=PRODUCTION_BACKOFF)
    yield op
    op.stop()


def test_a_created_secret_is_used_within_seconds_despite_the_backoff(
        slow_operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(dbm("late", "postgres", "not-yet", seed="none"))
    # Attempt 2 failed: the next retry is 10 s away (then 20, 40 ... 300).
    kube.wait_for("late", retrying("SecretNotFound", 2), timeout=30, what="attempt 2")
    kube.apply(secret("not-yet", pg18.create_database("late")))
    elapsed = time_to(kube, "late", ready, RECOVERY_S, "Ready after the Secret was created")
    print(f"created Secret -> Ready in {elapsed:.2f} s")


def test_fixed_credentials_in_a_secret_recover_within_seconds(
        slow_operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    url = pg18.create_database("cred")
    # A role that does not exist: the server refuses the login, as for a wrong password.
    kube.apply(secret("pg", url.replace("postgres:@", "no_such_role:@").replace("postgres@", "no_such_role@")))
    kube.apply(dbm("cred", "postgres", "pg", seed="none"))
    kube.wait_for("cred", retrying("DatabaseUnavailable", 2), timeout=30, what="attempt 2")
    kube.apply(secret("pg", url))
    elapsed = time_to(kube, "cred", ready, RECOVERY_S, "Ready after the Secret was fixed")
    print(f"fixed Secret -> Ready in {elapsed:.2f} s")


def test_a_created_configmap_is_used_within_seconds_despite_the_backoff(
        slow_operator: OperatorProcess, kube: Kubectl, pg18: PgServer) -> None:
    kube.apply(secret("pg", pg18.create_database("cmfix")))
    kube.apply(dbm("cmfix", "orders", "pg", seed="none",
                   source={"configMaps": {"migrations": {"names": ["sql"]}}}))
    kube.wait_for("cmfix", retrying("ConfigMapNotFound", 2), timeout=30, what="attempt 2")
    kube.apply(configmap("sql", {"V1__a.sql": "CREATE TABLE a (id int);"}))
    elapsed = time_to(kube, "cmfix", ready, RECOVERY_S, "Ready after the ConfigMap was created")
    print(f"created ConfigMap -> Ready in {elapsed:.2f} s")
    assert kube.get("cmfix")["status"]["applied"] == 1
