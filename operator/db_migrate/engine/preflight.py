"""Refusals before anything runs: a bad file, or a policy the plan breaks, stops nothing
half-way, and every offending file is named in one refusal."""

from __future__ import annotations

from db_migrate.engine.errors import ChecksumDrift, InvalidInput, InvalidMigrationSet, OutOfOrder
from db_migrate.engine.loader import Planned
from db_migrate.engine.options import ChecksumPolicy, OutOfOrderPolicy
from db_migrate.engine.report import Action
from db_migrate.engine.scripts import Kind
from db_migrate.engine.session import Session
from db_migrate.engine.sqltext import Analysis, UnsafeScript, analyze


def check_policies(s: Session, planned: Planned) -> None:
    """``--checksum-policy fail``, ``--out-of-order fail``, and a new database that only
    Flyway's baseline migration could build."""
    result = planned.plan
    if s.options.checksum_policy is ChecksumPolicy.FAIL and result.modified:
        names = ", ".join(i.label for i in result.modified)
        raise ChecksumDrift(
            f"{s.database}: applied migrations changed on disk ({names}) and the "
            "checksum policy is 'fail'; nothing was run")
    if s.options.out_of_order is OutOfOrderPolicy.FAIL and result.out_of_order:
        names = ", ".join(i.label for i in result.out_of_order)
        raise OutOfOrder(
            f"{s.database}: pending migrations are older than the current version "
            f"V{result.top} ({names}) and the out-of-order policy is 'fail'; nothing was run")
    dropped = planned.mset.missing_before_baseline()
    if dropped is not None and result.top is None:
        # Flyway would start a new database from the B file; the V files it replaced are
        # gone, so the first V file would fail on tables that do not exist.
        raise InvalidInput(
            f"{s.database}: a new database starts from Flyway's baseline migration "
            f"{dropped[0]}, which db-migrate does not run, and no V file goes up to "
            f"V{dropped[1]}; build it with Flyway once (flyway migrate -target={dropped[1]}),"
            " then run db-migrate adopt --from flyway; nothing was run")


def analyze_pending(s: Session, planned: Planned, *, strict: bool = False
                    ) -> dict[tuple[Kind, str], Analysis]:
    """Parse every file that will run BEFORE running any.  ``strict`` (dry runs) also
    refuses what pglast cannot parse."""
    analyses = {}
    problems: list[str] = []
    unwrapped: list[str] = []
    as_written: list[str] = []
    empty: list[str] = []
    for item in planned.plan.to_run:
        assert item.script is not None
        missing = planned.placeholder_problems.get((item.kind, item.key))
        if missing:
            # Parsing it would only add "syntax error at or near $".
            problems += [str(p) for p in missing]
            continue
        try:
            analysis = analyze(item.script)
        except UnsafeScript as exc:
            problems += exc.problems
            continue
        if strict and analysis.parse_error is not None:
            problems.append(f"{item.script.origin} {analysis.parse_error}")
        if analysis.unwrapped:
            unwrapped.append(item.label)
        if analysis.as_written:
            as_written.append(item.label)
        if analysis.statements == []:
            empty.append(item.label)
        analyses[(item.kind, item.key)] = analysis
        planned.result(item).mode = analysis.mode
    if problems:
        raise InvalidMigrationSet(s.database, problems)
    if unwrapped:
        s.note(f"{_files(unwrapped, 'wraps itself', 'wrap themselves')} in BEGIN ... "
               f"COMMIT ({_names(unwrapped)}); the wrapper is ignored: each file still "
               "runs as one transaction together with its history row")
    if as_written:
        s.note(f"{_files(as_written, 'runs', 'run')} as written, statement by statement "
               f"({_names(as_written)}): each file's own BEGIN ... COMMIT blocks are its "
               "transactions; progress is recorded per statement and the history row is "
               "written at the end")
    if empty:
        verb = "would be" if s.report.action is Action.DRY_RUN else "is"
        s.note(f"{_files(empty, 'has', 'have')} no statements ({_names(empty)}); each "
               f"{verb} recorded as applied, as Flyway records it")
    return analyses


def _files(labels: list[str], one: str, many: str) -> str:
    """"1 file runs" / "3 files run": the subject of a note about files."""
    return f"1 file {one}" if len(labels) == 1 else f"{len(labels)} files {many}"


def _names(labels: list[str]) -> str:
    """The first three names of a note, then how many more."""
    more = f" and {len(labels) - 3} more" if len(labels) > 3 else ""
    return ", ".join(labels[:3]) + more
