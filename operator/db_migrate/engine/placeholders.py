"""Flyway's placeholders: ``${name}`` in a file, replaced by a value before the file is parsed.

Flyway's documentation is the specification (README, "Coming from Flyway"):

* a placeholder runs from ``${`` to the next ``}``, anywhere in the file (comments, strings and
  ``$$`` bodies too: Flyway replaces the raw text before its parser sees it);
* names are matched case-insensitively (``${Schema}`` and ``${SCHEMA}`` are one placeholder);
* a placeholder without a value is an error, never left for the server to misread;
* Flyway's built-ins (``${flyway:user}`` ...) are filled in by the engine and win over values
  given by the user, as Flyway's parsing context wins over its configuration;
* a versioned file's checksum is taken from the file before replacement, a repeatable's after
  it (Flyway re-applies a repeatable when a placeholder's value changes, and one that uses
  ``${flyway:timestamp}`` on every run).

A file without ``${`` is never touched, so the sets written for db-migrate (which have none)
run byte for byte as before.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from db_migrate.engine.discovery import MigrationSet
from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.scripts import Kind, Script

PREFIX = "${"
SUFFIX = "}"
#: ``DB_MIGRATE_PLACEHOLDER_SCHEMA=app`` gives ``${schema}`` (names are case-insensitive).
ENV_PREFIX = "DB_MIGRATE_PLACEHOLDER_"
TIMESTAMP = "flyway:timestamp"
#: Flyway's format for ``${flyway:timestamp}`` ('yyyy-MM-dd HH:mm:ss', local time).
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def _key(name: str) -> str:
    return name.casefold()


def parse_assignment(text: str, *, source: str = "--placeholder") -> tuple[str, str]:
    """``NAME=VALUE`` (the value may contain ``=``, and may be empty, as in Flyway)."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise InvalidInput(f"invalid {source} {text!r}: expected NAME=VALUE")
    if SUFFIX in name or PREFIX in name:
        raise InvalidInput(f"invalid {source} {text!r}: the name must not contain '{{' or '}}'")
    return name, value


def from_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """``DB_MIGRATE_PLACEHOLDER_<NAME>`` variables, as name -> value."""
    return {k[len(ENV_PREFIX):]: v for k, v in environ.items()
            if k.startswith(ENV_PREFIX) and len(k) > len(ENV_PREFIX)}


def merge(*layers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Later layers win (``--placeholder`` over the environment); names case-insensitive."""
    merged: dict[str, tuple[str, str]] = {}
    for layer in layers:
        for name, value in layer:
            merged[_key(name)] = (name, value)
    return tuple(sorted(merged.values()))


def given(assignments: Iterable[str], environ: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """``--placeholder NAME=VALUE`` items over ``$DB_MIGRATE_PLACEHOLDER_<NAME>``."""
    return merge(from_environ(environ).items(), [parse_assignment(a) for a in assignments])


def uses(text: str) -> bool:
    return PREFIX in text


def uses_timestamp(text: str) -> bool:
    return f"{PREFIX}{TIMESTAMP}{SUFFIX}" in text.casefold()


@dataclass(frozen=True)
class Builtins:
    """Values of Flyway's built-in placeholders for one run (``${flyway:filename}`` is per file)."""

    user: str
    database: str
    #: The schema db-migrate manages (that of its history table), as Flyway's default schema
    #: is the one holding Flyway's history table.
    default_schema: str
    #: db-migrate's history table (the one that replaces ``flyway_schema_history``).
    table: str
    timestamp: str = dataclasses.field(
        default_factory=lambda: datetime.now().strftime(TIMESTAMP_FORMAT))
    working_directory: str = dataclasses.field(default_factory=os.getcwd)

    def values(self, filename: str) -> dict[str, str]:
        return {
            "flyway:defaultschema": self.default_schema,
            "flyway:user": self.user,
            "flyway:database": self.database,
            TIMESTAMP: self.timestamp,
            "flyway:filename": filename,
            "flyway:table": self.table,
            "flyway:workingdirectory": self.working_directory,
        }


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


@dataclass(frozen=True)
class Problem:
    """A placeholder that cannot be replaced: ``str()`` names the file, the line and the name."""

    origin: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.origin} line {self.line}: {self.message}"


def _missing(name: str) -> str:
    if name.casefold().startswith("flyway:"):
        return (f"db-migrate has no value for Flyway's built-in placeholder "
                f"{PREFIX}{name}{SUFFIX}; give one with --placeholder '{name}=VALUE'")
    return (f"no value for placeholder {PREFIX}{name}{SUFFIX}; give one with "
            f"--placeholder {name}=VALUE, {ENV_PREFIX}{name.upper()} or spec.placeholders "
            "(or turn replacement off with --no-placeholders)")


def replace(text: str, values: Mapping[str, str], origin: str) -> tuple[str, list[Problem]]:
    """The text with every placeholder replaced, and one problem per placeholder that has no
    value.  ``values`` is keyed by case-folded name."""
    if PREFIX not in text:
        return text, []
    out: list[str] = []
    problems: list[Problem] = []
    pos = 0
    while (start := text.find(PREFIX, pos)) >= 0:
        end = text.find(SUFFIX, start + len(PREFIX))
        if end < 0:
            problems.append(Problem(origin, _line(text, start), (
                f"placeholder {PREFIX} is never closed by {SUFFIX} (as in Flyway, {PREFIX} "
                "always starts one; --no-placeholders turns replacement off)")))
            break
        name = text[start + len(PREFIX):end]
        value = values.get(_key(name))
        if value is None:
            problems.append(Problem(origin, _line(text, start), _missing(name)))
            value = text[start:end + 1]
        out.append(text[pos:start])
        out.append(value)
        pos = end + len(SUFFIX)
    out.append(text[pos:])
    return "".join(out), problems


@dataclass(frozen=True)
class Expander:
    """Replaces placeholders in the scripts of one run."""

    user_values: tuple[tuple[str, str], ...]
    builtins: Builtins

    def values(self, filename: str) -> dict[str, str]:
        values = {_key(k): v for k, v in self.user_values}
        values.update(self.builtins.values(filename))
        return values

    def expand(self, script: Script) -> tuple[Script, list[Problem]]:
        """``script`` with its text replaced; a repeatable also gets the checksum of the
        replaced text and runs on every run if it uses ``${flyway:timestamp}``."""
        if not uses(script.text):
            return script, []
        text, problems = replace(script.text, self.values(script.name), script.origin)
        if not script.repeatable:
            return dataclasses.replace(script, text=text), problems
        return dataclasses.replace(
            script, text=text, checksum=hashlib.sha256(text.encode()).hexdigest(),
            runs_always=uses_timestamp(script.text)), problems


def expand_set(mset: MigrationSet, expander: Expander
               ) -> tuple[MigrationSet, dict[tuple[Kind, str], list[Problem]]]:
    """Every script of the set expanded, and the problems of each script that has some.

    A versioned file already applied may lack a value without harm (its text is not used
    again), so the caller decides which problems count: those of the files that run, and
    every repeatable's (its checksum needs the replaced text)."""
    problems: dict[tuple[Kind, str], list[Problem]] = {}

    def each(scripts: list[Script]) -> list[Script]:
        out = []
        for script in scripts:
            expanded, found = expander.expand(script)
            if found:
                problems[(script.kind, script.key)] = found
            out.append(expanded)
        return out

    return dataclasses.replace(
        mset, migrations=each(mset.migrations), repeatables=each(mset.repeatables),
        seeds={name: each(scripts) for name, scripts in mset.seeds.items()}), problems
