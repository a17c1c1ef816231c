"""What pglast (libpg_query, PostgreSQL's own parser) tells us about a script.

* whether it must run outside a transaction (``CREATE INDEX CONCURRENTLY`` and friends),
* its statements with their starting lines, for splitting and for error messages,
* transaction control (BEGIN/COMMIT): a file's own leading BEGIN and trailing COMMIT (or
  either alone; Flyway sets have them) are blanked out, and a file with any other blocks runs
  as written, statement by statement, its own blocks being its transactions.

Regex splitting on ``;`` breaks ``$$`` bodies; that is why a real parser is used.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.scripts import Script


class UnsafeScript(InvalidInput):
    """A file that cannot run safely; ``problems`` names every offending line of it."""

    reason = "InvalidMigrationSet"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))

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
    #: The statements, without a blanked wrapper.  When pglast cannot parse the file they
    #: come from its scanner (still right about ``$$`` and comments); ``None`` if even that fails.
    statements: list[Statement] | None
    #: What is executed: the file, with a leading BEGIN / trailing COMMIT replaced by spaces
    #: (same length, same newlines, so error positions and lines stay those of the file).
    text: str
    #: The file wrapped itself in BEGIN ... COMMIT (or began with BEGIN, or ended in COMMIT)
    #: and the wrapper was blanked.
    unwrapped: bool = False
    #: The file has its own transactions and runs as written (without the header).
    as_written: bool = False
    #: pglast's syntax error, when pglast ran (see ``parse_error``).
    syntax_error: str | None = None
    #: Split by :func:`_plain_split` without loading pglast: the syntax is checked only when
    #: ``parse_error`` is asked for (dry runs).
    unparsed: bool = False

    @property
    def mode(self) -> str:
        return "transaction" if self.transactional else "no-transaction"

    @functools.cached_property
    def parse_error(self) -> str | None:
        """pglast's syntax error ("line 3: syntax error at or near ..."); the server has the
        last word."""
        if not self.unparsed:
            return self.syntax_error
        from pglast import parser

        try:
            parser.split(self.text, with_parser=True, only_slices=True)
        except parser.ParseError as exc:
            return _parse_error_text(self.text, exc)
        return None


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


def _split(text: str, slices: Sequence[slice]) -> list[Statement]:
    statements = []
    line, seen = 1, 0
    for piece in slices:  # lines counted incrementally: linear in the file's size
        line += text.count("\n", seen, piece.start)
        seen = piece.start
        statements.append(Statement(text[piece.start : piece.stop], line, piece.start, piece.stop))
    return statements


_NOT_CODE = ("SQL_COMMENT", "C_COMMENT")


def _scanner_split(text: str) -> list[Statement] | None:
    """Statements of a file pglast cannot parse: split on ``;`` tokens of PostgreSQL's scanner."""
    from pglast import parser

    try:
        tokens = parser.scan(text)
    except parser.ParseError:
        return None
    slices: list[slice] = []
    first: int | None = None
    last = 0
    for token in tokens:
        if token.name in _NOT_CODE:
            continue
        if token.name == "ASCII_59":
            if first is not None:
                slices.append(slice(first, last + 1))
            first = None
            continue
        if first is None:
            first = token.start
        last = token.end
    if first is not None:
        slices.append(slice(first, last + 1))
    return _split(text, slices)


#: One lexical piece of a plain file.  ``word`` is a run of printable ASCII that cannot start
#: a string, comment or statement end; PostgreSQL's whitespace is `` \t\n\r\f`` (``\v`` only
#: since version 16, so it is left to pglast like every other control character).
_PIECE = re.compile(r"""
    (?P<space>[ \t\n\r\f]+)
  | (?P<line>--[^\r\n]*)
  | (?P<block>/\*)
  | (?P<quoted>'[^']*'|"[^"]*")
  | (?P<semi>;)
  | (?P<word>(?:[!#%&)*+,.0-9:<=>?@A-Z\[\]^_`a-z{|}~(]|-(?!-)|/(?!\*))+)
""", re.VERBOSE)
#: Larger files (bulk seeds) go to pglast's C splitter, faster there than this loop.
_PLAIN_MAX = 64 * 1024


def _rstrip_end(text: str, start: int, end: int) -> int:
    # pglast strips the statement with str.rstrip(); the same test, without copying.
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _block_comment_end(text: str, i: int) -> int | None:
    level = 1  # block comments nest in PostgreSQL
    while level:
        close, opening = text.find("*/", i), text.find("/*", i)
        if close < 0:
            return None
        if 0 <= opening < close:
            level, i = level + 1, opening + 2
        else:
            level, i = level - 1, close + 2
    return i


def _plain_split(text: str) -> list[slice] | None:
    """The statement slices pglast's parser-based split gives, for a file whose lexing needs no
    parser: no dollar quoting, no backslash (``E'\\''``), no ``;`` inside parentheses (rule
    actions), only ASCII outside strings and comments.  ``None`` when in doubt: pglast decides.

    A statement starts at its first token and ends before its ``;`` (or at the end of the
    file), trailing whitespace removed; statements without a token are dropped.  Adjacent
    literals (``'it''s'``) have the extent of the one literal PostgreSQL sees."""
    if len(text) > _PLAIN_MAX or "$" in text or "\\" in text:
        return None
    slices: list[slice] = []
    start: int | None = None
    depth = 0
    i, n = 0, len(text)
    while i < n:
        piece = _PIECE.match(text, i)
        if piece is None:
            return None  # a control character, non-ASCII outside strings, an open literal
        kind, i = piece.lastgroup, piece.end()
        if kind == "block":
            end = _block_comment_end(text, i)
            if end is None:
                return None
            i = end
        elif kind == "semi":
            if depth:
                return None
            if start is not None:
                slices.append(slice(start, _rstrip_end(text, start, piece.start())))
            start = None
        elif kind in ("quoted", "word"):
            start = piece.start() if start is None else start
            if kind == "word":
                word = piece.group()
                depth += word.count("(") - word.count(")")
                if depth < 0:
                    return None
    if depth:
        return None
    if start is not None:
        slices.append(slice(start, _rstrip_end(text, start, n)))
    return slices


def _blank(text: str, stmt: Statement) -> str:
    """Replace a statement and its ``;`` by spaces, keeping newlines (so lines stay right)."""
    end = stmt.end
    probe = end
    while probe < len(text) and text[probe] in " \t\r\n":
        probe += 1
    if probe < len(text) and text[probe] == ";":
        end = probe + 1
    hole = "".join(c if c == "\n" else " " for c in text[stmt.start : end])
    return text[: stmt.start] + hole + text[end:]


def _opens(kind: str, node: Node) -> bool:
    return kind == "TransactionStmt" and node.get("kind") in ("TRANS_STMT_BEGIN", "TRANS_STMT_START") \
        and not node.get("options")


def _closes(kind: str, node: Node) -> bool:
    # END parses as COMMIT; COMMIT AND CHAIN would open another transaction.
    return kind == "TransactionStmt" and node.get("kind") == "TRANS_STMT_COMMIT" \
        and not node.get("chain")


def _parse_error_text(text: str, exc: Exception) -> str:
    position = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
    return f"line {line_of(text, position)}: {exc.args[0]}"


def analyze(script: Script) -> Analysis:
    """Parse once; raise :class:`UnsafeScript` naming every line that cannot run safely."""
    text = script.text
    forced = bool(NO_TRANSACTION_DIRECTIVE.match(text))
    suspect = forced or _SUSPECT.search(text) is not None
    plain = None if suspect else _plain_split(text)
    if plain is not None:
        # The usual file (CREATE ... IF NOT EXISTS, INSERT ... ON CONFLICT): transactional,
        # split exactly as pglast would, and pglast (~50 ms to import) is not loaded at all.
        return Analysis(transactional=True, reason=None, statements=_split(text, plain),
                        text=text, unparsed=True)
    # Imported here, not at module level: a no-op run parses nothing and skips the import.
    from pglast import parser

    try:
        slices = parser.split(text, with_parser=True, only_slices=True)
    except parser.ParseError as exc:
        error = _parse_error_text(text, exc)
        if forced:
            raise UnsafeScript(
                [f"{script.origin} {error} (cannot split a no-transaction file)"]) from None
        # Leave syntax errors to the server, which reports them with a position; pglast may
        # also lag behind the newest server syntax.  A dry run refuses them (preflight.py).
        return Analysis(transactional=True, reason=None, statements=_scanner_split(text),
                        text=text, syntax_error=error)

    statements = _split(text, slices)
    if not suspect:
        return Analysis(transactional=True, reason=None, statements=statements, text=text)
    # The JSON form of the parse tree is ~3x cheaper than pglast's Python AST objects.
    nodes = json.loads(parser.parse_sql_json(text)).get("stmts", [])
    kinds: list[tuple[str, Node]] = [next(iter(raw["stmt"].items())) for raw in nodes]
    controls = [i for i, (kind, node) in enumerate(kinds) if _transaction_control(kind, node)]
    wrapper = None if forced else _wrapper(kinds, controls)
    if wrapper is None and (forced or controls):
        return _as_written(script, text, kinds, statements, forced=forced)
    problems: list[str] = []
    reason = None
    for (kind, node), stmt in zip(kinds, statements, strict=True):
        found = _outside_transaction(kind, node)
        if found is not None and wrapper:
            problems.append(f"{script.origin} line {stmt.line}: {found} cannot run inside the "
                            "file's own BEGIN ... COMMIT; move it to a file without them")
        elif found is not None and reason is None:
            reason = f"line {stmt.line}: {found}"
    if problems:
        raise UnsafeScript(problems)
    if wrapper:
        for index in reversed(wrapper):
            text = _blank(text, statements[index])
        statements = [s for i, s in enumerate(statements) if i not in wrapper]
    return Analysis(transactional=reason is None, reason=reason, statements=statements,
                    text=text, unwrapped=bool(wrapper))


def _wrapper(kinds: list[tuple[str, Node]], controls: list[int]) -> list[int] | None:
    """The statements that only wrap the file in one transaction, which the engine's own
    transaction replaces: a leading BEGIN with a trailing COMMIT, or either one alone (a
    real Flyway set ends a file in COMMIT without any BEGIN).  ``None`` if the file's
    transaction control is anything else."""
    last = len(kinds) - 1
    if controls == [0, last] and last > 0 and _opens(*kinds[0]) and _closes(*kinds[last]):
        return [0, last]
    if controls == [0] and _opens(*kinds[0]):
        return [0]
    if controls == [last] and _closes(*kinds[last]):
        return [last]
    return None


_TWO_PHASE = ("PREPARE TRANSACTION", "COMMIT PREPARED", "ROLLBACK PREPARED")


def _as_written(script: Script, text: str, kinds: list[tuple[str, Node]],
                statements: list[Statement], *, forced: bool) -> Analysis:
    """A file with its own transactions (``BEGIN ... COMMIT`` in the middle, several blocks)
    or the no-transaction header: it runs statement by statement in autocommit, where its
    own blocks are its transactions, as psql would run it.  Refused only where that cannot
    do what the file says: a block never closed, a ROLLBACK with no block to undo, a
    statement PostgreSQL refuses inside a block, two-phase commit."""
    problems: list[str] = []
    reason = "header directive" if forced else None
    opened: int | None = None  # line of the open block's BEGIN

    def refuse(stmt: Statement, message: str) -> None:
        problems.append(f"{script.origin} line {stmt.line}: {message}")

    for (kind, node), stmt in zip(kinds, statements, strict=True):
        control = _transaction_control(kind, node)
        chain = bool(node.get("chain"))
        if control in _TWO_PHASE:
            refuse(stmt, f"{control} (two-phase commit) cannot run in a migration")
        elif control in ("BEGIN", "START TRANSACTION"):
            if opened is not None:
                refuse(stmt, f"{control} inside the block opened at line {opened}, which is "
                             "still open (COMMIT it first)")
            opened = stmt.line
        elif control == "COMMIT":
            opened = stmt.line if chain else None
        elif control == "ROLLBACK":
            if opened is None:
                refuse(stmt, "ROLLBACK outside a BEGIN block undoes nothing: the file runs as "
                             "written, statement by statement, and each statement before it "
                             "is already committed")
            opened = stmt.line if chain else None
        if control is not None and reason is None:
            reason = f"line {stmt.line}: {control} (the file's own transactions)"
        found = _outside_transaction(kind, node)
        if found is not None and opened is not None:
            refuse(stmt, f"{found} cannot run inside the file's BEGIN block opened at line "
                         f"{opened}; move it after that block's COMMIT")
        elif found is not None and reason is None:
            reason = f"line {stmt.line}: {found}"
    if opened is not None:
        problems.append(f"{script.origin} line {opened}: this transaction block is never "
                        "committed: add COMMIT before the end of the file")
    if problems:
        raise UnsafeScript(problems)
    return Analysis(transactional=False, reason=reason, statements=statements, text=text,
                    as_written=not forced)


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
