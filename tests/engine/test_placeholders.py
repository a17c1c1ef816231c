"""Flyway's placeholder rules on their own (engine/placeholders.py): pure, no server."""

from __future__ import annotations

import hashlib

import pytest

from db_migrate.engine import placeholders
from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.version import Version

BUILTINS = placeholders.Builtins(user="app", database="shop", default_schema="public",
                                 table="_schema_migrations", timestamp="2026-01-02 03:04:05",
                                 working_directory="/work")


def script(name: str, text: str, version: int | None = 1) -> Script:
    return Script(Kind.MIGRATION, name, f"migrations/db/{name}", text,
                  hashlib.sha256(text.encode()).hexdigest(),
                  Version.of(version) if version is not None else None, "x")


@pytest.mark.parametrize(("given", "expected"), [
    ("schema=app", ("schema", "app")),
    ("url=a=b", ("url", "a=b")),
    ("empty=", ("empty", "")),
    ("flyway:environment=prod", ("flyway:environment", "prod")),
])
def test_an_assignment_is_split_at_its_first_equals_sign(given: str, expected: tuple[str, str]) -> None:
    assert placeholders.parse_assignment(given) == expected


@pytest.mark.parametrize("bad", ["novalue", "=x", "a}=b"])
def test_a_bad_assignment_is_invalid_input_naming_it(bad: str) -> None:
    with pytest.raises(InvalidInput, match=f"invalid --placeholder '{bad}'"):
        placeholders.parse_assignment(bad)


def test_flags_win_over_the_environment_whatever_the_case_of_the_name() -> None:
    environ = {"DB_MIGRATE_PLACEHOLDER_SCHEMA": "env", "DB_MIGRATE_PLACEHOLDER_OWNER": "o",
               "DB_MIGRATE_PLACEHOLDER_": "ignored", "PATH": "/bin"}
    assert placeholders.given(["schema=flag"], environ) == (("OWNER", "o"), ("schema", "flag"))


def test_replacement_is_textual_case_insensitive_and_not_recursive() -> None:
    text = "-- ${Schema}\nSELECT '${SCHEMA}', $$${schema}$$, '${v}';\n"
    out, problems = placeholders.replace(text, {"schema": "app", "v": "${schema}"}, "f.sql")
    assert problems == []
    # Comments, strings and dollar quotes too, as Flyway replaces the raw text; a value that
    # looks like a placeholder is inserted as it is.
    assert out == "-- app\nSELECT 'app', $$app$$, '${schema}';\n"


def test_every_missing_value_is_named_with_its_line() -> None:
    _, problems = placeholders.replace("SELECT 1;\n${a} ${b}\n'${a'", {}, "f.sql")
    assert [str(p).split(";")[0] for p in problems] == [
        "f.sql line 2: no value for placeholder ${a}", "f.sql line 2: no value for placeholder ${b}",
        "f.sql line 3: placeholder ${ is never closed by } (as in Flyway, ${ always starts one"]


def test_builtins_win_over_user_values_and_a_versioned_checksum_is_the_files() -> None:
    expander = placeholders.Expander((("flyway:user", "mine"), ("x", "1")), BUILTINS)
    original = script("V1__a.sql", "SELECT '${flyway:user}', ${x}, '${flyway:filename}', "
                                   "'${flyway:timestamp}', '${flyway:workingDirectory}';")
    expanded, problems = expander.expand(original)
    assert problems == []
    assert expanded.text == "SELECT 'app', 1, 'V1__a.sql', '2026-01-02 03:04:05', '/work';"
    assert expanded.checksum == original.checksum and not expanded.runs_always


def test_a_repeatable_is_checksummed_after_replacement_and_timestamp_makes_it_run_always() -> None:
    expander = placeholders.Expander((("label", "one"),), BUILTINS)
    plain, _ = expander.expand(script("R__v.sql", "SELECT '${label}';", version=None))
    assert plain.checksum == hashlib.sha256(b"SELECT 'one';").hexdigest()
    assert not plain.runs_always
    stamped, _ = expander.expand(script("R__t.sql", "SELECT '${FLYWAY:TIMESTAMP}';", version=None))
    assert stamped.runs_always


def test_a_file_without_a_placeholder_is_the_same_object() -> None:
    original = script("V1__a.sql", "SELECT '$1', $$ { } $$;")
    expanded, problems = placeholders.Expander((), BUILTINS).expand(original)
    assert expanded is original and problems == []


def test_an_unprovided_builtin_is_named_as_flyways() -> None:
    _, problems = placeholders.Expander((), BUILTINS).expand(
        script("V1__a.sql", "SELECT '${flyway:environment}';"))
    assert [p.message for p in problems] == [
        "db-migrate has no value for Flyway's built-in placeholder ${flyway:environment}; give "
        "one with --placeholder 'flyway:environment=VALUE'"]
