"""Transient trouble is reported by one Warning event per reason, not one per retry
(issue 9, recovery 12)."""

from __future__ import annotations

import time

from testkit.operator_process import OperatorProcess
from tests.operator.conftest import Kubectl, dbm, secret
from tests.operator.recovery import retrying, warnings


def test_transient_trouble_posts_one_warning_per_reason_not_per_retry(
        operator: OperatorProcess, kube: Kubectl) -> None:
    kube.apply(dbm("warn", "postgres", "missing", seed="none"))
    kube.wait_for("warn", retrying("SecretNotFound", 4), timeout=40, what="attempt 4")
    time.sleep(1)  # events are posted asynchronously
    assert warnings(kube, "warn", "SecretNotFound") == 1
    # A new reason is news: a database nobody listens on.
    kube.apply(secret("missing", "postgresql://postgres@127.0.0.1:1/x?connect_timeout=1"))
    kube.wait_for("warn", retrying("DatabaseUnavailable", 3), timeout=40, what="attempt 3")
    time.sleep(1)
    assert warnings(kube, "warn", "DatabaseUnavailable") == 1
    assert warnings(kube, "warn", "SecretNotFound") == 1
