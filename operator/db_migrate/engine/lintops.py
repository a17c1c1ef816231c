"""Lint's statements as ops: what each top-level statement creates, drops, renames or inserts.

Each op carries the finding it would meet on a second run; lintsim.py decides which of them a
second run really meets.  Every check reads a flag PostgreSQL's own parser sets
(``if_not_exists``, ``missing_ok``, ``replace``, ``onConflictClause``); nothing is guessed from
the text.
"""

from __future__ import annotations

from collections.abc import Iterator

from pglast import ast
from pglast.enums import AlterTableType, ConstrType, DropBehavior, ObjectType, SetOperation

from db_migrate.engine import lintsim as sim
from db_migrate.engine.lintsim import Hit

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


def _kind(obj_type: object) -> str:
    if isinstance(obj_type, ObjectType):
        return obj_type.name.removeprefix("OBJECT_").replace("_", " ")
    return "object"


# --------------------------------------------------------------------------------------------
# The checks: each statement becomes the ops it performs, with the finding each op would meet
# on a second run; lintsim.py decides which of them a second run really meets.


_NO_IF_NOT_EXISTS = "without IF NOT EXISTS: a second run fails with 'already exists'"
_GUARD_HINT = "wrap it in a DO block that checks the catalog, or DROP ... IF EXISTS it first"
_GONE = "without IF EXISTS: a second run fails because it is already gone"


def _rel_key(name: str) -> sim.Key:
    return ("rel", "", name)


def _create_rel(rv: ast.RangeVar | None, guarded: bool | None, hit: Hit, relkind: str,
                *, skip_rest: bool = False) -> sim.Create:
    temporary = rv is not None and rv.relpersistence == "t"
    name = str(rv.relname) if rv is not None and rv.relname else "?"
    return sim.Create(_rel_key(name), guarded or temporary, hit, skip_rest_if_exists=skip_rest,
                      relkind=relkind, temporary=temporary)


def _sources(node: object) -> frozenset[str]:
    """Every table a query reads (for "copied before dropped": no data is lost then)."""
    found: set[str] = set()
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.RangeVar) and item.relname:
            found.add(str(item.relname))
        elif isinstance(item, ast.Node):
            stack.extend(getattr(item, name) for name in item)
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return frozenset(found)


def _table_elements(table: str, node: ast.CreateStmt) -> Iterator[sim.Op]:
    """Columns and named constraints a CREATE TABLE brings (they go when the table goes)."""
    for elt in node.tableElts or ():
        constraints: list[ast.Constraint] = []
        if isinstance(elt, ast.ColumnDef) and elt.colname:
            yield sim.Create(("column", table, elt.colname), True, None)
            constraints = [c for c in elt.constraints or () if isinstance(c, ast.Constraint)]
        elif isinstance(elt, ast.Constraint):
            constraints = [elt]
        for con in constraints:
            primary = con.contype == ConstrType.CONSTR_PRIMARY
            name = con.conname or (f"{table}_pkey" if primary else None)
            if name:
                yield sim.Create(("constraint", table, name), True, None)
            if con.conname and (primary or con.contype == ConstrType.CONSTR_UNIQUE):
                # A named key's index shares the relation namespace and keeps its name when
                # the table is renamed: a swap (create t_new, rename to t) trips on it.  An
                # unnamed key's index never does: PostgreSQL picks a free name (t_pkey1).
                yield sim.Create(_rel_key(con.conname), False, Hit(
                    "create-if-not-exists", f"CREATE TABLE {table} fails on a second run: the "
                    f"index {name} of its key already exists (a renamed table keeps its index "
                    "names); rename the index along with the table"),
                    relkind="index", owner=table)


def _creates(node: ast.Node) -> Iterator[sim.Op]:
    """``create-if-not-exists``: objects whose CREATE has an IF NOT EXISTS option."""
    rule = "create-if-not-exists"
    if isinstance(node, ast.CreateForeignTableStmt):
        if node.base is not None:
            yield _create_rel(node.base.relation, node.base.if_not_exists, Hit(
                rule, f"CREATE FOREIGN TABLE {_rel(node.base.relation)} {_NO_IF_NOT_EXISTS}"),
                "table")
    elif isinstance(node, ast.CreateStmt):
        yield _create_rel(node.relation, node.if_not_exists, Hit(
            rule, f"CREATE TABLE {_rel(node.relation)} {_NO_IF_NOT_EXISTS}"), "table",
            skip_rest=True)
        if node.relation is not None and node.relation.relname:
            yield from _table_elements(str(node.relation.relname), node)
    elif isinstance(node, ast.IndexStmt):
        table = node.relation.relname if node.relation is not None else None
        if table:
            yield sim.RequireTable(str(table), False)
        if not node.idxname:
            yield sim.Auto(str(table), Hit(
                rule, f"CREATE INDEX on {_rel(node.relation)} has no name, so every run adds "
                      "another index; name it and add IF NOT EXISTS", sim.DUPLICATES))
        else:
            params = [p for p in node.indexParams or () if isinstance(p, ast.IndexElem)]
            plain = all(p.name for p in params) and node.whereClause is None and \
                not node.indexIncludingParams
            yield sim.Create(_rel_key(node.idxname), node.if_not_exists, Hit(
                rule, f"CREATE INDEX {node.idxname} {_NO_IF_NOT_EXISTS}"),
                relkind="index", owner=str(table) if table else None,
                columns=frozenset(str(p.name) for p in params) if plain and params else None)
    elif isinstance(node, ast.CreateSchemaStmt) and node.schemaname:
        yield sim.Create(("schema", "", str(node.schemaname)), node.if_not_exists, Hit(
            rule, f"CREATE SCHEMA {node.schemaname} {_NO_IF_NOT_EXISTS}"))
    elif isinstance(node, ast.CreateExtensionStmt):
        yield sim.Create(("extension", "", str(node.extname)), node.if_not_exists, Hit(
            rule, f"CREATE EXTENSION {node.extname} {_NO_IF_NOT_EXISTS}"))
    elif isinstance(node, ast.CreateSeqStmt):
        yield _create_rel(node.sequence, node.if_not_exists, Hit(
            rule, f"CREATE SEQUENCE {_rel(node.sequence)} {_NO_IF_NOT_EXISTS}"), "sequence")
    elif isinstance(node, ast.CreateTableAsStmt):
        into = node.into.rel if node.into is not None else None
        matview = node.objtype == ObjectType.OBJECT_MATVIEW
        what = "MATERIALIZED VIEW" if matview else "TABLE"
        if node.is_select_into:
            message = (f"SELECT ... INTO {_rel(into)} creates a table and has no IF NOT "
                       "EXISTS; use CREATE TABLE IF NOT EXISTS ... AS")
        else:
            message = f"CREATE {what} {_rel(into)} AS {_NO_IF_NOT_EXISTS}"
        yield sim.Copy(_sources(node.query))
        yield _create_rel(into, node.if_not_exists and not node.is_select_into,
                          Hit(rule, message), "matview" if matview else "table")
    elif isinstance(node, ast.SelectStmt) and node.intoClause is not None:
        into = node.intoClause.rel
        yield sim.Copy(_sources(node.fromClause))
        yield _create_rel(into, False, Hit(
            rule, f"SELECT ... INTO {_rel(into)} creates a table and has no IF NOT "
                  "EXISTS; use CREATE TABLE IF NOT EXISTS ... AS"), "table")
    elif isinstance(node, ast.CreateStatsStmt):
        yield sim.Create(("statistics", "", _dotted(node.defnames)), node.if_not_exists, Hit(
            rule, f"CREATE STATISTICS {_dotted(node.defnames)} {_NO_IF_NOT_EXISTS}"))
    elif isinstance(node, ast.CreateForeignServerStmt):
        yield sim.Create(("server", "", str(node.servername)), node.if_not_exists, Hit(
            rule, f"CREATE SERVER {node.servername} {_NO_IF_NOT_EXISTS}"))
    elif isinstance(node, ast.DefineStmt) and node.kind == ObjectType.OBJECT_COLLATION:
        yield sim.Create(("collation", "", _strings(node.defnames)[-1]), node.if_not_exists, Hit(
            rule, f"CREATE COLLATION {_dotted(node.defnames)} {_NO_IF_NOT_EXISTS}"))


def _replaces(node: ast.Node) -> Iterator[sim.Op]:
    """``create-or-replace``: objects whose CREATE has an OR REPLACE option (not triggers)."""
    rule = "create-or-replace"
    hint = "without OR REPLACE: a second run fails with 'already exists'"
    if isinstance(node, ast.ViewStmt) and node.view is not None:
        yield sim.Create(_rel_key(str(node.view.relname)), node.replace,
                         Hit(rule, f"CREATE VIEW {_rel(node.view)} {hint}"), relkind="view")
    elif isinstance(node, ast.CreateFunctionStmt):
        what = "PROCEDURE" if node.is_procedure else "FUNCTION"
        yield sim.Create(("function", "", _strings(node.funcname)[-1]), node.replace,
                         Hit(rule, f"CREATE {what} {_dotted(node.funcname)} {hint}"))
    elif isinstance(node, ast.RuleStmt):
        table = str(node.relation.relname) if node.relation is not None else "?"
        yield sim.Create(("rule", table, str(node.rulename)), node.replace,
                         Hit(rule, f"CREATE RULE {node.rulename} {hint}"))
    elif isinstance(node, ast.DefineStmt) and node.kind == ObjectType.OBJECT_AGGREGATE:
        yield sim.Create(("function", "", _strings(node.defnames)[-1]), node.replace,
                         Hit(rule, f"CREATE AGGREGATE {_dotted(node.defnames)} {hint}"))
    elif isinstance(node, ast.CreatePLangStmt):
        yield sim.Create(("language", "", str(node.plname)), node.replace,
                         Hit(rule, f"CREATE LANGUAGE {node.plname} {hint}"))
    elif isinstance(node, ast.CreateTransformStmt):
        yield sim.Create(("transform", "", _dotted(node.type_name)), node.replace,
                         Hit(rule, f"CREATE TRANSFORM FOR {_dotted(node.type_name)} {hint}"))


_REL_KINDS = {ObjectType.OBJECT_TABLE, ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW,
              ObjectType.OBJECT_INDEX, ObjectType.OBJECT_SEQUENCE, ObjectType.OBJECT_FOREIGN_TABLE}
_ON_TABLE = {ObjectType.OBJECT_TRIGGER: "trigger", ObjectType.OBJECT_POLICY: "policy",
             ObjectType.OBJECT_RULE: "rule"}
_KIND_NAMES = {ObjectType.OBJECT_TYPE: "type", ObjectType.OBJECT_DOMAIN: "type",
               ObjectType.OBJECT_FUNCTION: "function", ObjectType.OBJECT_PROCEDURE: "function",
               ObjectType.OBJECT_AGGREGATE: "function", ObjectType.OBJECT_ROUTINE: "function",
               ObjectType.OBJECT_SCHEMA: "schema", ObjectType.OBJECT_EXTENSION: "extension",
               ObjectType.OBJECT_PUBLICATION: "CREATE PUBLICATION",
               ObjectType.OBJECT_EVENT_TRIGGER: "CREATE EVENT TRIGGER",
               ObjectType.OBJECT_CAST: "CREATE CAST"}


def _object_key(kind: ObjectType | None, obj: object) -> sim.Key:
    names = _strings(obj)
    last = names[-1] if names else "?"
    if kind in _REL_KINDS:
        return _rel_key(last)
    if kind in _ON_TABLE:
        return (_ON_TABLE[kind], names[-2] if len(names) >= 2 else "?", last)
    if kind == ObjectType.OBJECT_CAST:
        return ("CREATE CAST", "", ".".join(names))
    label = _KIND_NAMES[kind] if kind is not None and kind in _KIND_NAMES else _kind(kind)
    return (label, "", last)


def _drops(node: ast.Node) -> Iterator[sim.Op]:
    """``drop-if-exists``: every DROP has IF EXISTS; a second run must find nothing to drop."""
    rule = "drop-if-exists"
    if isinstance(node, ast.DropStmt):
        names = ", ".join(_dotted(o) for o in node.objects or ()) or "?"
        hit = Hit(rule, f"DROP {_kind(node.removeType)} {names} {_GONE}")
        cascade = node.behavior == DropBehavior.DROP_CASCADE
        for obj in node.objects or ():
            key = _object_key(node.removeType, obj)
            loses = None
            if node.removeType == ObjectType.OBJECT_TABLE:
                loses = Hit("drop-recreate-loses-data",
                            f"a second run drops and recreates {_dotted(obj)}: its rows are "
                            "lost", sim.DESTROYS)
            yield sim.Drop(key, node.missing_ok, hit, cascade=cascade, loses=loses)
    elif isinstance(node, ast.DropRoleStmt):
        names = ", ".join(r.rolename or "?" for r in node.roles or ())
        for role in node.roles or ():
            yield sim.Drop(("CREATE ROLE", "", role.rolename or "?"), node.missing_ok,
                           Hit(rule, f"DROP ROLE {names} {_GONE}"))
    elif isinstance(node, ast.DropdbStmt):
        yield sim.Drop(("CREATE DATABASE", "", str(node.dbname)), node.missing_ok,
                       Hit(rule, f"DROP DATABASE {node.dbname} {_GONE}"))
    elif isinstance(node, ast.DropTableSpaceStmt):
        yield sim.Drop(("CREATE TABLESPACE", "", str(node.tablespacename)), node.missing_ok,
                       Hit(rule, f"DROP TABLESPACE {node.tablespacename} {_GONE}"))
    elif isinstance(node, ast.DropSubscriptionStmt):
        yield sim.Drop(("CREATE SUBSCRIPTION", "", str(node.subname)), node.missing_ok,
                       Hit(rule, f"DROP SUBSCRIPTION {node.subname} {_GONE}"))
    elif isinstance(node, ast.DropUserMappingStmt) and not node.missing_ok:
        yield sim.Static(Hit(rule, f"DROP USER MAPPING FOR SERVER {node.servername} {_GONE}"))


def _alter_table(node: ast.AlterTableStmt) -> Iterator[sim.Op]:
    """ADD COLUMN / DROP COLUMN / DROP CONSTRAINT / ADD CONSTRAINT, in command order."""
    if node.relation is None or not node.relation.relname:
        return
    table = str(node.relation.relname)
    rel = _rel(node.relation)
    yield sim.RequireTable(table, node.missing_ok)
    for cmd in node.cmds or ():
        if not isinstance(cmd, ast.AlterTableCmd):
            continue
        subtype = cmd.subtype
        if subtype == AlterTableType.AT_AddColumn:
            col = cmd.def_.colname if isinstance(cmd.def_, ast.ColumnDef) else "?"
            yield sim.Create(("column", table, str(col)), cmd.missing_ok, Hit(
                "add-column-if-not-exists", f"ALTER TABLE {rel} ADD COLUMN {col} {_NO_IF_NOT_EXISTS}"))
        elif subtype == AlterTableType.AT_DropColumn:
            yield sim.Drop(("column", table, str(cmd.name)), cmd.missing_ok, Hit(
                "drop-if-exists", f"ALTER TABLE {rel} DROP COLUMN {cmd.name} {_GONE}"), loses=Hit(
                "drop-recreate-loses-data", f"a second run drops and re-adds column {cmd.name} "
                f"of {rel}: its values are lost", sim.DESTROYS))
        elif subtype == AlterTableType.AT_DropConstraint:
            yield sim.Drop(("constraint", table, str(cmd.name)), cmd.missing_ok, Hit(
                "drop-if-exists", f"ALTER TABLE {rel} DROP CONSTRAINT {cmd.name} {_GONE}"))
        elif subtype == AlterTableType.AT_AddConstraint and isinstance(cmd.def_, ast.Constraint):
            yield from _add_constraint(table, rel, cmd.def_)


#: PostgreSQL's NAMEDATALEN - 1: the longest name it keeps.
_MAX_NAME = 63


def _object_name(table: str, columns: str, label: str) -> str:
    """PostgreSQL's makeObjectName: ``<table>_<columns>_<label>``, the two names shortened
    in turn (the longer first) until the whole fits in 63 bytes."""
    room = _MAX_NAME - len(label) - 1 - (1 if columns else 0)
    a, b = len(table), len(columns)
    while a + b > room:
        if a > b:
            a -= 1
        else:
            b -= 1
    return "_".join(p for p in (table[:a], columns[:b], label) if p)


def _column_refs(node: object, *, skip_sublinks: bool = True) -> list[str]:
    """Column names an expression reads (the last field of each ColumnRef), in order; a
    subquery's columns may be another table's, so they are left out."""
    found: list[str] = []
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.SubLink) and skip_sublinks:
            continue
        if isinstance(item, ast.ColumnRef):
            names = _strings(item.fields)
            if names:
                found.append(names[-1])
        elif isinstance(item, ast.Node):
            stack.extend(getattr(item, name) for name in item)
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found


def _default_constraint_name(table: str, con: ast.Constraint) -> str | None:
    """The name PostgreSQL gives an unnamed FOREIGN KEY, UNIQUE or CHECK when it is free."""
    if con.contype == ConstrType.CONSTR_FOREIGN:
        return _object_name(table, "_".join(_strings(con.fk_attrs)), "fkey")
    if con.contype == ConstrType.CONSTR_UNIQUE and con.keys:
        return _object_name(table, "_".join(_strings(con.keys)), "key")
    if con.contype == ConstrType.CONSTR_CHECK:
        # "t_col_check" when the expression reads exactly one column, else "t_check".
        columns = set(_column_refs(con.raw_expr))
        return _object_name(table, columns.pop() if len(columns) == 1 else "", "check")
    return None


def _add_constraint(table: str, rel: str, con: ast.Constraint) -> Iterator[sim.Op]:
    rule = "unguarded-add-constraint"
    if con.conname:
        yield sim.Create(("constraint", table, con.conname), False, Hit(
            rule, f"ALTER TABLE {rel} ADD CONSTRAINT {con.conname} has no IF NOT EXISTS: "
                  f"{_GUARD_HINT}"))
    elif con.contype == ConstrType.CONSTR_PRIMARY:
        # A table has one primary key, named <table>_pkey unless named otherwise.
        yield sim.Create(("constraint", table, f"{table}_pkey"), False, Hit(
            rule, f"ALTER TABLE {rel} ADD PRIMARY KEY fails on a second run (a table has one "
                  "primary key): drop it first (DROP CONSTRAINT IF EXISTS) or guard it"))
    else:
        yield sim.Auto(table, Hit(
            rule, f"ALTER TABLE {rel} ADD CONSTRAINT without a name adds a duplicate on every "
                  "run; name it and guard it (DO block, or DROP CONSTRAINT IF EXISTS first)",
            sim.DUPLICATES), _default_constraint_name(table, con))


def _guarded_creates(node: ast.Node) -> Iterator[sim.Op]:
    """Triggers, policies and types: no IF NOT EXISTS, so a guard is required."""
    if isinstance(node, ast.CreateTrigStmt):
        if node.isconstraint:
            fix = "CONSTRAINT TRIGGER has no OR REPLACE; " + _GUARD_HINT
        else:
            fix = "use CREATE OR REPLACE TRIGGER (PostgreSQL 14+), or " + _GUARD_HINT
        table = str(node.relation.relname) if node.relation is not None else "?"
        yield sim.Create(("trigger", table, str(node.trigname)), node.replace, Hit(
            "unguarded-trigger", f"CREATE TRIGGER {node.trigname} ON {_rel(node.relation)} "
                                 f"fails on a second run: {fix}"))
    elif isinstance(node, ast.CreatePolicyStmt):
        table = str(node.table.relname) if node.table is not None else "?"
        yield sim.Create(("policy", table, str(node.policy_name)), False, Hit(
            "unguarded-policy", f"CREATE POLICY {node.policy_name} ON {_rel(node.table)} has no "
                                f"IF NOT EXISTS: {_GUARD_HINT}"))
    else:
        what, names = _type_created(node)
        if what is not None and names:
            label = what.format(".".join(names))
            yield sim.Create(("type", "", names[-1]), False, Hit(
                "unguarded-create-type", f"{label} has no IF NOT EXISTS: {_GUARD_HINT}"))
            if isinstance(node, ast.CreateEnumStmt):
                for value in _strings(node.vals):
                    yield sim.Create(("enumval", names[-1], value), True, None)


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


_OTHER_CREATES: dict[type[ast.Node], tuple[str, str | None]] = {
    ast.CreateRoleStmt: ("CREATE ROLE", "role"),
    ast.CreatePublicationStmt: ("CREATE PUBLICATION", "pubname"),
    ast.CreateSubscriptionStmt: ("CREATE SUBSCRIPTION", "subname"),
    ast.CreateEventTrigStmt: ("CREATE EVENT TRIGGER", "trigname"),
    ast.CreateCastStmt: ("CREATE CAST", None),
    ast.CreateOpClassStmt: ("CREATE OPERATOR CLASS", None),
    ast.CreateOpFamilyStmt: ("CREATE OPERATOR FAMILY", None),
    ast.CreateConversionStmt: ("CREATE CONVERSION", None),
    ast.CreateAmStmt: ("CREATE ACCESS METHOD", "amname"),
    ast.CreatedbStmt: ("CREATE DATABASE", "dbname"),
    ast.CreateTableSpaceStmt: ("CREATE TABLESPACE", "tablespacename"),
}


def _other(node: ast.Node) -> Iterator[sim.Op]:
    """``unguarded-create``, ``add-enum-value-if-not-exists`` and ``unguarded-rename``."""
    label, attr = next((v for k, v in _OTHER_CREATES.items() if isinstance(node, k)),
                       (None, None))
    if label is None and isinstance(node, ast.DefineStmt) and node.kind in (
        ObjectType.OBJECT_OPERATOR, ObjectType.OBJECT_TSCONFIGURATION,
        ObjectType.OBJECT_TSDICTIONARY, ObjectType.OBJECT_TSPARSER, ObjectType.OBJECT_TSTEMPLATE,
    ):
        label = f"CREATE {_kind(node.kind)}"
    if label is not None:
        hit = Hit("unguarded-create", f"{label} has no IF NOT EXISTS: wrap it in a DO block "
                                      "that checks the catalog first")
        name = getattr(node, attr, None) if attr else None
        if isinstance(node, ast.CreateCastStmt):
            name = ".".join(_strings([node.sourcetype, node.targettype]))
        yield sim.Create((label, "", str(name)), False, hit) if name else sim.Static(hit)
    if isinstance(node, ast.AlterEnumStmt):
        enum = _strings(node.typeName)[-1] if _strings(node.typeName) else "?"
        if node.oldVal is not None:
            yield sim.Rename(("enumval", enum, node.oldVal), ("enumval", enum, str(node.newVal)),
                             False, Hit("unguarded-rename", f"ALTER TYPE {_dotted(node.typeName)} "
                                        f"RENAME VALUE {node.oldVal!r} fails on a second run: "
                                        "guard it in a DO block"))
        else:
            yield sim.Create(("enumval", enum, str(node.newVal)), node.skipIfNewValExists, Hit(
                "add-enum-value-if-not-exists",
                f"ALTER TYPE {_dotted(node.typeName)} ADD VALUE {node.newVal!r} {_NO_IF_NOT_EXISTS}"))
    if isinstance(node, ast.RenameStmt):
        yield from _rename(node)


_RENAMED_IN_TABLE = {ObjectType.OBJECT_COLUMN: "column", ObjectType.OBJECT_TABCONSTRAINT:
                     "constraint", ObjectType.OBJECT_TRIGGER: "trigger",
                     ObjectType.OBJECT_POLICY: "policy", ObjectType.OBJECT_RULE: "rule"}


def _rename(node: ast.RenameStmt) -> Iterator[sim.Op]:
    whole = node.relation is not None and node.subname is None and node.renameType in _REL_KINDS
    target = _rel(node.relation) if node.relation is not None else _dotted(node.object)
    sub = f" {node.subname}" if node.subname else ""
    hit = Hit("unguarded-rename",
              f"RENAME of {_kind(node.renameType)} {target}{sub} to {node.newname} fails on a "
              "second run: guard it in a DO block" + (" or use ALTER ... IF EXISTS" if whole else ""))
    table = str(node.relation.relname) if node.relation is not None and node.relation.relname \
        else None
    new = str(node.newname)
    if whole and table:
        yield sim.Rename(_rel_key(table), _rel_key(new), node.missing_ok, hit)
    elif table and node.renameType in _RENAMED_IN_TABLE and node.subname:
        kind = _RENAMED_IN_TABLE[node.renameType]
        yield sim.RequireTable(table, node.missing_ok)
        yield sim.Rename((kind, table, node.subname), (kind, table, new), False, hit)
    elif node.renameType == ObjectType.OBJECT_SCHEMA and node.subname:
        yield sim.Rename(("schema", "", node.subname), ("schema", "", new), False, hit)
    elif node.renameType in _KIND_NAMES and node.object is not None:
        old = _object_key(node.renameType, node.object)
        yield sim.Rename(old, (old[0], "", new), node.missing_ok, hit)
    else:
        yield sim.Static(hit)


def _inserts(node: ast.Node) -> Iterator[ast.InsertStmt]:
    """The INSERTs a statement runs: itself, or data-modifying CTEs of a top-level query."""
    if isinstance(node, ast.InsertStmt):
        yield node
    with_clause = getattr(node, "withClause", None)
    if isinstance(with_clause, ast.WithClause):
        for cte in with_clause.ctes or ():
            if isinstance(cte, ast.CommonTableExpr) and cte.ctequery is not None:
                yield from _inserts(cte.ctequery)


def _constant_rows(insert: ast.InsertStmt) -> bool:
    """VALUES, DEFAULT VALUES or a SELECT of constants: the same rows again on every run.

    An ``INSERT ... SELECT ... FROM`` may find nothing to insert the second time (``WHERE NOT
    EXISTS``, rows moved out of the source), so lint cannot prove anything about it.
    """
    query = insert.selectStmt
    if query is None:
        return True
    if not isinstance(query, ast.SelectStmt) or query.op != SetOperation.SETOP_NONE:
        return False
    if query.valuesLists:
        return True
    return not query.fromClause and query.whereClause is None and query.havingClause is None


def _insert_ops(node: ast.Node, *, seed: bool) -> Iterator[sim.Op]:
    rule = "seed-insert-on-conflict" if seed else "migration-insert-on-conflict"
    # ``WITH old AS (SELECT ... FROM t) INSERT ...`` copies t too: the CTEs are read.
    outer = _sources(getattr(node, "withClause", None))
    for insert in _inserts(node):
        if insert.relation is None or not insert.relation.relname:
            continue
        table = str(insert.relation.relname)
        sources = _sources(insert.selectStmt) | _sources(insert.withClause) | outer
        hit = None
        if insert.onConflictClause is None and _constant_rows(insert):
            hit = Hit(rule, f"INSERT INTO {_rel(insert.relation)} without ON CONFLICT: a second "
                            "run duplicates rows or fails; use ON CONFLICT ... DO UPDATE (or DO "
                            "NOTHING)", sim.FAILS_OR_DUPLICATES)
        elif insert.onConflictClause is None and sources and table not in sources:
            # INSERT ... SELECT ... FROM: the same rows again, unless the query reads the
            # target (WHERE NOT EXISTS, an anti-join) or the file removes the source rows
            # (unprovable_inserts).
            hit = Hit(rule, f"INSERT INTO {_rel(insert.relation)} ... SELECT without ON "
                            "CONFLICT: a second run copies the same rows again (a duplicate key "
                            "fails, otherwise the rows are duplicated); use ON CONFLICT DO "
                            f"NOTHING, or WHERE NOT EXISTS (SELECT FROM {_rel(insert.relation)} "
                            "...)", sim.FAILS_OR_DUPLICATES)
        for target in insert.cols or ():
            if isinstance(target, ast.ResTarget) and target.name:
                yield sim.UseColumn(table, str(target.name),
                                    _gone_column(_rel(insert.relation), str(target.name)))
        yield sim.Insert(table, hit, sources)


def _gone_column(rel: str, column: str) -> Hit:
    return Hit("column-dropped-then-used",
               f"this statement uses column {column} of {rel}, which the file drops or renames "
               "further down: a second run fails here ('column does not exist'); guard it, or "
               "move it into the statement that drops the column", sim.FAILS)


def _column_uses(node: ast.Node) -> Iterator[sim.Op]:
    """Columns a statement names on one table: UPDATE (SET targets, and the columns its
    expressions read when it has no FROM), CREATE INDEX, ALTER TABLE ... ALTER COLUMN."""
    if isinstance(node, ast.UpdateStmt) and node.relation is not None and node.relation.relname:
        table, rel = str(node.relation.relname), _rel(node.relation)
        names = [str(t.name) for t in node.targetList or ()
                 if isinstance(t, ast.ResTarget) and t.name]
        if not node.fromClause:
            # Without FROM every unqualified column is the table's own (subqueries aside).
            names += _column_refs([node.targetList, node.whereClause])
        for column in dict.fromkeys(names):
            yield sim.UseColumn(table, column, _gone_column(rel, column))
    elif isinstance(node, ast.IndexStmt) and node.relation is not None and node.relation.relname:
        table, rel = str(node.relation.relname), _rel(node.relation)
        for elem in node.indexParams or ():
            if isinstance(elem, ast.IndexElem) and elem.name:
                yield sim.UseColumn(table, str(elem.name), _gone_column(rel, str(elem.name)))
    elif isinstance(node, ast.AlterTableStmt) and node.relation is not None and \
            node.relation.relname:
        table, rel = str(node.relation.relname), _rel(node.relation)
        for cmd in node.cmds or ():
            if isinstance(cmd, ast.AlterTableCmd) and cmd.name and cmd.subtype in _ALTER_COLUMN:
                yield sim.UseColumn(table, str(cmd.name), _gone_column(rel, str(cmd.name)))


_ALTER_COLUMN = {AlterTableType.AT_ColumnDefault, AlterTableType.AT_DropNotNull,
                 AlterTableType.AT_SetNotNull, AlterTableType.AT_AlterColumnType,
                 AlterTableType.AT_SetStatistics, AlterTableType.AT_SetStorage}


def _empties(node: ast.Node) -> Iterator[sim.Op]:
    """TRUNCATE / DELETE without WHERE; an UPDATE may copy one column into another."""
    if isinstance(node, ast.UpdateStmt) and node.relation is not None and node.relation.relname:
        yield sim.Copy(frozenset({str(node.relation.relname)}))
    if isinstance(node, ast.TruncateStmt):
        for rv in node.relations or ():
            if isinstance(rv, ast.RangeVar) and rv.relname:
                yield sim.Empty(str(rv.relname))
    elif isinstance(node, ast.DeleteStmt) and node.whereClause is None and \
            node.relation is not None and node.relation.relname:
        yield sim.Empty(str(node.relation.relname))


def statement_ops(node: ast.Node, *, seed: bool) -> list[sim.Op]:
    ops: list[sim.Op] = []
    if isinstance(node, ast.TransactionStmt):
        ops.append(sim.Static(Hit(
            # lint.py keeps it only where the engine refuses the file, in the engine's words.
            "transaction-control", "the engine cannot run this transaction control as written",
            sim.REFUSED)))
    ops.extend(_creates(node))
    ops.extend(_replaces(node))
    ops.extend(_drops(node))
    if isinstance(node, ast.AlterTableStmt):
        ops.extend(_alter_table(node))
    ops.extend(_guarded_creates(node))
    ops.extend(_other(node))
    ops.extend(_empties(node))
    # Before the statement's own drops and renames: it reads the column first.
    ops[:0] = list(_column_uses(node))
    ops.extend(_insert_ops(node, seed=seed))
    return ops


def deleted_tables(node: ast.Node | None, *, changed: bool = False) -> Iterator[str]:
    """The tables a statement deletes from (itself, or data-modifying CTEs); ``changed``
    adds those it updates or truncates: rows an INSERT ... SELECT read from them may not be
    there again on a second run."""
    kinds = (ast.DeleteStmt, ast.UpdateStmt) if changed else (ast.DeleteStmt,)
    if isinstance(node, kinds) and node.relation is not None and node.relation.relname:
        yield str(node.relation.relname)
    if changed and isinstance(node, ast.TruncateStmt):
        yield from (str(rv.relname) for rv in node.relations or ()
                    if isinstance(rv, ast.RangeVar) and rv.relname)
    with_clause = getattr(node, "withClause", None)
    if isinstance(with_clause, ast.WithClause):
        for cte in with_clause.ctes or ():
            if isinstance(cte, ast.CommonTableExpr) and cte.ctequery is not None:
                yield from deleted_tables(cte.ctequery, changed=changed)


def unprovable_inserts(statements: list[list[sim.Op]], deleted: set[str],
                       changed: set[str]) -> list[list[sim.Op]]:
    """A DELETE anywhere in the file may remove the rows again (or first), and an INSERT ...
    SELECT finds nothing to copy once its source was emptied or updated: no claim then."""
    return [[sim.Insert(op.table, None, op.sources)
             if isinstance(op, sim.Insert) and (op.table in deleted or op.sources & changed)
             else op for op in ops]
            for ops in statements]
