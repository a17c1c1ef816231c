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
    """Every reason the operator writes, in a condition or an event.

    tests/operator/test_reasons.py reads the code for reason strings (``reason = "..."`` of the
    error classes, ``reason="..."`` arguments, the reasons of posted events) and fails on one
    missing here: the error classes live in the engine, which cannot import this module."""

    # Written by the reconciler itself.
    PROGRESSING = "Progressing"
    SOURCE_CHANGED = "SourceChanged"
    SUCCEEDED = "Succeeded"
    DRY_RUN = "DryRun"
    SUSPENDED = "Suspended"
    NOT_STALLED = "NotStalled"
    REACHABLE = "Reachable"
    INSECURE_AUTH_FIELD_IGNORED = "InsecureAuthFieldIgnored"
    SOURCE_READ = "SourceRead"
    # Events only: the files applied by a run, and an engine warning (a changed applied file).
    APPLIED = "Applied"
    WARNING = "Warning"
    # Errors (the ``reason`` of the error classes), listed for readers and dashboards.
    FAILED = "Failed"
    DATABASE_UNAVAILABLE = "DatabaseUnavailable"
    LOCK_TIMEOUT = "LockTimeout"
    SECRET_NOT_FOUND = "SecretNotFound"
    CONFIGMAP_NOT_FOUND = "ConfigMapNotFound"
    KUBERNETES_UNAVAILABLE = "KubernetesUnavailable"
    INVALID_INPUT = "InvalidInput"
    INVALID_SPEC = "InvalidSpec"
    INVALID_SOURCE = "InvalidSource"
    INVALID_CONNECTION = "InvalidConnection"
    INVALID_CONNECTION_STRING = "InvalidConnectionString"
    INVALID_MIGRATION_SET = "InvalidMigrationSet"
    CHECKSUM_DRIFT = "ChecksumDrift"
    OUT_OF_ORDER = "OutOfOrder"
    MIGRATION_FAILED = "MigrationFailed"
    FOREIGN_HISTORY_TABLE = "ForeignHistoryTable"
    FLYWAY_HISTORY_FOUND = "FlywayHistoryFound"
    SECRET_NOT_ALLOWED = "SecretNotAllowed"
    SECRET_HOST_MISMATCH = "SecretHostMismatch"
    HOST_NOT_ALLOWED = "HostNotAllowed"
    INSECURE_AUTH_UNAVAILABLE = "InsecureAuthUnavailable"
    AUTHENTICATION_FAILED = "AuthenticationFailed"


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
