"""A comparable snapshot of everything a migration or seed can change in a database.

``verify-idempotency`` takes one after applying everything and one after running each file a
second time; :func:`diff` names what the second run changed.  A snapshot is plain data
(``section -> object name -> fields``), deterministic for an unchanged database, and JSON-able.

What is in it: schemas, extensions, tables, columns, views (definitions), indexes
(``pg_get_indexdef`` and validity), constraints (``pg_get_constraintdef``), functions (a
SHA-256 of ``pg_get_functiondef``), triggers, policies, sequences (definition only), types,
and the exact row count plus an order-independent content hash of every user table.

What is deliberately NOT in it: sequence ``last_value`` (an ``INSERT ... ON CONFLICT`` draws a
value even when it updates nothing, so it moves on harmless reruns), statistics, OIDs, and
objects owned by extensions (their version is recorded instead).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from psycopg import sql

from db_migrate.engine.connection import Conn

#: ``section -> object name -> fields``; every value is JSON-serialisable.
Snapshot = dict[str, dict[str, object]]

_USER_NS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'"


def _not_extension_member(catalog: str, oid: str) -> str:
    return (f"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS d WHERE d.classid = "
            f"'pg_catalog.{catalog}'::regclass AND d.objid = {oid} AND d.deptype = 'e')")


_SCHEMAS = f"""
SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace'), n.nspacl::text
  FROM pg_catalog.pg_namespace AS n
 WHERE {_USER_NS} AND {_not_extension_member('pg_namespace', 'n.oid')}
"""

_EXTENSIONS = """
SELECT e.extname, e.extversion, n.nspname
  FROM pg_catalog.pg_extension AS e JOIN pg_catalog.pg_namespace AS n ON n.oid = e.extnamespace
"""

_RELATIONS = f"""
SELECT n.nspname, c.relname, c.relkind::text, c.relpersistence::text, c.relrowsecurity,
       c.relforcerowsecurity, c.reloptions::text, pg_catalog.obj_description(c.oid, 'pg_class'),
       c.relacl::text,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END,
       pg_catalog.pg_get_expr(c.relpartbound, c.oid)
  FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm') AND {_USER_NS}
   AND {_not_extension_member('pg_class', 'c.oid')}
"""

_COLUMNS = f"""
SELECT n.nspname, c.relname, a.attname, a.attnum,
       pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity::text, a.attgenerated::text,
       pg_catalog.col_description(c.oid, a.attnum)
  FROM pg_catalog.pg_attribute AS a
  JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attrdef AS ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
   AND {_USER_NS} AND {_not_extension_member('pg_class', 'c.oid')}
   AND {_not_extension_member('pg_type', 'c.reltype')}
"""

_INDEXES = f"""
SELECT n.nspname, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid), i.indisvalid,
       i.indisready, pg_catalog.obj_description(ic.oid, 'pg_class')
  FROM pg_catalog.pg_index AS i
  JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_namespace AS n ON n.oid = ic.relnamespace
 WHERE {_USER_NS} AND {_not_extension_member('pg_class', 'i.indrelid')}
"""

_CONSTRAINTS = f"""
SELECT n.nspname, COALESCE(c.relname, t.typname), con.conname, con.contype::text,
       pg_catalog.pg_get_constraintdef(con.oid, true), con.convalidated
  FROM pg_catalog.pg_constraint AS con
  JOIN pg_catalog.pg_namespace AS n ON n.oid = con.connamespace
  LEFT JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
  LEFT JOIN pg_catalog.pg_type AS t ON t.oid = con.contypid
 WHERE {_USER_NS} AND (c.oid IS NOT NULL OR t.oid IS NOT NULL)
   AND {_not_extension_member('pg_class', 'con.conrelid')}
   AND {_not_extension_member('pg_type', 'con.contypid')}
"""

# pg_get_functiondef refuses aggregates; their pg_aggregate row describes them instead.
_FUNCTIONS = f"""
SELECT n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),
       p.prokind::text,
       CASE WHEN p.prokind = 'a'
            THEN (SELECT a::text FROM pg_catalog.pg_aggregate AS a WHERE a.aggfnoid = p.oid)
                 || pg_catalog.pg_get_function_result(p.oid)
            ELSE pg_catalog.pg_get_functiondef(p.oid) END,
       p.proacl::text, pg_catalog.obj_description(p.oid, 'pg_proc')
  FROM pg_catalog.pg_proc AS p JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
 WHERE {_USER_NS} AND {_not_extension_member('pg_proc', 'p.oid')}
"""

_TRIGGERS = f"""
SELECT n.nspname, c.relname, t.tgname, pg_catalog.pg_get_triggerdef(t.oid, true), t.tgenabled::text
  FROM pg_catalog.pg_trigger AS t
  JOIN pg_catalog.pg_class AS c ON c.oid = t.tgrelid
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE NOT t.tgisinternal AND {_USER_NS} AND {_not_extension_member('pg_class', 'c.oid')}
"""

_POLICIES = """
SELECT schemaname, tablename, policyname, permissive, roles::text, cmd, qual, with_check
  FROM pg_catalog.pg_policies
"""

_SEQUENCES = f"""
SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart,
       s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle
  FROM pg_catalog.pg_sequence AS s
  JOIN pg_catalog.pg_class AS c ON c.oid = s.seqrelid
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE {_USER_NS} AND {_not_extension_member('pg_class', 'c.oid')}
"""

# Array types come with every type; relation row types with every table (columns cover them).
_TYPES = f"""
SELECT n.nspname, t.typname, t.typtype::text,
       CASE WHEN t.typtype = 'e' THEN (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
                                         FROM pg_catalog.pg_enum AS e WHERE e.enumtypid = t.oid) END,
       CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
       CASE WHEN t.typtype = 'r' THEN (SELECT pg_catalog.format_type(r.rngsubtype, NULL)
                                         FROM pg_catalog.pg_range AS r WHERE r.rngtypid = t.oid) END,
       t.typnotnull, t.typdefault, pg_catalog.obj_description(t.oid, 'pg_type')
  FROM pg_catalog.pg_type AS t JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
 WHERE {_USER_NS} AND {_not_extension_member('pg_type', 't.oid')}
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type AS el WHERE el.typarray = t.oid)
   AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_catalog.pg_class AS rc
                                   WHERE rc.oid = t.typrelid AND rc.relkind = 'c'))
"""

_TABLES_WITH_ROWS = f"""
SELECT n.nspname, c.relname
  FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND {_USER_NS} AND {_not_extension_member('pg_class', 'c.oid')}
 ORDER BY 1, 2
"""


def _rows(conn: Conn, query: str) -> list[tuple[object, ...]]:
    return list(conn.execute(query).fetchall())


def _sha256(text: object) -> str | None:
    return hashlib.sha256(str(text).encode()).hexdigest() if text is not None else None


def _row_counts(conn: Conn, exclude: set[tuple[str, str]], contents: bool) -> dict[str, object]:
    tables = [(str(s), str(t)) for s, t in _rows(conn, _TABLES_WITH_ROWS)
              if (str(s), str(t)) not in exclude]
    if not tables:
        return {}
    # One round trip for all tables.  The content hash is a sum of per-row hashes: independent
    # of row order, constant memory, and any changed, added or removed row moves it.
    content = (sql.SQL("COALESCE(sum(pg_catalog.hashtextextended(ROW(r.*)::text, 0)::numeric), 0)::text")
               if contents else sql.SQL("NULL::text"))
    parts = [
        sql.SQL("SELECT {key}, count(*), {content} FROM ONLY {table} AS r").format(
            key=sql.Literal(f"{schema}.{table}"), content=content,
            table=sql.Identifier(schema, table))
        for schema, table in tables
    ]
    query = sql.SQL(" UNION ALL ").join(parts)
    return {str(key): {"count": int(str(count)), "content": digest}
            for key, count, digest in conn.execute(query).fetchall()}


def snapshot(conn: Conn, *, exclude_rows_of: Iterable[tuple[str, str]] = (),
             row_contents: bool = True) -> Snapshot:
    """Read the catalog (about a dozen queries) into a comparable :data:`Snapshot`.

    ``exclude_rows_of`` lists ``(schema, table)`` pairs whose rows are not counted, i.e. the
    history table, which the engine itself writes.  ``row_contents=False`` compares row counts
    only.
    """
    snap: Snapshot = {
        "schemas": {str(name): {"comment": comment, "acl": acl}
                    for name, comment, acl in _rows(conn, _SCHEMAS)},
        "extensions": {str(name): {"version": version, "schema": schema}
                       for name, version, schema in _rows(conn, _EXTENSIONS)},
        "tables": {}, "views": {}, "columns": {}, "indexes": {}, "constraints": {},
        "functions": {}, "triggers": {}, "policies": {}, "sequences": {}, "types": {},
    }
    for schema, rel, kind, persistence, rls, force, options, comment, acl, viewdef, bound in \
            _rows(conn, _RELATIONS):
        fields: dict[str, object] = {"kind": kind, "options": options, "comment": comment,
                                     "acl": acl}
        if kind in ("v", "m"):
            snap["views"][f"{schema}.{rel}"] = {**fields, "definition": viewdef}
        else:
            snap["tables"][f"{schema}.{rel}"] = {
                **fields, "persistence": persistence, "row_security": rls,
                "force_row_security": force, "partition_bound": bound}
    for schema, rel, col, num, typ, notnull, default, identity, generated, comment in \
            _rows(conn, _COLUMNS):
        snap["columns"][f"{schema}.{rel}.{col}"] = {
            "position": num, "type": typ, "not_null": notnull, "default": default,
            "identity": identity or None, "generated": generated or None, "comment": comment}
    for schema, name, definition, valid, ready, comment in _rows(conn, _INDEXES):
        snap["indexes"][f"{schema}.{name}"] = {"definition": definition, "valid": valid,
                                               "ready": ready, "comment": comment}
    for schema, owner, name, contype, definition, validated in _rows(conn, _CONSTRAINTS):
        snap["constraints"][f"{schema}.{owner}.{name}"] = {
            "type": contype, "definition": definition, "validated": validated}
    for schema, name, args, kind, definition, acl, comment in _rows(conn, _FUNCTIONS):
        snap["functions"][f"{schema}.{name}({args})"] = {
            "kind": kind, "definition_sha256": _sha256(definition), "acl": acl, "comment": comment}
    for schema, rel, name, definition, enabled in _rows(conn, _TRIGGERS):
        snap["triggers"][f"{schema}.{rel}.{name}"] = {"definition": definition, "enabled": enabled}
    for schema, rel, name, permissive, roles, cmd, qual, check in _rows(conn, _POLICIES):
        snap["policies"][f"{schema}.{rel}.{name}"] = {
            "permissive": permissive, "roles": roles, "command": cmd, "using": qual,
            "with_check": check}
    for schema, name, typ, start, inc, lo, hi, cache, cycle in _rows(conn, _SEQUENCES):
        snap["sequences"][f"{schema}.{name}"] = {
            "type": typ, "start": start, "increment": inc, "min": lo, "max": hi, "cache": cache,
            "cycle": cycle}
    for schema, name, kind, labels, base, subtype, notnull, default, comment in _rows(conn, _TYPES):
        snap["types"][f"{schema}.{name}"] = {
            "kind": kind, "labels": labels, "base_type": base, "subtype": subtype,
            "not_null": notnull, "default": default, "comment": comment}
    snap["rows"] = _row_counts(conn, set(exclude_rows_of), row_contents)
    return snap


# --------------------------------------------------------------------------------------------
# Comparing

_SINGULAR = {
    "schemas": "schema", "extensions": "extension", "tables": "table", "views": "view",
    "columns": "column", "indexes": "index", "constraints": "constraint",
    "functions": "function", "triggers": "trigger", "policies": "policy",
    "sequences": "sequence", "types": "type", "rows": "rows of",
}
_LONGEST_VALUE = 80


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _LONGEST_VALUE else text[: _LONGEST_VALUE - 3] + "..."


def _rows_change(key: str, old: object, new: object) -> str | None:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    if old.get("count") != new.get("count"):
        return f"rows of {key}: {old.get('count')} -> {new.get('count')}"
    if old.get("content") != new.get("content"):
        return f"rows of {key}: same count ({old.get('count')}) but contents changed"
    return None


def _fields_change(label: str, key: str, old: object, new: object) -> str | None:
    if old == new:
        return None
    if not isinstance(old, dict) or not isinstance(new, dict):
        return f"{label} {key}: {_show(old)} -> {_show(new)}"
    changes = []
    for field in sorted(set(old) | set(new)):
        a, b = old.get(field), new.get(field)
        if a == b:
            continue
        # Hashes and long or multi-line texts (definitions) say nothing useful when printed.
        opaque = field.endswith("_sha256") or any(
            len(repr(v)) > _LONGEST_VALUE or "\n" in str(v) for v in (a, b))
        changes.append(f"{field.removesuffix('_sha256')} changed" if opaque
                       else f"{field} {_show(a)} -> {_show(b)}")
    return f"{label} {key}: " + "; ".join(changes)


def diff(a: Snapshot, b: Snapshot) -> list[str]:
    """Human-readable differences from ``a`` to ``b``; empty when nothing changed."""
    out: list[str] = []
    for section in sorted(set(a) | set(b)):
        label = _SINGULAR.get(section, section)
        old, new = a.get(section, {}), b.get(section, {})
        for key in sorted(set(old) | set(new)):
            if key not in old:
                if section == "rows":
                    row_info = new[key]
                    count = row_info.get("count") if isinstance(row_info, dict) else row_info
                    out.append(f"rows of {key}: new table with {count} rows")
                else:
                    out.append(f"{label} {key} was added")
            elif key not in new:
                out.append(f"{label} {key} was removed" if section != "rows"
                           else f"rows of {key}: table is gone")
            elif section == "rows":
                change = _rows_change(key, old[key], new[key])
                if change is not None:
                    out.append(change)
            else:
                change = _fields_change(label, key, old[key], new[key])
                if change is not None:
                    out.append(change)
    return out
