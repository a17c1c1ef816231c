"""Status and kstatus conditions computed from engine reports (pure, unit-testable).

Conditions follow the Kubernetes API conventions and kstatus: ``Ready`` summarises,
``Reconciling=True`` means "working or retrying, will heal by itself" (ArgoCD: Progressing),
``Stalled=True`` means "needs a change to the spec or the SQL" (ArgoCD: Degraded).
The list is always written whole: merge patches replace lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from db_migrate.engine.errors import DbMigrateError
from db_migrate.engine.planner import State
from db_migrate.engine.report import DatabaseReport, Outcome

MAX_MIGRATIONS = 200
MAX_MESSAGE = 1000

READY, RECONCILING, STALLED = "Ready", "Reconciling", "Stalled"


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
    """Three conditions; lastTransitionTime moves only when a status flips."""
    before = {c.get("type"): c for c in previous or []}
    out = []
    stamp = now_iso()
    for ctype, (value, reason, message) in ((READY, ready), (RECONCILING, reconciling),
                                            (STALLED, stalled)):
        status = "True" if value else "False"
        old = before.get(ctype) or {}
        changed = old.get("status") != status
        out.append({
            "type": ctype,
            "status": status,
            "reason": reason,
            "message": _short(message),
            "lastTransitionTime": stamp if changed else old.get("lastTransitionTime") or stamp,
            "observedGeneration": generation,
        })
    return out


def progressing(previous: Sequence[Mapping[str, Any]] | None, generation: int, reason: str,
                message: str) -> dict[str, Any]:
    """Written before slow work starts, so GitOps tools never pass on stale Ready=True."""
    return {
        "observedGeneration": generation,
        "message": _short(message),
        "conditions": conditions(previous, generation,
                                 ready=(False, reason, message),
                                 reconciling=(True, reason, message),
                                 stalled=(False, "NotStalled", "")),
    }


def transient(previous: Sequence[Mapping[str, Any]] | None, generation: int,
              error: DbMigrateError | str, reason: str, retry_in_s: float, attempt: int) -> dict[str, Any]:
    message = f"{error}; retrying in {retry_in_s:.0f} s (attempt {attempt})"
    return progressing(previous, generation, reason, message)


def stalled(previous: Sequence[Mapping[str, Any]] | None, generation: int, reason: str,
            message: str) -> dict[str, Any]:
    return {
        "observedGeneration": generation,
        "message": _short(message),
        "conditions": conditions(previous, generation,
                                 ready=(False, reason, message),
                                 reconciling=(False, reason, ""),
                                 stalled=(True, reason, message)),
    }


def suspended(previous: Sequence[Mapping[str, Any]] | None, generation: int) -> dict[str, Any]:
    message = "suspended by spec.suspend; nothing is run until it is false"
    return {
        "observedGeneration": generation,
        "suspended": True,
        "message": message,
        "conditions": conditions(previous, generation,
                                 ready=(False, "Suspended", message),
                                 reconciling=(False, "Suspended", ""),
                                 stalled=(False, "Suspended", "")),
    }


def _migrations(report: DatabaseReport) -> list[dict[str, Any]]:
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
    return rows[-MAX_MIGRATIONS:]


def run_fields(report: DatabaseReport) -> dict[str, Any]:
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
        "migrations": _migrations(report),
        "checksumWarnings": [_short(w) for w in report.warnings if "checksum" in w][:50],
        "sourceDigest": report.source_digest or "",
        "suspended": False,
    }


def succeeded(previous: Sequence[Mapping[str, Any]] | None, generation: int,
              report: DatabaseReport) -> dict[str, Any]:
    version = f"V{report.current_version}" if report.current_version is not None else "no version"
    if report.action.value == "dry-run":
        message = f"dry run: {report.pending} would be applied, {report.skipped} up to date"
        reason = "DryRun"
    else:
        message = f"{version} applied; {report.summary()}"
        reason = "Succeeded"
    if report.warnings:
        message += f" ({len(report.warnings)} warning{'s' if len(report.warnings) > 1 else ''})"
    status = run_fields(report)
    status.update({
        "observedGeneration": generation,
        "message": _short(message),
        "conditions": conditions(previous, generation,
                                 ready=(True, reason, message),
                                 reconciling=(False, reason, ""),
                                 stalled=(False, reason, "")),
    })
    return status

