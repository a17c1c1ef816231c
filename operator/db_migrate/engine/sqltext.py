"""What pglast (libpg_query, PostgreSQL's own parser) tells us about a script.

* whether it must run outside a transaction (``CREATE INDEX CONCURRENTLY`` and friends),
* its statements with their starting lines, for splitting and for error messages,
* transaction control (BEGIN/COMMIT) that would break per-file atomicity.

Regex splitting on ``;`` breaks ``$$`` bodies; that is why a real parser is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pglast
from pglast import ast, parser
from pglast.enums import DiscardMode, ReindexObjectType, TransactionStmtKind

from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.scripts import Script

#: A header comment that forces statement-by-statement execution outside a transaction.
NO_TRANSACTION_DIRECTIVE = re.compile(r"^\s*--\s*db-migrate:\s*no-transaction\b", re.IGNORECASE)


_REINDEX_MANY = (
    ReindexObjectType.REINDEX_OBJECT_SCHEMA,
    ReindexObjectType.REINDEX_OBJECT_DATABASE,
    ReindexObjectType.REINDEX_OBJECT_SYSTEM,
)
_TRANSACTION_CONTROL = {
    TransactionStmtKind.TRANS_STMT_BEGIN: "BEGIN",
    TransactionStmtKind.TRANS_STMT_START: "START TRANSACTION",
    TransactionStmtKind.TRANS_STMT_COMMIT: "COMMIT",
    TransactionStmtKind.TRANS_STMT_ROLLBACK: "ROLLBACK",
    TransactionStmtKind.TRANS_STMT_PREPARE: "PREPARE TRANSACTION",
    TransactionStmtKind.TRANS_STMT_COMMIT_PREPARED: "COMMIT PREPARED",
    TransactionStmtKind.TRANS_STMT_ROLLBACK_PREPARED: "ROLLBACK PREPARED",
}


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

    def statement_at(self, offset: int) -> Statement | None:
        for stmt in self.statements or []:
            if stmt.start <= offset < max(stmt.end, stmt.start + 1):
                return stmt
        return None


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, max(offset, 0)) + 1


def _outside_transaction(node: ast.Node | None) -> str | None:
    """The reason PostgreSQL refuses ``node`` inside a transaction block, if it does."""
    if isinstance(node, ast.IndexStmt) and node.concurrent:
        return "CREATE INDEX CONCURRENTLY"
    if isinstance(node, ast.DropStmt) and node.concurrent:
        return "DROP INDEX CONCURRENTLY"
    if isinstance(node, ast.ReindexStmt):
        params = node.params or ()
        if any(isinstance(p, ast.DefElem) and p.defname == "concurrently" for p in params):
            return "REINDEX CONCURRENTLY"
        if node.kind in _REINDEX_MANY:
            return "REINDEX SCHEMA/DATABASE/SYSTEM"
    if isinstance(node, ast.VacuumStmt) and node.is_vacuumcmd:
        return "VACUUM"
    if isinstance(node, ast.ClusterStmt) and node.relation is None:
        return "CLUSTER without a table"
    if isinstance(node, ast.DiscardStmt) and node.target == DiscardMode.DISCARD_ALL:
        return "DISCARD ALL"
    simple = {
        ast.AlterSystemStmt: "ALTER SYSTEM",
        ast.CreatedbStmt: "CREATE DATABASE",
        ast.DropdbStmt: "DROP DATABASE",
        ast.CreateTableSpaceStmt: "CREATE TABLESPACE",
        ast.DropTableSpaceStmt: "DROP TABLESPACE",
        ast.CreateSubscriptionStmt: "CREATE SUBSCRIPTION",
        ast.DropSubscriptionStmt: "DROP SUBSCRIPTION",
    }
    for cls, label in simple.items():
        if isinstance(node, cls):
            return label
    return None


def _transaction_control(node: ast.Node | None) -> str | None:
    if isinstance(node, ast.TransactionStmt) and node.kind is not None:
        return _TRANSACTION_CONTROL.get(node.kind)
    return None


def analyze(script: Script) -> Analysis:
    """Parse once; raise :class:`InvalidInput` for files that cannot be run safely."""
    text = script.text
    forced = bool(NO_TRANSACTION_DIRECTIVE.match(text))
    try:
        slices = parser.split(text, with_parser=True, only_slices=True)
        nodes = pglast.parse_sql(text)
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

    statements = [
        Statement(text[s.start : s.stop], line_of(text, s.start), s.start, s.stop) for s in slices
    ]
    reason = "header directive" if forced else None
    for raw, stmt in zip(nodes, statements, strict=True):
        control = _transaction_control(raw.stmt)
        if control is not None:
            raise InvalidInput(
                f"{script.origin} line {stmt.line}: {control} is not allowed; each file already "
                "runs in its own transaction (remove it, or add the header "
                "'-- db-migrate: no-transaction')"
            )
        found = _outside_transaction(raw.stmt)
        if found is not None and reason is None:
            reason = f"line {stmt.line}: {found}"
    return Analysis(transactional=reason is None, reason=reason, statements=statements)


def concurrent_index_names(statements: list[Statement]) -> list[tuple[str | None, str]]:
    """``(schema, name)`` of every ``CREATE INDEX CONCURRENTLY`` with an explicit name."""
    found: list[tuple[str | None, str]] = []
    for stmt in statements:
        for raw in pglast.parse_sql(stmt.text):
            node = raw.stmt
            if isinstance(node, ast.IndexStmt) and node.concurrent and node.idxname:
                schema = node.relation.schemaname if node.relation is not None else None
                found.append((schema, node.idxname))
    return found
