"""What pglast (libpg_query, PostgreSQL's own parser) tells us about a script.

* whether it must run outside a transaction (``CREATE INDEX CONCURRENTLY`` and friends),
* its statements with their starting lines, for splitting and for error messages,
* transaction control (BEGIN/COMMIT) that would break per-file atomicity.

Regex splitting on ``;`` breaks ``$$`` bodies; that is why a real parser is used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.scripts import Script

#: A header comment that forces statement-by-statement execution outside a transaction.
NO_TRANSACTION_DIRECTIVE = re.compile(r"^\s*--\s*db-migrate:\s*no-transaction\b", re.IGNORECASE)


_REINDEX_MANY = ("REINDEX_OBJECT_SCHEMA", "REINDEX_OBJECT_DATABASE", "REINDEX_OBJECT_SYSTEM")
_TRANSACTION_CONTROL = {
    "TRANS_STMT_BEGIN": "BEGIN",
    "TRANS_STMT_START": "START TRANSACTION",
    "TRANS_STMT_COMMIT": "COMMIT",
    "TRANS_STMT_ROLLBACK": "ROLLBACK",
    "TRANS_STMT_PREPARE": "PREPARE TRANSACTION",
    "TRANS_STMT_COMMIT_PREPARED": "COMMIT PREPARED",
    "TRANS_STMT_ROLLBACK_PREPARED": "ROLLBACK PREPARED",
}
_OUTSIDE_ALWAYS = {
    "AlterSystemStmt": "ALTER SYSTEM",
    "CreatedbStmt": "CREATE DATABASE",
    "DropdbStmt": "DROP DATABASE",
    "CreateTableSpaceStmt": "CREATE TABLESPACE",
    "DropTableSpaceStmt": "DROP TABLESPACE",
    "CreateSubscriptionStmt": "CREATE SUBSCRIPTION",
    "DropSubscriptionStmt": "DROP SUBSCRIPTION",
}
#: Every statement this module looks for needs one of these keywords.  A file without any of
#: them is transactional and free of transaction control, so the (comparatively costly) parse
#: tree is skipped: a typical CREATE TABLE / INDEX / INSERT file costs only the split.
_SUSPECT = re.compile(
    r"\b(concurrently|vacuum|system|database|tablespace|subscription|discard|cluster|reindex"
    r"|begin|start|commit|end|rollback|abort|prepare)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Statement:
    text: str
    #: 1-based line of the statement's first character in the file.
    line: int
    #: Character offsets of the statement in the file.
    start: int
    end: int


@dataclass(frozen=True)
class Analysis:
    transactional: bool
    #: Why a file runs outside a transaction ("line 3: CREATE INDEX CONCURRENTLY").
    reason: str | None
    #: ``None`` when pglast could not parse the file (the server will report the error).
    statements: list[Statement] | None

    @property
    def mode(self) -> str:
        return "transaction" if self.transactional else "no-transaction"


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, max(offset, 0)) + 1


Node = dict[str, Any]


def _outside_transaction(kind: str, node: Node) -> str | None:
    """The reason PostgreSQL refuses this statement inside a transaction block, if it does."""
    if kind == "IndexStmt" and node.get("concurrent"):
        return "CREATE INDEX CONCURRENTLY"
    if kind == "DropStmt" and node.get("concurrent"):
        return "DROP INDEX CONCURRENTLY"
    if kind == "ReindexStmt":
        if any(p.get("DefElem", {}).get("defname") == "concurrently" for p in node.get("params", [])):
            return "REINDEX CONCURRENTLY"
        if node.get("kind") in _REINDEX_MANY:
            return "REINDEX SCHEMA/DATABASE/SYSTEM"
    if kind == "VacuumStmt" and node.get("is_vacuumcmd"):
        return "VACUUM"
    if kind == "ClusterStmt" and "relation" not in node:
        return "CLUSTER without a table"
    if kind == "DiscardStmt" and node.get("target") == "DISCARD_ALL":
        return "DISCARD ALL"
    return _OUTSIDE_ALWAYS.get(kind)


def _transaction_control(kind: str, node: Node) -> str | None:
    if kind == "TransactionStmt":
        return _TRANSACTION_CONTROL.get(str(node.get("kind")))
    return None


def analyze(script: Script) -> Analysis:
    """Parse once; raise :class:`InvalidInput` for files that cannot be run safely."""
    # Imported here, not at module level: a no-op run parses nothing and skips the import.
    from pglast import parser

    text = script.text
    forced = bool(NO_TRANSACTION_DIRECTIVE.match(text))
    try:
        slices = parser.split(text, with_parser=True, only_slices=True)
    except parser.ParseError as exc:
        position = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        if forced:
            raise InvalidInput(
                f"{script.origin} line {line_of(text, position)}: cannot split a no-transaction "
                f"file: {exc.args[0]}"
            ) from None
        # Leave syntax errors to the server, which reports them with a position; pglast may
        # also lag behind the newest server syntax.
        return Analysis(transactional=True, reason=None, statements=None)

    statements = []
    line, seen = 1, 0
    for piece in slices:  # lines counted incrementally: linear in the file's size
        line += text.count("\n", seen, piece.start)
        seen = piece.start
        statements.append(Statement(text[piece.start : piece.stop], line, piece.start, piece.stop))
    if not forced and not _SUSPECT.search(text):
        return Analysis(transactional=True, reason=None, statements=statements)
    # The JSON form of the parse tree is ~3x cheaper than pglast's Python AST objects.
    nodes = json.loads(parser.parse_sql_json(text)).get("stmts", [])
    reason = "header directive" if forced else None
    for raw, stmt in zip(nodes, statements, strict=True):
        [(kind, node)] = raw["stmt"].items()
        control = _transaction_control(kind, node)
        if control is not None:
            raise InvalidInput(
                f"{script.origin} line {stmt.line}: {control} is not allowed; each file already "
                "runs in its own transaction (remove it, or add the header "
                "'-- db-migrate: no-transaction')"
            )
        found = _outside_transaction(kind, node)
        if found is not None and reason is None:
            reason = f"line {stmt.line}: {found}"
    return Analysis(transactional=reason is None, reason=reason, statements=statements)


def concurrent_index_names(statements: list[Statement]) -> list[tuple[str | None, str]]:
    """``(schema, name)`` of every ``CREATE INDEX CONCURRENTLY`` with an explicit name."""
    import pglast
    from pglast import ast

    found: list[tuple[str | None, str]] = []
    for stmt in statements:
        for raw in pglast.parse_sql(stmt.text):  # rare: no-transaction files only
            node = raw.stmt
            if isinstance(node, ast.IndexStmt) and node.concurrent and node.idxname:
                schema = node.relation.schemaname if node.relation is not None else None
                found.append((schema, node.idxname))
    return found
