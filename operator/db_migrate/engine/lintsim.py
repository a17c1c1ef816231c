"""Lint's model of a file run twice: what the file itself creates, drops or renames.

A statement is judged by the state its objects are in *at that point of a second run*.  That
state is known exactly when the file itself set it: the first run's last effect on an object
is the second run's starting state, and every earlier statement of the second run moves it on.
So ``DROP TABLE t; CREATE TABLE t (...)`` is safe to rerun (the DROP finds ``t``, the CREATE
finds it gone), and an index swap (create new, drop old, rename new) is too.

Nothing outside the file is known.  An object the file never touched, or one a ``CASCADE``
may have removed, is *unknown*, and an unknown state never produces a finding: lint reports
only what it can prove from the file.  The lint rules themselves live in lint.py; this module
only decides which of their hits a second run really meets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

#: (kind, owning table or "", name).  Schemas are left out on purpose: see docs/lint.md.
Key = tuple[str, str, str]


class State(Enum):
    ABSENT = "absent"
    #: Created by this run of the file: empty, and anything the file adds to it is its own.
    FRESH = "fresh"
    EXISTS = "exists"


#: The claimed consequence of each finding, checked against a real server by the corpus test.
FAILS = "fails"
DUPLICATES = "duplicates"
FAILS_OR_DUPLICATES = "fails-or-duplicates"
DESTROYS = "destroys"
REFUSED = "refused"


@dataclass(frozen=True)
class Hit:
    rule: str
    message: str
    consequence: str | None = FAILS


@dataclass(frozen=True)
class Create:
    key: Key
    #: IF NOT EXISTS / OR REPLACE: never fails.
    guarded: bool | None
    hit: Hit | None
    #: CREATE TABLE IF NOT EXISTS that finds the table does nothing else (columns, keys).
    skip_rest_if_exists: bool = False
    relkind: str | None = None
    owner: str | None = None
    temporary: bool = False
    #: An index's columns, when they are plain columns: dropping another column keeps it.
    columns: frozenset[str] | None = None


@dataclass(frozen=True)
class Auto:
    """An unnamed index or constraint: every run adds one more, unless its table is new, or
    the file dropped the name PostgreSQL gives it (``t_col_fkey``) before re-adding it."""

    table: str
    hit: Hit
    #: The constraint name PostgreSQL chooses when it is free (``<table>_<cols>_fkey``).
    name: str | None = None


@dataclass(frozen=True)
class Drop:
    key: Key
    missing_ok: bool | None
    hit: Hit | None
    cascade: bool = False
    #: The data-loss finding when a second run drops something that held data.
    loses: Hit | None = None


@dataclass(frozen=True)
class Rename:
    old: Key
    new: Key
    missing_ok: bool | None
    hit: Hit | None


@dataclass(frozen=True)
class Insert:
    table: str
    #: Set when the rows are constants without ON CONFLICT (the same rows again on a rerun).
    hit: Hit | None
    sources: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Copy:
    """A statement that reads tables into another (``CREATE TABLE ... AS``): no data lost."""

    sources: frozenset[str]


@dataclass(frozen=True)
class Empty:
    """TRUNCATE or DELETE without WHERE: later constant INSERTs into it are the file's own."""

    table: str


@dataclass(frozen=True)
class RequireTable:
    """``ALTER TABLE [IF EXISTS] t``: with IF EXISTS and no table, the statement does nothing."""

    table: str
    missing_ok: bool | None


@dataclass(frozen=True)
class UseColumn:
    """A statement that reads or writes a column: it fails once the file dropped or renamed
    that column further down (the second run finds it gone)."""

    table: str
    column: str
    hit: Hit


@dataclass(frozen=True)
class Static:
    """A hit that does not depend on any state (transaction control, unnamed CREATE CAST, ...)."""

    hit: Hit


Op = Create | Auto | Drop | Rename | Insert | Copy | Empty | RequireTable | UseColumn | Static

#: Kinds a CASCADE never removes (it removes views, constraints, policies, triggers, ...).
_SURVIVES_CASCADE = {"schema", "role", "extension", "database", "tablespace"}


@dataclass
class _World:
    states: dict[Key, State] = field(default_factory=dict)
    relkind: dict[str, str] = field(default_factory=dict)
    index_owner: dict[str, str] = field(default_factory=dict)
    emptied: set[str] = field(default_factory=set)
    copied: set[str] = field(default_factory=set)
    temporary: set[str] = field(default_factory=set)
    index_columns: dict[str, frozenset[str]] = field(default_factory=dict)

    def copy(self) -> _World:
        return _World(dict(self.states), dict(self.relkind), dict(self.index_owner),
                      set(self.emptied), set(self.copied), set(self.temporary),
                      dict(self.index_columns))

    def table(self, name: str) -> State | None:
        return self.states.get(("rel", "", name))

    def settle(self) -> None:
        """End of the first run: the next one starts from here, with data the app may add."""
        for key, state in list(self.states.items()):
            if key[0] == "rel" and key[2] in self.temporary:
                self.states[key] = State.ABSENT  # gone with the session, keys and all
                self.drop_owned(key[2])
            elif state is State.FRESH and not (key[1] and key[1] in self.temporary):
                self.states[key] = State.EXISTS
        self.emptied.clear()
        self.copied.clear()

    def drop_owned(self, table: str) -> None:
        for key in list(self.states):
            if key[1] == table:
                self.states[key] = State.ABSENT
        for index, owner in list(self.index_owner.items()):
            if owner == table:
                self.states[("rel", "", index)] = State.ABSENT

    def forget(self, *, keep_table: str | None = None, only_owner: str | None = None,
               tables: bool = False, column: str | None = None) -> None:
        """Whatever a CASCADE (or a dropped column) may have taken with it becomes unknown;
        an index on other, known columns survives a dropped ``column``."""
        for key in list(self.states):
            kind, owner, name = key
            if column is not None and column not in self.index_columns.get(name, {column}):
                continue
            if kind in _SURVIVES_CASCADE or (
                    not tables and kind == "rel" and self.relkind.get(name) == "table"):
                continue
            if only_owner is not None and owner != only_owner and \
                    self.index_owner.get(name) != only_owner:
                continue
            if kind == "column" and owner == keep_table:
                continue
            del self.states[key]

    def move(self, old: Key, new: Key) -> None:
        self.states[new] = self.states.get(old, State.EXISTS)
        self.states[old] = State.ABSENT
        if old[0] == "rel":
            a, b = old[2], new[2]
            for key in list(self.states):
                if key[1] == a:
                    self.states[(key[0], b, key[2])] = self.states.pop(key)
            for index, owner in list(self.index_owner.items()):
                if owner == a:
                    self.index_owner[index] = b
            if a in self.relkind:
                self.relkind[b] = self.relkind.pop(a)
            if a in self.index_owner:
                self.index_owner[b] = self.index_owner.pop(a)
            if a in self.emptied:
                self.emptied.add(b)


class _Outcome(Enum):
    OK = 0
    FAIL = 1
    UNSURE = 2
    SKIP_REST = 3


def _create(w: _World, op: Create) -> _Outcome:
    state = w.states.get(op.key)
    if op.relkind is not None:
        w.relkind[op.key[2]] = op.relkind
    if op.owner is not None:
        w.index_owner[op.key[2]] = op.owner
    if op.columns is not None:
        w.index_columns[op.key[2]] = op.columns
    if op.temporary:
        w.temporary.add(op.key[2])
    if state in (State.EXISTS, State.FRESH):
        if op.guarded:
            return _Outcome.SKIP_REST if op.skip_rest_if_exists else _Outcome.OK
        return _Outcome.FAIL
    if state is None:
        w.states[op.key] = State.EXISTS
        return _Outcome.OK if op.guarded else _Outcome.UNSURE
    w.states[op.key] = State.FRESH
    if op.key[0] == "rel":
        w.emptied.add(op.key[2])
    return _Outcome.OK


def _drop(w: _World, op: Drop, hits: list[Hit]) -> _Outcome:
    state = w.states.get(op.key)
    kind, owner, name = op.key
    if state is State.ABSENT:
        return _Outcome.OK if op.missing_ok else _Outcome.FAIL
    if state is State.EXISTS and op.loses is not None and name not in w.copied and \
            owner not in w.copied:
        hits.append(op.loses)
    w.states[op.key] = State.ABSENT
    if kind in ("rel", "type"):
        w.drop_owned(name)  # a table's columns, keys, triggers; an enum's values
    elif kind == "column":
        w.forget(keep_table=owner, only_owner=owner, column=name)
    if kind == "schema" and op.cascade:
        w.forget(tables=True)  # names are not schema-qualified here, so all tables may be gone
    elif op.cascade:
        w.forget()
    return _Outcome.UNSURE if state is None and not op.missing_ok else _Outcome.OK


def _rename(w: _World, op: Rename) -> _Outcome:
    old, new = w.states.get(op.old), w.states.get(op.new)
    if old is State.ABSENT:
        return _Outcome.OK if op.missing_ok else _Outcome.FAIL
    if new in (State.EXISTS, State.FRESH):
        return _Outcome.FAIL
    w.move(op.old, op.new)
    return _Outcome.UNSURE if old is None or new is None else _Outcome.OK


def _run(w: _World, ops: list[Op]) -> tuple[_Outcome, list[Hit], list[Hit]]:
    """Apply one statement's ops; returns its outcome, its failure hits and its other hits."""
    worst = _Outcome.OK
    fails: list[Hit] = []
    others: list[Hit] = []
    for op in ops:
        outcome = _Outcome.OK
        if isinstance(op, Static):
            if op.hit.consequence == FAILS:
                outcome = _Outcome.FAIL
            else:
                others.append(op.hit)
        elif isinstance(op, RequireTable):
            if w.table(op.table) is State.ABSENT:
                outcome = _Outcome.SKIP_REST if op.missing_ok else _Outcome.FAIL
        elif isinstance(op, Create):
            outcome = _create(w, op)
        elif isinstance(op, Auto):
            named = ("constraint", op.table, op.name) if op.name else None
            gone = named is not None and w.states.get(named) is State.ABSENT
            if w.table(op.table) is not State.FRESH and not gone:
                others.append(op.hit)
            if named is not None and w.states.get(named) in (None, State.ABSENT):
                w.states[named] = State.EXISTS
        elif isinstance(op, UseColumn):
            if w.states.get(("column", op.table, op.column)) is State.ABSENT and \
                    w.table(op.table) is not State.ABSENT:
                outcome = _Outcome.FAIL
        elif isinstance(op, Drop):
            outcome = _drop(w, op, others)
        elif isinstance(op, Rename):
            outcome = _rename(w, op)
        elif isinstance(op, Insert):
            w.copied |= op.sources
            # Into a table the second run no longer has, the statement fails for a reason
            # reported where the table went (a CREATE that failed, a RENAME): no claim here.
            if op.hit is not None and w.table(op.table) not in (State.FRESH, State.ABSENT) \
                    and op.table not in w.emptied:
                others.append(op.hit)
        elif isinstance(op, Copy):
            w.copied |= op.sources
        elif isinstance(op, Empty):
            w.emptied.add(op.table)
        if outcome is _Outcome.FAIL:
            hit = getattr(op, "hit", None)
            if isinstance(hit, Hit):
                fails.append(hit)
            return _Outcome.FAIL, fails, []
        if outcome is _Outcome.SKIP_REST:
            break
        if outcome is _Outcome.UNSURE:
            worst = _Outcome.UNSURE
    # A statement that may fail on its own proves no duplicate and no loss.
    if worst is _Outcome.UNSURE:
        others = [h for h in others if h.consequence not in (DUPLICATES, DESTROYS,
                                                              FAILS_OR_DUPLICATES)]
    return worst, fails, others


def second_run_hits(statements: list[list[Op]]) -> list[list[Hit]]:
    """For each statement, the hits a second run of the whole file really meets."""
    world = _World()
    for ops in statements:
        _run(world, ops)  # the first run is assumed to succeed
    world.settle()
    result: list[list[Hit]] = []
    for ops in statements:
        trial = world.copy()
        outcome, fails, others = _run(trial, ops)
        if outcome is not _Outcome.FAIL:
            world = trial  # a failed statement changes nothing
        seen: list[Hit] = []
        for hit in fails + others:
            if hit not in seen:
                seen.append(hit)
        result.append(seen)
    return result
