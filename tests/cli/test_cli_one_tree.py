"""One argument tree: every subcommand reads the same DB_MIGRATE_* defaults and reports every
error through the same handler (one line, the documented exit code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import small_set
from tests.conftest import Project, run_cli


def test_lint_reads_the_directory_variables_like_apply_does(project: Project, tmp_path: Path) -> None:
    project.migration("app", "V1__t.sql", "CREATE TABLE t (id int);\n")
    project.seed("app", "reference", "001_t.sql", "INSERT INTO t VALUES (1);\n")
    # cwd without migrations/ or seeds/: only the variables can point lint at the files.
    result = run_cli("lint", cwd=tmp_path, env={"DB_MIGRATE_MIGRATIONS_DIR": str(project.migrations),
                                               "DB_MIGRATE_SEEDS_DIR": str(project.seeds)})
    assert result.code == 1, result.out + result.err
    assert "V1__t.sql:1 create-if-not-exists" in result.out
    assert "001_t.sql:1" in result.out
    assert f"in {project.migrations}, {project.seeds}" in result.err


def test_verify_idempotency_reads_the_directory_variables_like_apply_does(
        project: Project, tmp_path: Path) -> None:
    small_set(project)
    env = {"DB_MIGRATE_MIGRATIONS_DIR": str(project.migrations),
           "DB_MIGRATE_SEEDS_DIR": str(project.seeds), "DB_MIGRATE_NO_EMBEDDED": "1"}
    # The no-embedded refusal names the database it found under the variable's directory.
    result = run_cli("verify-idempotency", cwd=tmp_path, env=env)
    assert result.code == 2, result.out + result.err
    assert "no URL for database app: set DB_MIGRATE_URL_APP" in result.err


@pytest.mark.parametrize("command", [
    ["--database", "app"],
    ["--database", "app", "--status"],
    ["baseline", "--version", "1", "--database", "app"],
    ["adopt", "--from", "flyway", "--database", "app"],
    ["verify-idempotency"],
    ["lint", "no-such-dir"],
    ["new", "--database", "app", "first"],
])
def test_an_invalid_input_in_any_command_is_one_error_line_with_exit_2(
        command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "no-migrations"
    result = run_cli(*command, cwd=tmp_path, env={"DB_MIGRATE_MIGRATIONS_DIR": str(missing)})
    prog = "db-migrate" if command[0] in ("--database", "baseline", "adopt") else f"db-migrate {command[0]}"
    assert result.code == 2, result.out + result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith(f"{prog}: error: ")
    assert "no-migrations" in lines[0] or "no-such-dir" in lines[0]


@pytest.mark.parametrize("command", [
    ["--frobnicate"],
    ["lint", "--frobnicate"],
    ["verify-idempotency", "--frobnicate"],
    ["new"],
    ["baseline", "--database", "app"],
    ["adopt", "--from", "liquibase"],
    ["no-such-command"],
])
def test_a_bad_flag_in_any_command_is_one_error_line_with_exit_2(command: list[str]) -> None:
    result = run_cli(*command)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert ": error: " in lines[0] and "--help)" in lines[0]
    assert result.out == ""


def test_options_before_a_subcommand_are_refused_not_silently_dropped(project: Project) -> None:
    small_set(project)
    result = run_cli("--migrations-dir", str(project.migrations), "lint")
    assert result.code == 2
    assert "options go after the subcommand: db-migrate lint --migrations-dir" in result.err


def test_the_help_names_every_subcommand_and_the_exit_codes() -> None:
    result = run_cli("--help")
    assert result.code == 0
    for command in ("baseline", "adopt", "lint", "verify-idempotency", "new"):
        assert command in result.out
    assert "Exit codes: 0 ok, 1 failed" in result.out
