"""``db-migrate lint``: the seed's idempotency rules, checked on pglast's parse tree.

Every check reads a flag PostgreSQL's own parser sets (``if_not_exists``, ``missing_ok``,
``replace``, ``onConflictClause``); nothing is guessed from the text with regexes, so quoted
names, comments and ``$$`` bodies cannot fool it.

"Guarded" has a precise meaning here: a statement inside a ``DO`` block (or a function body)
is a string to the parser, so whatever it contains is the author's conditional logic and is
not linted.  What the file itself drops, creates or renames before a statement decides whether
that statement is safe on a second run (lintops.py turns statements into ops, lintsim.py plays
them twice), so a finding is only reported when the file alone proves it.

Rule ids are stable (they appear in suppressions and in ``--json`` output); see docs/lint.md.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pglast
from pglast import parser

from db_migrate.engine import lintops, placeholders
from db_migrate.engine import lintsim as sim
from db_migrate.engine.checksum import normalize
from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.sqltext import UnsafeScript, analyze, line_of

#: Rule id -> one-line summary (docs/lint.md explains each with examples).
RULES: dict[str, str] = {
    "syntax-error": "the file does not parse",
    # Kept so that suppressions naming it stay valid; no longer reported, since the engine
    # records a file without statements as applied, as Flyway does.
    "empty-file": "the file has no statements (retired)",
    "placeholder-without-value": "a Flyway placeholder ${name} has no value (--placeholder NAME=VALUE)",
    "unreadable-file": "the file is not valid UTF-8",
    "transaction-control": "BEGIN/COMMIT/ROLLBACK the engine cannot run as written (a block never "
                           "committed, a ROLLBACK outside a block, two-phase commit)",
    "create-if-not-exists": "CREATE TABLE/INDEX/SCHEMA/EXTENSION/SEQUENCE/... without IF NOT EXISTS",
    "add-column-if-not-exists": "ALTER TABLE ... ADD COLUMN without IF NOT EXISTS",
    "add-enum-value-if-not-exists": "ALTER TYPE ... ADD VALUE without IF NOT EXISTS",
    "create-or-replace": "CREATE VIEW/FUNCTION/PROCEDURE/RULE/AGGREGATE without OR REPLACE",
    "drop-if-exists": "DROP (or ALTER TABLE ... DROP COLUMN/CONSTRAINT) without IF EXISTS",
    "unguarded-add-constraint": "ALTER TABLE ... ADD CONSTRAINT outside a DO block or DROP guard",
    "unguarded-trigger": "CREATE TRIGGER without OR REPLACE, a DO block or a DROP guard",
    "unguarded-policy": "CREATE POLICY outside a DO block or DROP guard",
    "unguarded-create-type": "CREATE TYPE/DOMAIN outside a DO block or DROP guard",
    "unguarded-create": "CREATE ROLE/PUBLICATION/CAST/... (no IF NOT EXISTS) outside a DO block",
    "unguarded-rename": "a RENAME that fails when run a second time",
    "column-dropped-then-used": "a statement uses a column the file drops or renames further down",
    "drop-recreate-loses-data": "a second run drops and recreates a table (or column) and loses its data",
    "migration-insert-on-conflict": "a migration INSERT of constant rows without ON CONFLICT",
    "seed-insert-on-conflict": "a seed INSERT of constant rows without ON CONFLICT",
    "unknown-lint-rule": "a lint-ignore comment names no rule or an unknown rule",
}

#: ``-- db-migrate: lint-ignore rule-a, rule-b -- why`` on the line(s) right above a statement.
IGNORE_DIRECTIVE = re.compile(r"^\s*--\s*db-migrate:\s*lint-ignore\b(?P<rest>.*)$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str
    #: What a second run does, per docs/lint.md: fails, duplicates, fails-or-duplicates,
    #: destroys, refused; ``None`` for findings about the file itself (syntax, encoding, ...).
    consequence: str | None = field(default=None, compare=False)

    def format(self) -> str:
        # Quoted like a shell word when needed, so a name with spaces stays one token.
        return f"{shlex.quote(self.path)}:{self.line} {self.rule} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "rule": self.rule, "message": self.message,
                "consequence": self.consequence}


# --------------------------------------------------------------------------------------------
# Files


def _suppressed(lines: list[str], stmt_line: int, path: str,
                findings: list[Finding]) -> set[str]:
    """Rules disabled by ``lint-ignore`` comments directly above the statement's first line."""
    rules: set[str] = set()
    index = stmt_line - 2
    while index >= 0 and lines[index].lstrip().startswith("--"):
        match = IGNORE_DIRECTIVE.match(lines[index])
        if match is not None:
            # Anything after a second "--" is the reason and is not parsed.
            named = re.split(r"[\s,]+", match["rest"].split("--", 1)[0].strip())
            named = [n for n in named if n]
            if not named:
                findings.append(Finding(path, index + 1, "unknown-lint-rule",
                                        "lint-ignore names no rule (write the rule id after it)"))
            for name in named:
                if name.lower() in RULES:
                    rules.add(name.lower())
                else:
                    findings.append(Finding(path, index + 1, "unknown-lint-rule",
                                            f"lint-ignore names unknown rule {name!r}"))
        index -= 1
    return rules


def _engine_refusals(text: str, path: str, hits: list[Finding]) -> list[Finding]:
    """The engine's own words for transaction control it cannot run (sqltext.analyze decides:
    a wrapper is blanked, other blocks run as written); nothing if it runs the file."""
    script = Script(kind=Kind.MIGRATION, name=Path(path).name, origin=path, text=text,
                    checksum="", version=None, description="")
    try:
        analyze(script)
    except UnsafeScript as exc:
        found = []
        for problem in exc.problems:
            where, _, message = problem.removeprefix(f"{path} line ").partition(": ")
            if where.isdigit():
                found.append(Finding(path, int(where), "transaction-control", message, sim.REFUSED))
        return found or hits
    return []


def lint_text(text: str, *, path: str, seed: bool) -> list[Finding]:
    """Lint one file's text; ``seed`` turns on the rules that only apply to seed data."""
    try:
        slices = parser.split(text, with_parser=True, only_slices=True)
        nodes = pglast.parse_sql(text)
    except parser.ParseError as exc:
        position = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        return [Finding(path, line_of(text, position), "syntax-error", str(exc.args[0]))]
    if not nodes:
        return []  # only comments: recorded as applied, like an empty file
    lines = text.split("\n")
    findings: list[Finding] = []
    statements: list[list[sim.Op]] = []
    ignored: list[set[str]] = []
    starts: list[int] = []
    for raw, piece in zip(nodes, slices, strict=True):
        line = line_of(text, piece.start)
        starts.append(line)
        ignored.append(_suppressed(lines, line, path, findings))
        statements.append([] if raw.stmt is None else lintops.statement_ops(raw.stmt, seed=seed))
    statements = lintops.unprovable_inserts(
        statements, {name for raw in nodes for name in lintops.deleted_tables(raw.stmt)},
        {name for raw in nodes for name in lintops.deleted_tables(raw.stmt, changed=True)})
    for line, skip, hits in zip(starts, ignored, sim.second_run_hits(statements), strict=True):
        findings.extend(Finding(path, line, hit.rule, hit.message, hit.consequence)
                        for hit in hits if hit.rule not in skip)
    control = [f for f in findings if f.rule == "transaction-control"]
    if control:
        findings = [f for f in findings if f.rule != "transaction-control"]
        findings += _engine_refusals(text, path, control)
    return sorted(findings)


#: Flyway's built-ins have no connection to come from in lint: stand-ins that parse wherever
#: the real value would (an identifier, or text inside a string).
LINT_BUILTINS = placeholders.Builtins(user="postgres", database="postgres",
                                      default_schema="public", table="_schema_migrations")


def lint_file(path: Path, *, seed: bool, display: str | None = None,
              values: placeholders.Expander | None = None) -> list[Finding]:
    """``values``: replace Flyway placeholders first, as the engine does (None: leave them)."""
    shown = display or str(path)
    content = normalize(path.read_bytes())
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [Finding(shown, content.count(b"\n", 0, exc.start) + 1, "unreadable-file",
                        f"not valid UTF-8 (byte {exc.start})")]
    if values is not None and placeholders.uses(text):
        text, missing = placeholders.replace(text, values.values(path.name), shown)
        if missing:
            # The rest of the file cannot be read as SQL without the value.
            return [Finding(shown, p.line, "placeholder-without-value", p.message)
                    for p in missing]
    if not text.strip():
        # The engine records an empty file as applied, as Flyway does: nothing to report.
        return []
    return lint_text(text, path=shown, seed=seed)


def _sql_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(".sql"):
                yield Path(folder) / name


def _is_seed(file: Path, seed_roots: Iterable[Path]) -> bool:
    resolved = file.resolve()
    if any(resolved.is_relative_to(root.resolve()) for root in seed_roots):
        return True
    # seeds/<db>/<set>/x.sql (the engine's layout), or a seeds folder one or two levels up.
    return any(parent.name == "seeds" for parent in resolved.parents[:3])


def lint_paths(paths: list[Path], *, seed_roots: Sequence[Path] = (),
               values: placeholders.Expander | None = None) -> list[Finding]:
    """Lint files and folders (a migrations root, a database folder, a seeds tree, files).

    Files under a folder named ``seeds`` (up to three levels up) or under one of
    ``seed_roots`` are seeds; every other ``.sql`` file is a migration.  A path that does not
    exist is invalid input (exit 2), not a finding.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InvalidInput(f"no such file or directory: {', '.join(missing)}")
    findings: list[Finding] = []
    seen: set[Path] = set()
    for root in paths:
        for file in _sql_files(root):
            if file.resolve() in seen:
                continue
            seen.add(file.resolve())
            findings.extend(lint_file(file, seed=_is_seed(file, seed_roots), values=values))
    return findings


def to_json(findings: list[Finding]) -> dict[str, object]:
    """The stable ``--json`` document of ``db-migrate lint`` (docs/lint.md)."""
    return {"ok": not findings, "count": len(findings),
            "findings": [f.to_dict() for f in findings]}
