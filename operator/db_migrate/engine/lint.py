"""``db-migrate lint``: the seed's idempotency rules, checked on pglast's parse tree.

Every check reads a flag PostgreSQL's own parser sets (``if_not_exists``, ``missing_ok``,
``replace``, ``onConflictClause``); nothing is guessed from the text with regexes, so quoted
names, comments and ``$$`` bodies cannot fool it.

"Guarded" has a precise meaning here: a statement inside a ``DO`` block (or a function body)
is a string to the parser, so whatever it contains is the author's conditional logic and is
not linted.  A top-level ``DROP ... [IF EXISTS]`` of the same trigger, policy, constraint or
type earlier in the same file also counts as a guard for a later ``CREATE`` of it.

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
from pglast import ast, parser
from pglast.enums import AlterTableType, ObjectType

from db_migrate.engine.checksum import normalize
from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.sqltext import line_of

#: Rule id -> one-line summary (docs/lint.md explains each with examples).
RULES: dict[str, str] = {
    "syntax-error": "the file does not parse",
    "empty-file": "the file has no statements",
    "unreadable-file": "the file is not valid UTF-8",
    "transaction-control": "BEGIN/COMMIT/ROLLBACK in a file (each file already has its own transaction)",
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
    "seed-insert-on-conflict": "a seed INSERT without ON CONFLICT",
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

    def format(self) -> str:
        # Quoted like a shell word when needed, so a name with spaces stays one token.
        return f"{shlex.quote(self.path)}:{self.line} {self.rule} {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "rule": self.rule, "message": self.message}


# --------------------------------------------------------------------------------------------
# Names for messages and guard matching


def _strings(items: object) -> list[str]:
    if isinstance(items, ast.String):
        return [items.sval] if items.sval is not None else []
    if isinstance(items, list | tuple):
        return [s for item in items for s in _strings(item)]
    if isinstance(items, ast.TypeName):
        return _strings(items.names)
    if isinstance(items, ast.ObjectWithArgs):
        return _strings(items.objname)
    return []


def _dotted(items: object) -> str:
    return ".".join(_strings(items)) or "?"


def _rel(rv: ast.RangeVar | None) -> str:
    if rv is None:
        return "?"
    return f"{rv.schemaname}.{rv.relname}" if rv.schemaname else str(rv.relname)


_Table = tuple[str | None, str]


def _table(rv: ast.RangeVar | None) -> _Table | None:
    return (rv.schemaname, str(rv.relname)) if rv is not None and rv.relname else None


def _same_table(a: _Table, b: _Table) -> bool:
    # An unqualified name matches a qualified one: both usually mean the search_path schema,
    # and a missed guard would only be a false alarm, never a missed breach.
    return a[1] == b[1] and (a[0] is None or b[0] is None or a[0] == b[0])


def _same_name(a: Sequence[str], b: Sequence[str]) -> bool:
    return bool(a) and bool(b) and a[-1] == b[-1] and (len(a) == 1 or len(b) == 1 or a[-2] == b[-2])


def _kind(obj_type: object) -> str:
    if isinstance(obj_type, ObjectType):
        return obj_type.name.removeprefix("OBJECT_").replace("_", " ")
    return "object"


@dataclass
class _Guards:
    """What earlier statements of the file dropped, so that re-creating it is safe."""

    triggers: list[tuple[_Table, str]] = field(default_factory=list)
    policies: list[tuple[_Table, str]] = field(default_factory=list)
    constraints: list[tuple[_Table, str]] = field(default_factory=list)
    types: list[list[str]] = field(default_factory=list)

    @staticmethod
    def _has(entries: list[tuple[_Table, str]], table: _Table | None, name: str | None) -> bool:
        if table is None or not name:
            return False
        return any(n == name and _same_table(t, table) for t, n in entries)

    def record_drop(self, node: ast.DropStmt) -> None:
        for obj in node.objects or ():
            names = _strings(obj)
            if node.removeType in (ObjectType.OBJECT_TYPE, ObjectType.OBJECT_DOMAIN):
                self.types.append(names)
            elif len(names) >= 2:
                table: _Table = (names[-3] if len(names) >= 3 else None, names[-2])
                if node.removeType == ObjectType.OBJECT_TRIGGER:
                    self.triggers.append((table, names[-1]))
                elif node.removeType == ObjectType.OBJECT_POLICY:
                    self.policies.append((table, names[-1]))


# --------------------------------------------------------------------------------------------
# The checks


@dataclass(frozen=True)
class _Hit:
    rule: str
    message: str


_NO_IF_NOT_EXISTS = "without IF NOT EXISTS: a second run fails with 'already exists'"
_GUARD_HINT = "wrap it in a DO block that checks the catalog, or DROP ... IF EXISTS it first"


def _creates(node: ast.Node) -> Iterator[_Hit]:
    """``create-if-not-exists``: objects whose CREATE has an IF NOT EXISTS option."""
    rule = "create-if-not-exists"
    if isinstance(node, ast.CreateForeignTableStmt):
        if node.base is not None and not node.base.if_not_exists:
            yield _Hit(rule, f"CREATE FOREIGN TABLE {_rel(node.base.relation)} {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.CreateStmt):
        temporary = node.relation is not None and node.relation.relpersistence == "t"
        if not node.if_not_exists and not temporary:
            yield _Hit(rule, f"CREATE TABLE {_rel(node.relation)} {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.IndexStmt):
        if not node.idxname:
            yield _Hit(rule, f"CREATE INDEX on {_rel(node.relation)} has no name, so every run adds "
                             "another index; name it and add IF NOT EXISTS")
        elif not node.if_not_exists:
            yield _Hit(rule, f"CREATE INDEX {node.idxname} {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.CreateSchemaStmt):
        if not node.if_not_exists:
            yield _Hit(rule, f"CREATE SCHEMA {node.schemaname} {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.CreateExtensionStmt):
        if not node.if_not_exists:
            yield _Hit(rule, f"CREATE EXTENSION {node.extname} {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.CreateSeqStmt):
        temporary = node.sequence is not None and node.sequence.relpersistence == "t"
        if not node.if_not_exists and not temporary:
            yield _Hit(rule, f"CREATE SEQUENCE {_rel(node.sequence)} {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.CreateTableAsStmt):
        into = node.into.rel if node.into is not None else None
        what = "MATERIALIZED VIEW" if node.objtype == ObjectType.OBJECT_MATVIEW else "TABLE"
        temporary = into is not None and into.relpersistence == "t"
        if node.is_select_into and not temporary:
            yield _Hit(rule, f"SELECT ... INTO {_rel(into)} creates a table and has no IF NOT "
                             "EXISTS; use CREATE TABLE IF NOT EXISTS ... AS")
        elif not node.if_not_exists and not temporary:
            yield _Hit(rule, f"CREATE {what} {_rel(into)} AS {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.SelectStmt) and node.intoClause is not None:
        into = node.intoClause.rel
        if into is not None and into.relpersistence != "t":
            yield _Hit(rule, f"SELECT ... INTO {_rel(into)} creates a table and has no IF NOT "
                             "EXISTS; use CREATE TABLE IF NOT EXISTS ... AS")
    elif isinstance(node, ast.CreateStatsStmt):
        if not node.if_not_exists:
            yield _Hit(rule, f"CREATE STATISTICS {_dotted(node.defnames)} {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.CreateForeignServerStmt):
        if not node.if_not_exists:
            yield _Hit(rule, f"CREATE SERVER {node.servername} {_NO_IF_NOT_EXISTS}")
    elif isinstance(node, ast.DefineStmt) and node.kind == ObjectType.OBJECT_COLLATION \
            and not node.if_not_exists:
        yield _Hit(rule, f"CREATE COLLATION {_dotted(node.defnames)} {_NO_IF_NOT_EXISTS}")


def _replaces(node: ast.Node) -> Iterator[_Hit]:
    """``create-or-replace``: objects whose CREATE has an OR REPLACE option (not triggers)."""
    rule = "create-or-replace"
    hint = "without OR REPLACE: a second run fails with 'already exists'"
    if isinstance(node, ast.ViewStmt) and not node.replace:
        yield _Hit(rule, f"CREATE VIEW {_rel(node.view)} {hint}")
    elif isinstance(node, ast.CreateFunctionStmt) and not node.replace:
        what = "PROCEDURE" if node.is_procedure else "FUNCTION"
        yield _Hit(rule, f"CREATE {what} {_dotted(node.funcname)} {hint}")
    elif isinstance(node, ast.RuleStmt) and not node.replace:
        yield _Hit(rule, f"CREATE RULE {node.rulename} {hint}")
    elif isinstance(node, ast.DefineStmt) and node.kind == ObjectType.OBJECT_AGGREGATE \
            and not node.replace:
        yield _Hit(rule, f"CREATE AGGREGATE {_dotted(node.defnames)} {hint}")
    elif isinstance(node, ast.CreatePLangStmt) and not node.replace:
        yield _Hit(rule, f"CREATE LANGUAGE {node.plname} {hint}")
    elif isinstance(node, ast.CreateTransformStmt) and not node.replace:
        yield _Hit(rule, f"CREATE TRANSFORM FOR {_dotted(node.type_name)} {hint}")


def _drops(node: ast.Node) -> Iterator[_Hit]:
    """``drop-if-exists``: every DROP has IF EXISTS; a second run must find nothing to drop."""
    rule = "drop-if-exists"
    hint = "without IF EXISTS: a second run fails because it is already gone"
    if isinstance(node, ast.DropStmt) and not node.missing_ok:
        names = ", ".join(_dotted(o) for o in node.objects or ()) or "?"
        yield _Hit(rule, f"DROP {_kind(node.removeType)} {names} {hint}")
    elif isinstance(node, ast.DropRoleStmt) and not node.missing_ok:
        names = ", ".join(r.rolename or "?" for r in node.roles or ())
        yield _Hit(rule, f"DROP ROLE {names} {hint}")
    elif isinstance(node, ast.DropdbStmt) and not node.missing_ok:
        yield _Hit(rule, f"DROP DATABASE {node.dbname} {hint}")
    elif isinstance(node, ast.DropTableSpaceStmt) and not node.missing_ok:
        yield _Hit(rule, f"DROP TABLESPACE {node.tablespacename} {hint}")
    elif isinstance(node, ast.DropSubscriptionStmt) and not node.missing_ok:
        yield _Hit(rule, f"DROP SUBSCRIPTION {node.subname} {hint}")
    elif isinstance(node, ast.DropUserMappingStmt) and not node.missing_ok:
        yield _Hit(rule, f"DROP USER MAPPING FOR SERVER {node.servername} {hint}")


def _alter_table(node: ast.AlterTableStmt, guards: _Guards) -> Iterator[_Hit]:
    """ADD COLUMN / DROP COLUMN / DROP CONSTRAINT / ADD CONSTRAINT, in command order."""
    table = _table(node.relation)
    rel = _rel(node.relation)
    for cmd in node.cmds or ():
        if not isinstance(cmd, ast.AlterTableCmd):
            continue
        subtype = cmd.subtype
        if subtype == AlterTableType.AT_AddColumn and not cmd.missing_ok:
            col = cmd.def_.colname if isinstance(cmd.def_, ast.ColumnDef) else "?"
            yield _Hit("add-column-if-not-exists",
                       f"ALTER TABLE {rel} ADD COLUMN {col} {_NO_IF_NOT_EXISTS}")
        elif subtype == AlterTableType.AT_DropColumn and not cmd.missing_ok:
            yield _Hit("drop-if-exists", f"ALTER TABLE {rel} DROP COLUMN {cmd.name} without IF "
                                         "EXISTS: a second run fails because it is already gone")
        elif subtype == AlterTableType.AT_DropConstraint:
            if table is not None and cmd.name:
                guards.constraints.append((table, cmd.name))
            if not cmd.missing_ok:
                yield _Hit("drop-if-exists", f"ALTER TABLE {rel} DROP CONSTRAINT {cmd.name} without "
                                             "IF EXISTS: a second run fails because it is already gone")
        elif subtype == AlterTableType.AT_AddConstraint:
            name = cmd.def_.conname if isinstance(cmd.def_, ast.Constraint) else None
            if name is None:
                yield _Hit("unguarded-add-constraint",
                           f"ALTER TABLE {rel} ADD CONSTRAINT without a name adds a duplicate on "
                           "every run; name it and guard it (DO block, or DROP CONSTRAINT IF EXISTS "
                           "first)")
            elif not _Guards._has(guards.constraints, table, name):
                yield _Hit("unguarded-add-constraint",
                           f"ALTER TABLE {rel} ADD CONSTRAINT {name} has no IF NOT EXISTS: "
                           f"{_GUARD_HINT}")


def _guarded_creates(node: ast.Node, guards: _Guards) -> Iterator[_Hit]:
    """Triggers, policies and types: no IF NOT EXISTS, so a guard is required."""
    if isinstance(node, ast.CreateTrigStmt) and not node.replace:
        if _Guards._has(guards.triggers, _table(node.relation), node.trigname):
            return
        if node.isconstraint:
            fix = "CONSTRAINT TRIGGER has no OR REPLACE; " + _GUARD_HINT
        else:
            fix = "use CREATE OR REPLACE TRIGGER (PostgreSQL 14+), or " + _GUARD_HINT
        yield _Hit("unguarded-trigger",
                   f"CREATE TRIGGER {node.trigname} ON {_rel(node.relation)} fails on a second run: "
                   f"{fix}")
    elif isinstance(node, ast.CreatePolicyStmt):
        if not _Guards._has(guards.policies, _table(node.table), node.policy_name):
            yield _Hit("unguarded-policy",
                       f"CREATE POLICY {node.policy_name} ON {_rel(node.table)} has no IF NOT "
                       f"EXISTS: {_GUARD_HINT}")
    else:
        what, names = _type_created(node)
        if what is not None and not any(_same_name(names, d) for d in guards.types):
            label = what.format(".".join(names) or "?")
            yield _Hit("unguarded-create-type", f"{label} has no IF NOT EXISTS: {_GUARD_HINT}")


def _type_created(node: ast.Node) -> tuple[str | None, list[str]]:
    """A message template and the qualified name of a type-creating statement."""
    if isinstance(node, ast.CreateEnumStmt):
        return "CREATE TYPE {} AS ENUM", _strings(node.typeName)
    if isinstance(node, ast.CompositeTypeStmt) and node.typevar is not None:
        return "CREATE TYPE {} AS (...)", [
            n for n in (node.typevar.schemaname, node.typevar.relname) if n]
    if isinstance(node, ast.CreateRangeStmt):
        return "CREATE TYPE {} AS RANGE", _strings(node.typeName)
    if isinstance(node, ast.DefineStmt) and node.kind == ObjectType.OBJECT_TYPE:
        return "CREATE TYPE {}", _strings(node.defnames)
    if isinstance(node, ast.CreateDomainStmt):
        return "CREATE DOMAIN {}", _strings(node.domainname)
    return None, []


_OTHER_CREATES: dict[type[ast.Node], str] = {
    ast.CreateRoleStmt: "CREATE ROLE",
    ast.CreatePublicationStmt: "CREATE PUBLICATION",
    ast.CreateSubscriptionStmt: "CREATE SUBSCRIPTION",
    ast.CreateEventTrigStmt: "CREATE EVENT TRIGGER",
    ast.CreateCastStmt: "CREATE CAST",
    ast.CreateOpClassStmt: "CREATE OPERATOR CLASS",
    ast.CreateOpFamilyStmt: "CREATE OPERATOR FAMILY",
    ast.CreateConversionStmt: "CREATE CONVERSION",
    ast.CreateAmStmt: "CREATE ACCESS METHOD",
    ast.CreatedbStmt: "CREATE DATABASE",
    ast.CreateTableSpaceStmt: "CREATE TABLESPACE",
}


def _other(node: ast.Node) -> Iterator[_Hit]:
    """``unguarded-create``, ``add-enum-value-if-not-exists`` and ``unguarded-rename``."""
    label = next((v for k, v in _OTHER_CREATES.items() if isinstance(node, k)), None)
    if label is None and isinstance(node, ast.DefineStmt) and node.kind in (
        ObjectType.OBJECT_OPERATOR, ObjectType.OBJECT_TSCONFIGURATION,
        ObjectType.OBJECT_TSDICTIONARY, ObjectType.OBJECT_TSPARSER, ObjectType.OBJECT_TSTEMPLATE,
    ):
        label = f"CREATE {_kind(node.kind)}"
    if label is not None:
        yield _Hit("unguarded-create", f"{label} has no IF NOT EXISTS: wrap it in a DO block "
                                       "that checks the catalog first")
    if isinstance(node, ast.AlterEnumStmt):
        if node.oldVal is not None:
            yield _Hit("unguarded-rename", f"ALTER TYPE {_dotted(node.typeName)} RENAME VALUE "
                                           f"{node.oldVal!r} fails on a second run: guard it in a "
                                           "DO block")
        elif not node.skipIfNewValExists:
            yield _Hit("add-enum-value-if-not-exists",
                       f"ALTER TYPE {_dotted(node.typeName)} ADD VALUE {node.newVal!r} "
                       f"{_NO_IF_NOT_EXISTS}")
    if isinstance(node, ast.RenameStmt):
        # Renaming a whole relation is safe with IF EXISTS (the old name is gone on a rerun);
        # renaming anything else needs a guard.
        whole = node.relation is not None and node.subname is None and node.renameType in (
            ObjectType.OBJECT_TABLE, ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW,
            ObjectType.OBJECT_INDEX, ObjectType.OBJECT_SEQUENCE, ObjectType.OBJECT_FOREIGN_TABLE)
        if not (whole and node.missing_ok):
            target = _rel(node.relation) if node.relation is not None else _dotted(node.object)
            sub = f" {node.subname}" if node.subname else ""
            yield _Hit("unguarded-rename",
                       f"RENAME of {_kind(node.renameType)} {target}{sub} to {node.newname} fails "
                       "on a second run: guard it in a DO block" +
                       ("" if not whole else " or use ALTER ... IF EXISTS"))


def _inserts(node: ast.Node) -> Iterator[ast.InsertStmt]:
    """The INSERTs a statement runs: itself, or data-modifying CTEs of a top-level query."""
    if isinstance(node, ast.InsertStmt):
        yield node
    with_clause = getattr(node, "withClause", None)
    if isinstance(with_clause, ast.WithClause):
        for cte in with_clause.ctes or ():
            if isinstance(cte, ast.CommonTableExpr) and cte.ctequery is not None:
                yield from _inserts(cte.ctequery)


def _seed_inserts(node: ast.Node) -> Iterator[_Hit]:
    for insert in _inserts(node):
        if insert.onConflictClause is None:
            yield _Hit("seed-insert-on-conflict",
                       f"INSERT INTO {_rel(insert.relation)} without ON CONFLICT: a second run "
                       "duplicates rows or fails; use ON CONFLICT ... DO UPDATE (or DO NOTHING)")


def _check(node: ast.Node, guards: _Guards, *, seed: bool) -> Iterator[_Hit]:
    if isinstance(node, ast.TransactionStmt):
        yield _Hit("transaction-control",
                   "transaction control is not allowed: each file already runs in its own "
                   "transaction (use the header '-- db-migrate: no-transaction' instead)")
    yield from _creates(node)
    yield from _replaces(node)
    yield from _drops(node)
    if isinstance(node, ast.AlterTableStmt):
        yield from _alter_table(node, guards)
    yield from _guarded_creates(node, guards)
    yield from _other(node)
    if seed:
        yield from _seed_inserts(node)
    # Recorded after the checks: a statement does not guard itself.
    if isinstance(node, ast.DropStmt):
        guards.record_drop(node)


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


def lint_text(text: str, *, path: str, seed: bool) -> list[Finding]:
    """Lint one file's text; ``seed`` turns on the rules that only apply to seed data."""
    try:
        slices = parser.split(text, with_parser=True, only_slices=True)
        nodes = pglast.parse_sql(text)
    except parser.ParseError as exc:
        position = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        return [Finding(path, line_of(text, position), "syntax-error", str(exc.args[0]))]
    if not nodes:
        return [Finding(path, 1, "empty-file", "the file has no SQL statements")]
    lines = text.split("\n")
    guards = _Guards()
    findings: list[Finding] = []
    for raw, piece in zip(nodes, slices, strict=True):
        line = line_of(text, piece.start)
        ignored = _suppressed(lines, line, path, findings)
        if raw.stmt is None:
            continue
        for hit in _check(raw.stmt, guards, seed=seed):
            if hit.rule not in ignored:
                findings.append(Finding(path, line, hit.rule, hit.message))
    return sorted(findings)


def lint_file(path: Path, *, seed: bool, display: str | None = None) -> list[Finding]:
    shown = display or str(path)
    content = normalize(path.read_bytes())
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [Finding(shown, content.count(b"\n", 0, exc.start) + 1, "unreadable-file",
                        f"not valid UTF-8 (byte {exc.start})")]
    if not text.strip():
        return [Finding(shown, 1, "empty-file", "the file is empty")]
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


def lint_paths(paths: list[Path], *, seed_roots: Sequence[Path] = ()) -> list[Finding]:
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
            findings.extend(lint_file(file, seed=_is_seed(file, seed_roots)))
    return findings


def to_json(findings: list[Finding]) -> dict[str, object]:
    """The stable ``--json`` document of ``db-migrate lint`` (docs/lint.md)."""
    return {"ok": not findings, "count": len(findings),
            "findings": [f.to_dict() for f in findings]}
