"""``--json``: one document with a stable, documented schema (docs/cli-json.md).

Fields are only ever added; ``schema_version`` changes if one is removed or renamed.
"""

from __future__ import annotations

import json
from typing import Any

from db_migrate.engine.report import DatabaseReport, ItemResult

SCHEMA_VERSION = 1


def _item(res: ItemResult) -> dict[str, Any]:
    item = res.item
    hist = item.history
    return {
        "kind": item.kind.value,
        # A number for V5__x.sql (as always), a string for V1.2.3__x.sql ("1.2.3").
        "version": item.version.json() if item.version is not None else None,
        "script": item.label,
        "description": item.description,
        "state": item.state.value,
        # Beyond --target (seeds: while any migration is): it would run, but not in this run.
        "held_back": item.held_back,
        # Flyway-style R__name.sql: kind "migration", version null, re-applied when it changes.
        "repeatable": item.kind.value == "migration" and item.version is None,
        "outcome": res.outcome.value if res.outcome is not None else None,
        "checksum": item.checksum,
        "applied_checksum": hist.checksum if hist is not None else None,
        "mode": res.mode,
        "applied_at": hist.applied_at.isoformat() if hist is not None and hist.success else None,
        "execution_ms": res.elapsed_ms if res.elapsed_ms is not None else (
            hist.execution_ms if hist is not None else None),
        "error": res.error or (hist.error if hist is not None and not hist.success else None),
        # The server's NOTICE/WARNING messages while this file ran in this run.
        "notices": list(res.notices),
        # "baseline" / "adopted": recorded as applied without db-migrate running the file.
        "recorded_as": hist.origin if hist is not None and hist.success else None,
        # The last failed attempt (transactional files too): when it happened.
        "failed_at": hist.applied_at.isoformat() if hist is not None and not hist.success
        else None,
    }


def database(report: DatabaseReport) -> dict[str, Any]:
    err = report.error
    return {
        "database": report.database,
        "target": report.target,
        "exit_code": report.exit_code,
        "error": None if err is None else {"reason": err.reason, "message": str(err)},
        "applied": report.applied,
        "skipped": report.skipped,
        "failed": report.failed,
        "pending": report.pending,
        "current_version": report.current_version.json()
        if report.current_version is not None else None,
        "source_digest": report.source_digest,
        "started_at": report.started_at.isoformat(),
        "duration_s": round(report.duration_s, 3),
        "warnings": report.warnings,
        "notes": report.notes,
        "baselined": report.baselined,
        "group_transactions": report.group_transactions,
        "items": [_item(r) for r in report.items],
    }


def document(action: str, seed_mode: str, reports: list[DatabaseReport], exit_code: int,
             error: str | None = None) -> str:
    totals = {k: sum(getattr(r, k) for r in reports)
              for k in ("applied", "skipped", "failed", "pending")}
    return json.dumps({
        "schema_version": SCHEMA_VERSION,
        "action": action,
        "seed_mode": seed_mode,
        "exit_code": exit_code,
        "error": error,
        "summary": f"{totals['applied']} applied, {totals['skipped']} skipped, "
                   f"{totals['failed']} failed",
        "totals": totals,
        "databases": [database(r) for r in reports],
    }, indent=2)
