"""Condition reasons in one place, and which of them heal by themselves.

Error reasons come from the error classes (``DbMigrateError.reason``); whether a reason is
transient is read from those classes too (``transient = True``), so a new error type cannot
be forgotten in a hand-kept list.
"""

from __future__ import annotations

import functools
from enum import StrEnum

from db_migrate.engine.errors import DbMigrateError

# Imported for their error classes (SecretNotFound, ConfigMapNotFound, KubeUnavailable,
# InvalidSpec): the subclass walk below must see them.
from db_migrate.reconciler import kube, spec  # noqa: F401


class Reason(StrEnum):
    # Written by the reconciler itself.
    PROGRESSING = "Progressing"
    SOURCE_CHANGED = "SourceChanged"
    SUCCEEDED = "Succeeded"
    DRY_RUN = "DryRun"
    SUSPENDED = "Suspended"
    NOT_STALLED = "NotStalled"
    REACHABLE = "Reachable"
    # Errors (the ``reason`` of the error classes), listed for readers and dashboards.
    DATABASE_UNAVAILABLE = "DatabaseUnavailable"
    LOCK_TIMEOUT = "LockTimeout"
    SECRET_NOT_FOUND = "SecretNotFound"
    CONFIGMAP_NOT_FOUND = "ConfigMapNotFound"
    KUBERNETES_UNAVAILABLE = "KubernetesUnavailable"
    INVALID_INPUT = "InvalidInput"
    INVALID_SOURCE = "InvalidSource"
    INVALID_CONNECTION = "InvalidConnection"
    INVALID_MIGRATION_SET = "InvalidMigrationSet"
    CHECKSUM_DRIFT = "ChecksumDrift"
    OUT_OF_ORDER = "OutOfOrder"
    MIGRATION_FAILED = "MigrationFailed"


def _subclasses(cls: type[DbMigrateError]) -> list[type[DbMigrateError]]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


@functools.cache
def transient_reasons() -> frozenset[str]:
    """Reasons of every error class marked transient (they heal by themselves)."""
    classes: list[type[DbMigrateError]] = [DbMigrateError, *_subclasses(DbMigrateError)]
    return frozenset(c.reason for c in classes if c.transient)


def is_transient(reason: str) -> bool:
    return reason in transient_reasons()
