"""Status and kstatus conditions computed from engine reports (pure, unit-testable).

Conditions follow the Kubernetes API conventions and kstatus: ``Ready`` summarises,
``Reconciling=True`` means "working or retrying, will heal by itself" (ArgoCD: Progressing),
``Stalled=True`` means "needs a change to the spec or the SQL" (ArgoCD: Degraded).
``DatabaseReachable`` reports whether the last contact with the database (and the Secrets
needed to reach it) worked; ``SourceAvailable`` whether the SQL source (the ConfigMaps, the
image's directories) could be read.  kstatus and ArgoCD ignore both, so an outage seen by a
drift check leaves a Ready resource Ready (docs/operator.md, "Outages").
The list is always written whole: merge patches replace lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from db_migrate.engine.errors import DbMigrateError
from db_migrate.engine.planner import State
from db_migrate.engine.report import DatabaseReport, Outcome
from db_migrate.reconciler.conditions import Reason

#: The CRD's bound on status.migrations (maxItems).
MAX_MIGRATIONS = 200
#: The default number of entries kept (DB_MIGRATE_STATUS_MIGRATIONS): every copy of a status
#: with 200 entries is about 146 KiB of Python objects (146 MiB at 1,000 resources while a kopf
#: timer kept one body per resource; every burst still parses them); 20 entries about 14 KiB.
DEFAULT_MIGRATIONS = 20
MAX_MESSAGE = 1000

READY, RECONCILING, STALLED = "Ready", "Reconciling", "Stalled"
REACHABLE = "DatabaseReachable"
#: Apart from REACHABLE: a deleted ConfigMap is no news about the database.
SOURCE = "SourceAvailable"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def conditions(
    previous: Sequence[Mapping[str, Any]] | None,
    generation: int,
    *,
    ready: tuple[bool, str, str],
    reconciling: tuple[bool, str, str],
    stalled: tuple[bool, str, str],
) -> list[dict[str, Any]]:
    """The three kstatus conditions; lastTransitionTime moves only when a status flips.

    Other condition types in ``previous`` (DatabaseReachable) are carried over unchanged."""
    out = [_condition(previous, generation, ctype, *value) for ctype, value in
           ((READY, ready), (RECONCILING, reconciling), (STALLED, stalled))]
    out += [dict(c) for c in previous or [] if c.get("type") not in (READY, RECONCILING, STALLED)]
    return out


def _condition(previous: Sequence[Mapping[str, Any]] | None, generation: int, ctype: str,
               value: bool, reason: str, message: str) -> dict[str, Any]:
    old = next((c for c in previous or [] if c.get("type") == ctype), {})
    status = "True" if value else "False"
    return {
        "type": ctype,
        "status": status,
        "reason": reason,
        "message": _short(message),
        "lastTransitionTime": now_iso() if old.get("status") != status
        else old.get("lastTransitionTime") or now_iso(),
        "observedGeneration": generation,
    }


def with_condition(conds: Sequence[Mapping[str, Any]], generation: int, ctype: str, value: bool,
                   reason: str, message: str) -> list[dict[str, Any]]:
    """``conds`` with one condition set (added or replaced in place)."""
    new = _condition(conds, generation, ctype, value, reason, message)
    out = [new if c.get("type") == ctype else dict(c) for c in conds]
    return out if any(c.get("type") == ctype for c in conds) else [*out, new]


def condition(conds: Sequence[Mapping[str, Any]] | None, ctype: str) -> Mapping[str, Any]:
    return next((c for c in conds or [] if c.get("type") == ctype), {})


def reachable(conds: Sequence[Mapping[str, Any]], generation: int) -> list[dict[str, Any]]:
    return with_condition(conds, generation, REACHABLE, True, Reason.REACHABLE,
                          "the last run or check reached the database")


def source_available(conds: Sequence[Mapping[str, Any]], generation: int) -> list[dict[str, Any]]:
    return with_condition(conds, generation, SOURCE, True, Reason.SOURCE_READ,
                          "the last run or check read the migration source")


def outage(previous: Sequence[Mapping[str, Any]], generation: int, reason: str, message: str,
           retry_in_s: float, attempt: int, ctype: str = REACHABLE) -> dict[str, Any]:
    """A check of a Ready resource could not reach the database, its Secret or its source.

    Nothing was pending at the last verified run, so Ready keeps that state (its message and
    counts are untouched); the outage gets its own condition (``ctype``: REACHABLE, or SOURCE
    when the source could not be read) and the top-level message."""
    text = (f"cannot verify the schema: {message}; Ready keeps the last verified state; "
            f"re-checking in {retry_in_s:.0f} s (attempt {attempt})")
    return {
        "message": _short(text),
        "conditions": with_condition(previous, generation, ctype, False, reason, text),
    }


def progressing(previous: Sequence[Mapping[str, Any]] | None, generation: int, reason: str,
                message: str) -> dict[str, Any]:
    """Written before slow work starts, so GitOps tools never pass on stale Ready=True."""
    return _not_ready(previous, generation, message, reason,
                      reconciling=(True, reason, message),
                      stalled=(False, Reason.NOT_STALLED, ""))


def transient(previous: Sequence[Mapping[str, Any]] | None, generation: int,
              error: DbMigrateError | str, reason: str, retry_in_s: float, attempt: int,
              ctype: str = REACHABLE) -> dict[str, Any]:
    """Reconciling=True with the retry, and ``ctype`` (REACHABLE or SOURCE) False."""
    message = f"{error}; retrying in {retry_in_s:.0f} s (attempt {attempt})"
    status = progressing(previous, generation, reason, message)
    status["conditions"] = with_condition(status["conditions"], generation, ctype, False,
                                          reason, message)
    return status


def stalled(previous: Sequence[Mapping[str, Any]] | None, generation: int, reason: str,
            message: str) -> dict[str, Any]:
    return _not_ready(previous, generation, message, reason,
                      reconciling=(False, reason, ""), stalled=(True, reason, message))


def _not_ready(previous: Sequence[Mapping[str, Any]] | None, generation: int, message: str,
               reason: str, *, reconciling: tuple[bool, str, str],
               stalled: tuple[bool, str, str]) -> dict[str, Any]:
    return {
        "observedGeneration": generation,
        "message": _short(message),
        "conditions": conditions(previous, generation, ready=(False, reason, message),
                                 reconciling=reconciling, stalled=stalled),
    }


def suspended(previous: Sequence[Mapping[str, Any]] | None, generation: int) -> dict[str, Any]:
    message = "suspended by spec.suspend; nothing is run until it is false"
    return {
        "observedGeneration": generation,
        "suspended": True,
        "message": message,
        "conditions": conditions(previous, generation,
                                 ready=(False, Reason.SUSPENDED, message),
                                 reconciling=(False, Reason.SUSPENDED, ""),
                                 stalled=(False, Reason.SUSPENDED, "")),
    }


def _migrations(report: DatabaseReport, limit: int) -> list[dict[str, Any]]:
    rows = []
    for res in report.items:
        item, hist = res.item, res.item.history
        if res.outcome is Outcome.APPLIED:
            state, applied_at = State.APPLIED.value, now_iso()
        elif res.outcome is Outcome.FAILED:
            state, applied_at = State.FAILED.value, None
        else:
            state = item.state.value
            applied_at = hist.applied_at.strftime("%Y-%m-%dT%H:%M:%SZ") if hist and hist.success else None
        row: dict[str, Any] = {
            "version": str(item.version) if item.version is not None else item.key,
            "description": item.description,
            "kind": item.kind.value,
            "script": item.label,
            "checksum": item.checksum,
            "state": state,
        }
        if applied_at:
            row["appliedAt"] = applied_at
        rows.append(row)
    # Bounded: keep the newest entries (the tail of the ordered list).
    return rows[-max(1, min(limit, MAX_MIGRATIONS)):]


def run_fields(report: DatabaseReport, limit: int = DEFAULT_MIGRATIONS) -> dict[str, Any]:
    """Counts, version, last run, per-file list, warnings and digest of one engine run."""
    finished = report.finished_at or report.started_at
    return {
        "applied": report.applied,
        "skipped": report.skipped,
        "failed": report.failed,
        "pending": report.pending,
        "currentVersion": str(report.current_version) if report.current_version is not None else "",
        "lastRun": {
            "startedAt": report.started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finishedAt": finished.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "durationSeconds": round(report.duration_s, 3),
            "seed": report.seed_mode.value,
            "dryRun": report.action.value == "dry-run",
        },
        "migrations": _migrations(report, limit),
        "checksumWarnings": [_short(w) for w in report.warnings if "checksum" in w][:50],
        "sourceDigest": report.source_digest or "",
        "suspended": False,
    }


def succeeded(previous: Sequence[Mapping[str, Any]] | None, generation: int,
              report: DatabaseReport, limit: int = DEFAULT_MIGRATIONS) -> dict[str, Any]:
    version = f"V{report.current_version}" if report.current_version is not None else "no version"
    if report.action.value == "dry-run":
        message = f"dry run: {report.pending} would be applied, {report.skipped} up to date"
        reason = Reason.DRY_RUN
    else:
        message = f"{version} applied; {report.summary()}"
        reason = Reason.SUCCEEDED
    if report.warnings:
        # Say what it is: a count alone sent people to the operator's log (issue 19).
        first = report.warnings[0]
        message += (f" (warning: {first})" if len(report.warnings) == 1
                    else f" ({len(report.warnings)} warnings; the first: {first})")
    status = run_fields(report, limit)
    status.update({
        "observedGeneration": generation,
        "message": _short(message),
        "conditions": reachable(conditions(previous, generation,
                                           ready=(True, reason, message),
                                           reconciling=(False, reason, ""),
                                           stalled=(False, reason, "")), generation),
    })
    return status

