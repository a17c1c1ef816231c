"""The CLI never prints any part of a connection string's secret, however malformed the string.

Before: ``--url 'postgresql://es1:Pass%ZZ...'`` printed libpq's ``invalid percent-encoded
token: "Pass%ZZ..."``.  Now the flag or variable is named and the problem located.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.cli.test_cli import args, small_set
from tests.conftest import ROOT, Project, run_cli
from tests.pgservers import PgServer
from tests.secret_shapes import CANARY, MALFORMED, NON_UTF8, SERVER_QUOTED, VALID_WITH_CANARY, leaked


@pytest.mark.parametrize("shape", sorted(MALFORMED))
def test_malformed_url_flag_is_refused_naming_the_flag_without_printing_it(
        project: Project, shape: str) -> None:
    small_set(project)
    result = run_cli(*args(project, "--database", "app", "--url", MALFORMED[shape]))
    assert result.code == 2
    assert CANARY not in result.out + result.err
    assert "db-migrate: error: --url: " in result.err


# An empty variable means "not set" (the embedded server is used), so "empty" is not a shape here.
@pytest.mark.parametrize("shape", sorted(k for k, v in MALFORMED.items() if v))
def test_malformed_url_variable_is_refused_naming_the_variable_without_printing_it(
        project: Project, shape: str) -> None:
    small_set(project)
    result = run_cli(*args(project, "--database", "app", "--json"),
                     env={"DB_MIGRATE_URL_APP": MALFORMED[shape]})
    assert result.code == 2
    assert CANARY not in result.out + result.err
    assert "DB_MIGRATE_URL_APP: " in result.err and '"error"' in result.out


@pytest.mark.parametrize("shape", sorted(VALID_WITH_CANARY))
def test_unreachable_valid_url_reports_the_target_without_the_password(
        project: Project, shape: str) -> None:
    small_set(project)
    result = run_cli(*args(project, "--database", "app", "--url", VALID_WITH_CANARY[shape]))
    assert result.code == 3
    assert CANARY not in result.out + result.err
    assert "cannot connect to es1 on 127.0.0.1:1" in result.out + result.err


@pytest.mark.parametrize("how", ["--url", "variable"])
def test_url_that_is_not_utf8_is_refused_without_printing_it(project: Project, how: str) -> None:
    small_set(project)
    env = {os.fsencode(k): os.fsencode(v) for k, v in os.environ.items()
           if not k.startswith("DB_MIGRATE_URL_")}
    argv: list[bytes | str] = [sys.executable, "-m", "db_migrate",
                               *args(project, "--database", "app")]
    if how == "--url":
        argv += ["--url", NON_UTF8]
    else:
        env[b"DB_MIGRATE_URL_APP"] = NON_UTF8
    proc = subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert CANARY.encode() not in proc.stdout + proc.stderr
    assert b"has a NUL or a byte that is not UTF-8 at position 18" in proc.stderr


def test_verify_idempotency_refuses_a_malformed_url_without_printing_it(project: Project) -> None:
    small_set(project)
    result = run_cli("verify-idempotency", "--migrations-dir", str(project.migrations),
                     "--seeds-dir", str(project.seeds), "--database", "app",
                     "--url", MALFORMED["bad-percent-escape"])
    assert result.code == 2
    assert CANARY not in result.out + result.err
    assert "--url: has a bad percent-escape at position 22" in result.err


# The CLI's own URL names its database and host in the open (the target line); what it hides
# is the password and the option values, so the dbname shape is the operator's alone.
@pytest.mark.parametrize("shape", sorted(k for k in SERVER_QUOTED if k.startswith("option")))
def test_a_server_error_quoting_part_of_an_option_is_masked(
        project: Project, pg18: PgServer, shape: str) -> None:
    # Issue 17: the server quotes an option's value.
    small_set(project)
    url = SERVER_QUOTED[shape](pg18.admin_url)
    for extra in ((), ("--json",)):
        result = run_cli(*args(project, "--database", "app", *extra),
                         env={"DB_MIGRATE_URL_APP": url})
        assert result.code == 3
        assert "***" in result.out + result.err
        assert not leaked(result.out + result.err, CANARY)


def test_a_passfile_libpq_would_warn_about_is_refused_without_its_path(project: Project) -> None:
    # libpq writes its passfile warnings to fd 2 itself, quoting the path. (Not under
    # tmp_path: its name holds this test's, and so "passfile", which the path's scrubbing
    # would then mask in the message.)
    folder = Path(tempfile.mkdtemp(prefix="q")) / CANARY
    folder.mkdir()
    passfile = folder / "creds.conf"
    passfile.write_text("*:*:*:*:pw\n")
    passfile.chmod(0o644)
    small_set(project)
    result = run_cli(*args(project, "--database", "app"),
                     env={"DB_MIGRATE_URL_APP": f"host=127.0.0.1 port=1 dbname=x passfile={passfile}"})
    assert result.code == 2
    assert "the passfile named in the connection string has group or world access" in result.err
    assert not leaked(result.out + result.err, CANARY)
