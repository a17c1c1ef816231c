"""Human output: a progress line per file, a summary per database, tables for status/plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from db_migrate.engine.errors import DbMigrateError, InvalidMigrationSet
from db_migrate.engine.planner import PlanItem, State
from db_migrate.engine.report import Action, DatabaseReport, Outcome, Progress
from db_migrate.engine.scripts import Kind

if TYPE_CHECKING:
    # Only verify-idempotency loads that module (and the catalog queries behind it).
    from db_migrate.engine.idempotency import IdempotencyReport

#: Widest file name in progress lines and tables; longer ones lose their middle, where
#: names differ least (the version prefix and the ``.sql`` end stay).
NAME_WIDTH = 48


def middle(text: str, width: int = NAME_WIDTH) -> str:
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: (keep + 1) // 2] + "\u2026" + text[len(text) - keep // 2 :]


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    def line(cells: Sequence[str]) -> str:
        return indent + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _version(item: PlanItem) -> str:
    if item.version is not None:
        return f"V{item.version}"
    return "R" if item.kind is Kind.MIGRATION else "-"  # R: a repeatable migration


class ProgressPrinter:
    """Prints ``[3/12] V003__vector_tables.sql  applied  41 ms`` for each file that ran or
    failed.

    Already-applied files get a line only with ``verbose``; without it the database's summary
    line counts them, so a no-op run over 5,000 files prints its summary and nothing else.
    """

    def __init__(self, out: TextIO, *, verbose: bool = False) -> None:
        self.out = out
        self.verbose = verbose
        self._width = NAME_WIDTH

    def progress(self, event: Progress) -> None:
        if event.outcome is Outcome.SKIPPED and not self.verbose:
            return
        elapsed = f"{event.elapsed_ms:>6} ms" if event.elapsed_ms is not None else ""
        mode = f"  ({event.mode})" if event.mode == "no-transaction" else ""
        label = middle(event.item.label).ljust(self._width)
        counter = f"[{event.index}/{event.total}]".ljust(2 * len(str(event.total)) + 3)
        self.out.write(f"  {counter} {label} {event.outcome.value:<11}{elapsed}{mode}\n")
        if self.verbose:
            # Under the file that raised them; without --verbose the summary line counts them.
            for notice in event.notices:
                self.out.write(f"      {notice}\n")
        self.out.flush()

    def warning(self, database: str, message: str) -> None:
        self.out.write(f"  warning: {message}\n")

    def note(self, database: str, message: str) -> None:
        self.out.write(f"  note: {message}\n")


def error_lines(error: DbMigrateError) -> str:
    """One line per problem: a refusal of 199 files stays readable and greppable."""
    if isinstance(error, InvalidMigrationSet) and len(error.problems) > 1:
        head = (f"  error: {error.database}: invalid migration set, nothing was run "
                f"({len(error.problems)} problems):")
        return "\n".join([head, *(f"    {p}" for p in error.problems)])
    return f"  error: {error}"


def summary_line(report: DatabaseReport) -> str:
    version = f"V{report.current_version}" if report.current_version is not None else "none"
    head = f"  {report.database}: {report.summary()}"
    if report.action is Action.DRY_RUN and report.error is not None:
        head = f"  {report.database}: refused, nothing would be applied"
    elif report.action is Action.DRY_RUN:
        head = f"  {report.database}: would apply {report.pending}, skip {report.skipped}"
    elif report.action in (Action.BASELINE, Action.ADOPT):
        how = "baseline" if report.action is Action.BASELINE else "imported"
        head = f"  {report.database}: {report.baselined} recorded as applied ({how})"
    elif report.action is Action.STATUS:
        head = f"  {report.database}: {report.skipped} applied, {report.pending} pending"
    notices = report.notice_count
    if notices:
        head += f" · {notices} notice{'s' if notices > 1 else ''} (--verbose shows them)"
    return f"{head} · version {version} · {report.duration_s:.2f} s"


def status_table(report: DatabaseReport) -> str:
    rows = []
    gaps = sorted(report.gaps)
    for res in report.items:
        item = res.item
        hist = item.history
        # A missing version goes where its file would be, right before the next version.
        while gaps and item.version is not None and gaps[0] < item.version:
            rows.append([f"V{gaps.pop(0)}", "(no file)", "gap", "", "", ""])
        when = f"{hist.applied_at:%Y-%m-%d %H:%M:%S}" if hist else ""
        took = f"{hist.execution_ms} ms" if hist and hist.success else ""
        if hist is not None and hist.success and hist.origin is not None:
            took = hist.origin  # recorded without running: baseline or adopted
        rows.append([
            _version(item) if item.kind is Kind.MIGRATION else item.kind.value,
            middle(item.label),
            f"{item.state.value} (held back)" if item.held_back else item.state.value,
            when,
            took,
            item.checksum[:12],
        ])
    return table(["VERSION", "SCRIPT", "STATE", "APPLIED AT (UTC)", "TIME", "CHECKSUM"], rows)


def failures(report: DatabaseReport) -> str:
    """Under the status table: each failed file's last attempt, when, and its error."""
    lines = []
    for res in report.items:
        hist = res.item.history
        if res.item.state is State.FAILED and hist is not None:
            lines.append(f"  {res.item.label} failed at {hist.applied_at:%Y-%m-%d %H:%M:%S %Z}: "
                         f"{hist.error}")
    return "\n".join(lines)


def plan_table(report: DatabaseReport) -> str:
    rows = []
    position = 0
    for res in report.items:
        if res.outcome is not Outcome.WOULD_APPLY:
            continue
        position += 1
        item = res.item
        rows.append([str(position), _version(item) if item.kind is Kind.MIGRATION else "seed",
                     middle(item.label), item.state.value, res.mode or "", item.checksum[:12]])
    return table(["#", "VERSION", "SCRIPT", "STATE", "MODE", "CHECKSUM"], rows)


def idempotency_report(report: IdempotencyReport) -> str:
    """verify-idempotency's human output: one line per file, the reason under each bad file,
    a summary line."""
    lines = [f"{report.database}: verify-idempotency on {report.target} "
             f"(throwaway database {report.scratch_database or '-'}, seed mode {report.seed_mode})"]
    if report.first_run is not None:
        lines.append(f"  first run: {report.first_run}")
    width = max((len(f.label) for f in report.files), default=0)
    total = len(report.files)
    for index, check in enumerate(report.files, 1):
        tag = f"[{index}/{total}]"
        verdict = "ok" if check.ok else check.verdict.upper()
        lines.append(f"  {tag:>{2 * len(str(total)) + 3}} {check.label:<{width}}  "
                     f"{verdict:<7} {check.elapsed_ms} ms")
        if check.error is not None:
            lines.append(f"      second run failed: {check.error}")
        lines.extend(f"      second run changed: {change}" for change in check.changes)
    lines.extend(f"  warning: {w}" for w in report.warnings)
    lines.append(report.summary())
    return "\n".join(lines)
